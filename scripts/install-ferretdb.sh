#!/usr/bin/env bash
# Installs FerretDB v1.24.2 (MongoDB wire protocol on SQLite) for the store tests.
# A plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that
# panics at start-up: build/version/version.txt is generated in FerretDB's own build, not
# published in the module. So: build from the module source with that file written.
set -euo pipefail
VERSION=v1.24.2
TARGET="${1:-$(go env GOPATH)/bin/ferretdb}"
if [ -x "$TARGET" ] && "$TARGET" --version 2>/dev/null | grep -q "$VERSION"; then
  exit 0
fi
src_dir=$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src_dir/." "$work/"
chmod -R u+w "$work"
echo "$VERSION" > "$work/build/version/version.txt"
mkdir -p "$(dirname "$TARGET")"
(cd "$work" && go build -o "$TARGET" ./cmd/ferretdb)
"$TARGET" --version | head -1
