import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import { randomPassword } from '../../src/actions/random-password';
import { resetPassword, resetPasswordWith } from '../../src/actions/reset-password';
import type { CaseNotifier } from '../../src/cases/case-notifier';
import { CaseRunner } from '../../src/engine/case-runner';
import { createLogger } from '../../src/log';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { SEED_IDS } from '../../src/sim/seed';
import { RecordingNotifier } from '../engine/engine-fixtures';
import { janeInSim, type SimContext } from './sim-context';

/** Just enough of a store for the runner: one case, conditional updates by version. */
describe('reset password', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  it('sets a random password and makes Jane change it at next sign-in; a second run changes nothing', async () => {
    const before = t.sim.state.users.get(SEED_IDS.jane)!.lastPasswordChangeDateTime;
    const outcome = await t.run(resetPassword);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    const jane = t.sim.state.users.get(SEED_IDS.jane)!;
    assert.notEqual(jane.lastPasswordChangeDateTime, before);
    assert.equal(jane.passwordProfile.forceChangePasswordNextSignIn, true);
    const calls = t.sim.calls.length;
    const again = await t.run(resetPassword);
    assert.match(again.detail, /^Nothing to change: the password was already reset by this case/);
    assert.deepEqual(t.writes(calls), []);
  });

  it('never lets the password reach a log line, the case record or the step result', async () => {
    const issued: string[] = [];
    const spy = resetPasswordWith(() => {
      const password = randomPassword();
      issued.push(password);
      return password;
    });
    const lines: string[] = [];
    const now = new Date().toISOString();
    const dir = await mkdtemp(path.join(tmpdir(), 'reset-password-'));
    const store = await EmbeddedCaseStore.open(dir);
    await store.createCase({
      _id: 'case-jane-1', version: 1, state: 'approved', requester: { id: SEED_IDS.alex, displayName: 'Alex Wilber' },
      target: t.ctx.target, request: t.ctx.request, notBefore: now, decisions: [], cards: {}, createdAt: now, updatedAt: now,
      steps: [
        { action: 'takeEvidence', status: 'pending', requestIds: [] },
        { action: 'resetPassword', status: 'pending', requestIds: [] },
      ],
    });
    const notifier: CaseNotifier = {
      requestSecurityApproval: async () => ({ conversationId: 'c', activityId: 'a' }),
      caseChanged: async () => {},
      stepsChanged: async () => {},
      caseFinished: async () => ({ conversationId: 'c', activityId: 'b' }),
    };
    const runner = new CaseRunner({ store, graph: t.ctx.graph as never, notifier, actions: { ...ACTIONS, resetPassword: spy }, log: createLogger('debug', (l) => lines.push(l)) });
    const closed = await runner.execute('case-jane-1');
    const stored = await store.getCase('case-jane-1');
    const audit = await store.listAudit('case-jane-1');
    await store.close();
    await rm(dir, { recursive: true, force: true });

    assert.equal(closed?.state, 'completed');
    assert.equal(issued.length, 1);
    const [password] = issued;
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes(password), `log line leaks the password: ${line}`);
    assert.ok(!JSON.stringify(stored).includes(password), 'the case record holds no password');
    assert.ok(!JSON.stringify(audit).includes(password), 'the audit trail holds no password');
    assert.ok(!JSON.stringify(t.sim.calls).includes(password), 'the simulated tenant keeps no password either');
    assert.match(stored?.evidence?.sha256 ?? '', /^[0-9a-f]{64}$/, 'the evidence snapshot is saved on the case');
  });

  it('in the engine, a password the user changed after the case began but before this step is still reset', async () => {
    const caseStart = new Date(Date.now() - 120_000).toISOString();
    // Jane changes her own password a minute into the case, before the reset step runs.
    t.sim.state.users.get(SEED_IDS.jane)!.lastPasswordChangeDateTime = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const dir = await mkdtemp(path.join(tmpdir(), 'reset-password-'));
    const store = await EmbeddedCaseStore.open(dir);
    try {
      await store.createCase({
        _id: 'case-jane-2', version: 1, state: 'running', requester: { id: SEED_IDS.alex, displayName: 'Alex Wilber' },
        target: t.ctx.target, request: t.ctx.request, notBefore: caseStart, decisions: [], cards: {}, createdAt: caseStart, updatedAt: caseStart,
        steps: [
          { action: 'blockSignIn', status: 'succeeded', requestIds: [], startedAt: caseStart, finishedAt: caseStart },
          { action: 'resetPassword', status: 'pending', requestIds: [] },
        ],
      });
      const runner = new CaseRunner({ store, graph: t.ctx.graph as never, notifier: new RecordingNotifier(), actions: ACTIONS, log: createLogger('error', () => {}) });
      const closed = await runner.execute('case-jane-2');
      assert.equal(closed?.steps[1].status, 'succeeded', closed?.steps[1].detail);
      assert.match(closed!.steps[1].detail!, /Password reset to a random value/);
      assert.equal(t.writes().filter((w) => w.method === 'PATCH').length, 1, 'the reset was sent');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves an on-premises synced account to a person', async () => {
    t.sim.state.users.get(SEED_IDS.jane)!.onPremisesSyncEnabled = true;
    const outcome = await t.run(resetPassword);
    assert.equal(outcome.status, 'manual');
    assert.match(outcome.detail, /Set-ADAccountPassword/);
    assert.deepEqual(t.writes(), []);
  });

  it('generates long passwords with every character class, never the same twice', () => {
    const passwords = Array.from({ length: 50 }, randomPassword);
    assert.equal(new Set(passwords).size, 50);
    for (const p of passwords) {
      assert.equal(p.length, 32);
      for (const cls of [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/]) assert.match(p, cls);
    }
  });
});
