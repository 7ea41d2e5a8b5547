import assert from 'node:assert/strict';
import { escapeCardText } from '../../src/cards/escape-text';
import { asRead } from './card-checks';

describe('typed text on cards (escapeCardText)', () => {
  const hostile = [
    '**Boss**',
    '_Jane_ ~~Doe~~',
    '[Verify your account](https://evil.example)',
    '![pixel](https://evil.example/p.png)',
    '<b>bold</b> &amp; <script>x</script>',
    '# Heading\n> quote\n- item\n+ item\n1. first\n2) second',
    '`code` | table |',
    'C:\\Users\\jane',
  ];

  it('escapes every markdown and HTML mark, so nothing is formatted or linked', () => {
    for (const text of hostile) {
      const escaped = escapeCardText(text);
      assert.doesNotMatch(escaped, /(^|[^\\])(\\\\)*[*_~[\]()!<>&`|#]/m, `unescaped mark in ${JSON.stringify(escaped)}`);
      assert.doesNotMatch(escaped, /^\s*([-+>#]|\d+[.)])/m, `a line still starts a block in ${JSON.stringify(escaped)}`);
    }
  });

  it('reads exactly as typed once rendered', () => {
    for (const text of hostile) assert.equal(asRead(escapeCardText(text)), text);
  });

  it('leaves ordinary names alone', () => {
    for (const name of ["Conor O'Brien", 'Mary-Jane Smith', 'José Álvarez', 'janed@contoso.com', 'Last day. Laptop returned.']) {
      assert.equal(escapeCardText(name), name);
    }
  });
});
