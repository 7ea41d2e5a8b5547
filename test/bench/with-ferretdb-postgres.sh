#!/usr/bin/env bash
# Runs a command with MONGODB_URI pointing at FerretDB v1.24 on PostgreSQL (not SQLite), both on
# loopback in a throwaway directory, then stops them. For benchmarks that want a MongoDB-protocol
# server with concurrent writers; the tests keep to FerretDB's SQLite backend.
#   apt-get install -y postgresql && scripts/install-ferretdb.sh
#   test/bench/with-ferretdb-postgres.sh env BENCH=approval npm run bench
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 command [args...]" >&2; exit 2; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL not found: apt-get install -y postgresql" >&2; exit 1; }
ferretdb="${FERRETDB_BIN:-$(go env GOPATH)/bin/ferretdb}"
[ -x "$ferretdb" ] || { echo "FerretDB not found at $ferretdb: scripts/install-ferretdb.sh" >&2; exit 1; }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
dir=$(mktemp -d)
pg_port=$(free_port)
mongo_port=$(free_port)
# PostgreSQL refuses to run as root; its Debian package brings the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"

ferret_pid=
cleanup() {
  [ -n "$ferret_pid" ] && kill "$ferret_pid" 2>/dev/null || true
  as_pg "$pg_bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_pg "$pg_bin/initdb" -D "$dir/pg" -A trust -U postgres >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
  -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres ferretdb
mkdir -p "$dir/ferretdb"
"$ferretdb" --handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:$pg_port/ferretdb" \
  --listen-addr="127.0.0.1:$mongo_port" --state-dir="$dir/ferretdb" --debug-addr=- --telemetry=disable --log-level=warn \
  2>"$dir/ferretdb.log" &
ferret_pid=$!
for _ in $(seq 1 50); do
  (echo >"/dev/tcp/127.0.0.1/$mongo_port") 2>/dev/null && break
  sleep 0.2
done
echo "FerretDB on PostgreSQL at mongodb://127.0.0.1:$mongo_port/" >&2
MONGODB_URI="mongodb://127.0.0.1:$mongo_port/" "$@"
