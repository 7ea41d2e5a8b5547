import assert from 'node:assert/strict';
import { createLogger } from '../../src/log';

function logged(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  createLogger('debug', (line) => lines.push(line)).info('event', fields);
  return lines.join('\n');
}

describe('logs never carry secrets', () => {
  it('redacts secret-looking keys at any depth, in objects and arrays', () => {
    const line = logged({
      caseId: 'c-1',
      password: 'Hunter2!',
      config: { m365: { clientSecret: 'graph-secret-value', client_secret: 'cs-value' }, bot: { BOT_PASSWORD: 'bot-pass' } },
      headers: [{ Authorization: 'Bearer eyJhbGciOi.abc.def' }, { cookie: 'session=1' }],
      accessToken: 'tok-value',
      apiKey: 'k-value',
    });
    for (const secret of ['Hunter2!', 'graph-secret-value', 'cs-value', 'bot-pass', 'eyJhbGciOi', 'session=1', 'tok-value', 'k-value']) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    const parsed = JSON.parse(line);
    assert.equal(parsed.caseId, 'c-1', 'ordinary fields are kept');
    assert.equal(parsed.config.m365.clientSecret, '[redacted]');
  });

  it('masks bearer tokens and secrets inside free text such as error messages', () => {
    const line = logged({
      error: 'POST /token failed: client_secret=abc123&grant_type=client_credentials; header Bearer eyJ0eXAi.payload.sig',
      err: new Error('refused password=swordfish'),
    });
    assert.ok(!line.includes('abc123'));
    assert.ok(!line.includes('eyJ0eXAi'));
    assert.ok(!line.includes('swordfish'));
    assert.match(line, /grant_type=client_credentials/, 'the rest of the message stays readable');
  });

  it('survives cycles and very deep objects', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    let deep: Record<string, unknown> = { secret: 'bottom-secret' };
    for (let i = 0; i < 20; i++) deep = { inner: deep };
    const line = logged({ loop, deep });
    assert.ok(!line.includes('bottom-secret'));
    assert.equal(JSON.parse(line).loop.name, 'loop');
  });
});
