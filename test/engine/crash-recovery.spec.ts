import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withStaff } from '../../src/sim/bulk-tenant';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { appliedWrites, approvedCase, repeated, staffTarget } from './engine-fixtures';

const HARNESS = path.join(__dirname, 'engine-process.ts');

/** Starts an engine process and resolves once it logs `event`, or rejects if it exits first. */
function engine(sim: SimTenant, storeDir: string, instance: string): { child: ChildProcess; logged: (event: string) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HARNESS], {
    env: { ...process.env, SIM_URL: sim.url, STORE_DIR: storeDir, INSTANCE_ID: instance },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const logged = (event: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (out.includes(`"event":"${event}"`) ? resolve() : waiters.push(check));
      child.once('exit', (code, signal) => reject(new Error(`engine exited (${code ?? signal}) before logging ${event}:\n${err}`)));
      check();
    });
  return { child, logged };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('an engine process killed in the middle of a case', () => {
  let sim: SimTenant;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    sim = await startSimTenant({ seed: withStaff(1) });
    dir = await mkdtemp(path.join(tmpdir(), 'crash-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await killed(child);
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes the case after a restart, and the tenant sees each write once', async function () {
    this.timeout(30_000);
    const target = staffTarget(0);
    const c = approvedCase(target);
    const setup = await EmbeddedCaseStore.open(dir);
    await setup.createCase(c);
    await setup.close();
    // Sessions get revoked, but the answer is slow: the kill lands after the change, before it is recorded.
    sim.faults.add({ method: 'POST', path: /revokeSignInSessions/, latencyMs: 10_000 });

    const first = engine(sim, dir, 'first');
    children.push(first.child);
    while (sim.state.users.get(target.id)!.revokeCount === 0) await new Promise((r) => setTimeout(r, 20));
    await killed(first.child);
    assert.equal(sim.state.users.get(target.id)!.accountEnabled, false, 'the kill came mid-case');

    const second = engine(sim, dir, 'second');
    children.push(second.child);
    await second.logged('case.completed');
    await killed(second.child);

    const store = await EmbeddedCaseStore.open(dir);
    try {
      const done = (await store.getCase(c._id))!;
      assert.equal(done.state, 'completed', done.steps.map((s) => `${s.action}=${s.status} ${s.detail ?? ''}`).join('; '));
    } finally {
      await store.close();
    }
    const user = sim.state.users.get(target.id)!;
    assert.equal(user.revokeCount, 1, 'sessions were revoked once');
    assert.equal(user.accountEnabled, false);
    assert.deepEqual(repeated(appliedWrites(sim.calls)), []);
  });
});
