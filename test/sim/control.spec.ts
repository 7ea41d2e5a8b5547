import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

describe('sim tenant: /_sim test controls', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  it('shows a user’s full internal state, without needing a token', async () => {
    await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: { accountEnabled: false } });
    await graph(sim, `/users/${SEED_IDS.jane}/revokeSignInSessions`, { method: 'POST' });
    const response = await fetch(`${sim.url}/_sim/users/janed@contoso.com`);
    assert.equal(response.status, 200);
    const jane = await response.json();
    assert.equal(jane.id, SEED_IDS.jane);
    assert.equal(jane.accountEnabled, false);
    assert.equal(jane.revokeCount, 1);
    assert.equal(jane.managerId, SEED_IDS.alex);
    assert.equal(jane.signInSessionsValidFromDateTime, sim.state.users.get(SEED_IDS.jane)!.signInSessionsValidFromDateTime);
  });

  it('injects and clears faults over HTTP, and lists Graph calls but not its own', async () => {
    const add = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/users/', status: 429, times: 5, retryAfterSeconds: 3 }),
    });
    assert.equal(add.status, 204);
    const throttled = await graph(sim, `/users/${SEED_IDS.jane}`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '3');
    assert.equal((await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' })).status, 204);
    assert.equal((await graph(sim, `/users/${SEED_IDS.jane}`)).status, 200);

    const calls = await (await fetch(`${sim.url}/_sim/calls`)).json();
    assert.deepEqual(
      calls.map((c: { status: number }) => c.status),
      [429, 200],
    );
  });

  it('answers an unknown user or control path with 404', async () => {
    assert.equal((await fetch(`${sim.url}/_sim/users/ghost@contoso.com`)).status, 404);
    assert.equal((await fetch(`${sim.url}/_sim/reboot`)).status, 404);
  });
});

describe('sim tenant: standalone (src/sim/main.ts)', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('starts on a free port, prints its URL and serves Graph', async () => {
    const root = path.resolve(__dirname, '../..');
    child = spawn(process.execPath, ['--import', 'tsx', 'src/sim/main.ts'], {
      cwd: root,
      env: { ...process.env, SIM_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let printed = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
        if (match) resolve(match[1]);
      });
      child!.once('exit', (code) => reject(new Error(`sim exited with ${code}: ${printed}`)));
    });
    const response = await fetch(`${url}/v1.0/users/janed@contoso.com?$select=displayName`, {
      headers: { Authorization: `Bearer ${await simulatedTenantToken.getToken()}` },
    });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).displayName, 'Jane Doe');
  });
});
