import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Target } from '../../src/cases/case';
import type { CaseRunner } from '../../src/engine/case-runner';
import { blockedSince } from '../../src/engine/follow-ups/check-sign-ins';
import type { SimSignIn } from '../../src/sim/audit-log-state';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, closedBlockedCase, FailureNotifier, followUpRunner, TestClock } from './engine-fixtures';

const HOUR = 3_600_000;
const jane: Target = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' };

describe('the sign-in check a day after the close: did anyone get in as the person after the block?', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;
  let clock: TestClock;
  let notifier: FailureNotifier;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sign-ins-'));
    store = await EmbeddedCaseStore.open(dir);
    clock = new TestClock();
    sim = await startSimTenant({ seededAt: clock.now() });
    notifier = new FailureNotifier();
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const runner = (withheld: string[] = []): CaseRunner => followUpRunner({ store, simUrl: sim.url, notifier, clock, maxAttempts: 1, withheld });

  /** Jane's case, sign-in blocked, run to its close. */
  const closedCase = (r: CaseRunner) => closedBlockedCase(store, r, jane, clock.now());

  const check = async (caseId: string) => (await store.getCase(caseId))!.followUps!.find((f) => f.action === 'checkSignIns')!;
  const after = (ms: number) => new Date(clock.now().getTime() + ms).toISOString().replace(/\.\d+Z$/, 'Z');

  /** A sign-in as Jane, `ms` after now, refused as Entra refuses a disabled account unless `succeeded`. */
  function signIn(ms: number, id: string, succeeded = false): SimSignIn {
    const model = sim.state.signIns.find((s) => s.userId === SEED_IDS.jane)!;
    return {
      ...model, id, createdDateTime: after(ms), ipAddress: '192.0.2.214', appDisplayName: 'Office 365 Exchange Online', location: { city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' },
      status: succeeded ? { errorCode: 0, failureReason: null, additionalDetails: null } : { errorCode: 50057, failureReason: 'The user account is disabled.', additionalDetails: null },
    };
  }

  it('does nothing before its day, then finds nobody tried: recorded, nothing posted', async () => {
    const r = runner();
    const closed = await closedCase(r);
    const due = await check(closed._id);
    assert.equal(Date.parse(due.notBefore) - clock.now().getTime(), 24 * HOUR, 'due a day after the close');
    const logReads = () => sim.calls.filter((c) => c.path === '/v1.0/auditLogs/signIns').length;
    const byEvidence = logReads();
    await r.sweep();
    assert.equal((await check(closed._id)).status, 'pending');
    assert.equal(logReads(), byEvidence, 'the log is not read again before its day');

    clock.advance(24 * HOUR);
    await r.sweep();
    const done = await check(closed._id);
    assert.equal(done.status, 'succeeded', done.detail);
    assert.match(done.detail!, /no sign-in or attempt as Jane Doe since sign-in was blocked at/);
    assert.deepEqual(notifier.signInReports, []);
    // Jane's seeded sign-ins are from before the block: not counted.
    const read = sim.calls.filter((c) => c.path === '/v1.0/auditLogs/signIns').at(-1)!;
    assert.match(read.query.$filter, new RegExp(`^userId eq '${SEED_IDS.jane}' and createdDateTime ge \\d{4}-`));
  });

  it('tells the security team of attempts after the block, all refused, and the follow-up succeeds', async () => {
    const r = runner();
    const closed = await closedCase(r);
    sim.state.signIns.unshift(signIn(5 * HOUR, 'after-2'), signIn(2 * HOUR, 'after-1'));
    clock.advance(24 * HOUR);
    await r.sweep();
    const done = await check(closed._id);
    assert.equal(done.status, 'succeeded', done.detail);
    assert.equal(notifier.signInReports.length, 1);
    const [report] = notifier.signInReports;
    assert.equal(report.style, 'warning');
    assert.match(report.report, /^2 attempt\(s\) to sign in as Jane Doe since sign-in was blocked at .*, all refused; the latest .* UTC to Office 365 Exchange Online from 192\.0\.2\.214 \(Lagos, NG\) \(The user account is disabled\.\)\.$/);
  });

  it('one that went through is for a person, and the security team hears of it as needing attention', async () => {
    const r = runner();
    const closed = await closedCase(r);
    sim.state.signIns.unshift(signIn(3 * HOUR, 'after-ok', true), signIn(1 * HOUR, 'after-refused'));
    clock.advance(24 * HOUR);
    await r.sweep();
    const done = await check(closed._id);
    assert.equal(done.status, 'manual', done.detail);
    assert.match(done.detail!, /For a person to do: 1 sign-in\(s\) as Jane Doe went through since sign-in was blocked/);
    assert.match(done.detail!, /and 1 were refused\. Check whether the account was enabled again/);
    assert.equal(notifier.signInReports[0].style, 'attention');
  });

  it('counts from when a person blocked an account the app could not (on-premises), or from the cut-off', async () => {
    const c = approvedCase(jane, clock.now());
    const steps = (status: 'succeeded' | 'manual', extra = {}) => [{ action: 'blockSignIn' as const, status, requestIds: [], finishedAt: '2025-03-03T08:05:00.000Z', ...extra }];
    assert.equal(blockedSince({ ...c, steps: steps('succeeded') }), '2025-03-03T08:05:00.000Z');
    const resolution = { by: { id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' }, at: '2025-03-03T11:30:00.000Z', note: 'Disabled in on-premises AD.' };
    assert.equal(blockedSince({ ...c, steps: steps('manual', { resolution }) }), '2025-03-03T11:30:00.000Z');
    assert.equal(blockedSince({ ...c, steps: steps('manual') }), c.notBefore);
  });

  it('fails, and IT hears of it, when the sign-in log cannot be read', async () => {
    const r = runner(['AuditLog.Read.All']);
    const closed = await closedCase(r);
    clock.advance(24 * HOUR);
    await r.sweep();
    const failed = await check(closed._id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.detail!, /This step needs the Graph application permissions AuditLog\.Read\.All, Directory\.Read\.All/);
    assert.equal(notifier.failedFollowUps.length, 1);
  });
});
