import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FollowUp, Target } from '../../src/cases/case';
import type { CaseRunner } from '../../src/engine/case-runner';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { Workplace } from '../../src/sim/workplace';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { closedBlockedCase, FailureNotifier, followUpRunner, TestClock } from './engine-fixtures';

const DAY = 24 * 3_600_000;
const jane: Target = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' };
const megan: Target = { id: SEED_IDS.megan, displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.com' };
const AUDIT_PERMISSIONS = ['AuditLogsQuery-SharePoint.Read.All', 'AuditLogsQuery-OneDrive.Read.All'];

describe('the downloads review: what the person took out before leaving, from Purview', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;
  let clock: TestClock;
  let notifier: FailureNotifier;

  /** The tenant seeded at the test clock's moment, so Jane's file activity falls in the case's 30 days. */
  async function start(search: Partial<Pick<Workplace, 'auditSearchSeconds' | 'auditSearchOutcome'>> = {}): Promise<void> {
    clock = new TestClock();
    sim = await startSimTenant({ seededAt: clock.now(), seed: (contoso) => ({ ...contoso, ...search }) });
  }
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'downloads-'));
    store = await EmbeddedCaseStore.open(dir);
    notifier = new FailureNotifier();
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const runner = (withheld: string[] = []): CaseRunner => followUpRunner({ store, simUrl: sim.url, notifier, clock, maxAttempts: 5, withheld });

  /** `who`'s case, evidence taken and sign-in blocked, run to its close (the review is due at once). */
  const closedCase = (r: CaseRunner, who: Target = jane) => closedBlockedCase(store, r, who, clock.now());

  const review = async (caseId: string) => (await store.getCase(caseId))!.followUps!.find((f) => f.action === 'reviewDownloads')! as FollowUp & { retryAt?: string };
  const searches = () => sim.calls.filter((c) => c.method === 'POST' && c.path === '/v1.0/security/auditLog/queries' && c.status === 201);

  it('starts a Purview search at the close, looks again, and tells the security team what Jane downloaded', async () => {
    await start();
    const r = runner();
    const closed = await closedCase(r);
    assert.equal((await review(closed._id)).notBefore, closed.followUps!.find((f) => f.action === 'reviewDownloads')!.notBefore);

    await r.sweep();
    assert.equal(searches().length, 1);
    const asked = searches()[0].body as Record<string, unknown>;
    assert.deepEqual(asked.userPrincipalNameFilters, ['janed@contoso.com']);
    assert.deepEqual(asked.operationFilters, ['FileDownloaded', 'FileSyncDownloadedFull']);
    assert.equal(asked.filterStartDateTime, new Date(clock.now().getTime() - 30 * DAY).toISOString(), '30 days before the cut-off');
    const waiting = await review(closed._id);
    assert.equal(waiting.status, 'pending');
    assert.match(waiting.detail!, /Started Purview audit search .*Looking again at/);
    assert.deepEqual(notifier.downloadReports, []);

    clock.advance(10_000);
    await r.sweep();
    const done = await review(closed._id);
    assert.equal(done.status, 'succeeded', done.detail);
    assert.equal(notifier.downloadReports.length, 1);
    const { report } = notifier.downloadReports[0];
    assert.match(report, /^Jane Doe downloaded or synced 30 files \(\d+ different files\)/);
    assert.match(report, /Busiest hour: 24 in the hour from \d{4}-\d\d-\d\d 22:00 UTC/, 'the night-time burst stands out');
    assert.match(report, /192\.0\.2\.214 \(24, not among the recent sign-ins\)/, 'with the address it came from, which her sign-ins never used');
    assert.match(report, /198\.51\.100\.23 \(6\)/, 'the office address, which her sign-ins did use, is not flagged');
    assert.match(report, /Fabrikam pricing 2027\.xlsx \(2\)/);
    assert.match(done.detail!, /Posted to the Security channel/);
    assert.equal(searches().length, 1, 'one search for the case');

    await r.sweep();
    assert.equal(notifier.downloadReports.length, 1, 'reported once');
  });

  it('says nothing to the security team about someone who downloaded nothing, and records that', async () => {
    await start();
    const r = runner();
    const closed = await closedCase(r, megan);
    await r.sweep();
    clock.advance(10_000);
    await r.sweep();
    const done = await review(closed._id);
    assert.equal(done.status, 'succeeded');
    assert.match(done.detail!, /Megan Bowen downloaded or synced no file/);
    assert.deepEqual(notifier.downloadReports, []);
  });

  it('waits for a slow search, looking again less often, and leaves it to a person after a day', async () => {
    await start({ auditSearchSeconds: 3_600 });
    const r = runner();
    const closed = await closedCase(r);
    await r.sweep();
    const gaps: number[] = [];
    let looks = 0;
    for (let f = await review(closed._id); f.status === 'pending' && looks < 200; f = await review(closed._id), looks++) {
      const next = Date.parse(f.retryAt!) - clock.now().getTime();
      gaps.push(next);
      clock.advance(next);
      await r.sweep();
    }
    const last = await review(closed._id);
    assert.equal(last.status, 'manual');
    assert.match(last.detail!, /has not finished in a day.*Search the audit log in the Microsoft Purview portal for FileDownloaded and FileSyncDownloadedFull by janed@contoso\.com/);
    assert.ok(gaps[gaps.length - 1] > gaps[1], `looks less often as it waits: ${gaps.join(', ')}`);
    assert.ok(Math.max(...gaps) <= 15 * 60_000);
    assert.equal(searches().length, 1);
  });

  it('leaves a failed search to a person, saying what to search for', async () => {
    await start({ auditSearchOutcome: 'failed' });
    const r = runner();
    const closed = await closedCase(r);
    await r.sweep();
    clock.advance(10_000);
    await r.sweep();
    const f = await review(closed._id);
    assert.equal(f.status, 'manual');
    assert.match(f.detail!, /ended failed\. Search the audit log .* since \d{4}-\d\d-\d\d\./);
  });

  it('finds the search it started when the answer to starting it was lost, and starts no second one', async () => {
    await start();
    const r = runner();
    const closed = await closedCase(r);
    sim.faults.add({ method: 'POST', path: /\/security\/auditLog\/queries$/, reset: true, afterApplying: true });
    await r.sweep();
    assert.equal((await review(closed._id)).status, 'pending');
    for (let i = 0; i < 3 && notifier.downloadReports.length === 0; i++) {
      clock.advance(15_000);
      await r.sweep();
    }
    assert.equal(notifier.downloadReports.length, 1);
    assert.equal(sim.state.auditLogQueries.length, 1, 'one search in Purview');
  });

  it('without the audit permissions, fails and tells IT what Microsoft 365 refused', async () => {
    await start();
    const r = runner(AUDIT_PERMISSIONS);
    const closed = await closedCase(r);
    await r.sweep();
    const f = await review(closed._id);
    assert.equal(f.status, 'failed');
    assert.match(f.detail!, /403/);
    assert.equal(notifier.failedFollowUps.length, 1);
    assert.equal(sim.state.auditLogQueries.length, 0);
  });
});
