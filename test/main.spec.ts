import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

describe('starting the app', () => {
  it('refuses a production start with incomplete configuration and lists what is missing', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, BOT_ID: '00000000-0000-0000-0000-000000000011' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /Refusing to start/);
    assert.match(run.stderr, /BOT_PASSWORD/);
    assert.match(run.stderr, /BOT_TENANT_ID/);
    assert.match(run.stderr, /M365_CLIENT_SECRET/);
  });
});
