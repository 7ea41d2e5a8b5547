import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import { parseSnapshot, snapshotOf, type EvidenceSection } from '../../src/actions/take-evidence';
import type { ActionContext } from '../../src/actions/offboarding-action';
import { simulatedExchangeToken, simulatedTenantToken } from '../../src/m365/access-token';
import { AuditLogReader, type AuditLogReaderOptions } from '../../src/m365/audit-log-reader';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { CaseRunner } from '../../src/engine/case-runner';
import { ServicePacers } from '../../src/engine/service-pacers';
import { silentLogger } from '../../src/log';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import type { SimDirectoryAudit, SimSignIn } from '../../src/sim/audit-log-state';
import { staffId, withStaff } from '../../src/sim/bulk-tenant';
import { janesSignIns } from '../../src/sim/seed-audit-logs';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant, type SimTenantOptions } from '../../src/sim/server';
import { approvedCase, RecordingNotifier, staffTarget } from './engine-fixtures';

const HOUR = 3600_000;
const NOW = Date.now();
const hoursAgo = (h: number) => new Date(NOW - h * HOUR).toISOString();

/** `count` sign-ins of staff member i, one an hour back from now (so newest first is index order). */
function signInsOf(i: number, count: number): SimSignIn[] {
  const [model] = janesSignIns(staffId(i), new Date(NOW));
  return Array.from({ length: count }, (_, n) => ({
    ...model,
    id: `signin-${i}-${n}`,
    userDisplayName: `Staff Member ${i}`,
    userPrincipalName: `staff${i}@contoso.com`,
    createdDateTime: hoursAgo(n + i / 100),
  }));
}

function auditAbout(id: string, at: string, ...targets: number[]): SimDirectoryAudit {
  return {
    id, activityDateTime: at, activityDisplayName: 'Update user', category: 'UserManagement', correlationId: id, loggedByService: 'Core Directory',
    operationType: 'Update', result: 'success', resultReason: '', additionalDetails: [],
    initiatedBy: { user: { id: SEED_IDS.alex, displayName: 'Alex Wilber', userPrincipalName: 'alexw@contoso.com', ipAddress: null }, app: null },
    targetResources: targets.map((t) => ({ id: staffId(t), displayName: `Staff Member ${t}`, type: 'User' as const, userPrincipalName: `staff${t}@contoso.com`, modifiedProperties: [] })),
  };
}

type Section = { path: string; requestId?: string; value: Array<Record<string, any>> };
const valueOf = (s: EvidenceSection): Section => {
  assert.ok('value' in s, `expected a value, got ${JSON.stringify(s)}`);
  return s as Section;
};

describe('audit log reader: one report query for the users of the cases running at once', () => {
  let sim: SimTenant;
  let graph: Graph;
  afterEach(() => sim.close());

  async function tenant(staff: number, options: SimTenantOptions = {}, graphOptions: { maxRetries?: number; retryThrottled?: boolean } = {}) {
    sim = await startSimTenant({ seed: withStaff(staff), ...options });
    graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.01, ...graphOptions });
  }
  const reader = (options: AuditLogReaderOptions = {}) => new AuditLogReader(graph, options);
  const reportCalls = (log?: 'signIns' | 'directoryAudits') => sim.calls.filter((c) => c.path.startsWith(`/v1.0/auditLogs/${log ?? ''}`));

  function context(i: number, auditLogs: AuditLogReader): ActionContext {
    return {
      graph,
      exchange: new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedExchangeToken, sleep: async () => undefined }),
      target: staffTarget(i),
      caseId: `case-${i}`,
      request: { departureType: 'voluntary', cutoff: 'now', timeZone: 'UTC' },
      since: new Date().toISOString(),
      auditLogs,
    };
  }

  it('12 users asking at once: one signIns and one directoryAudits call; each gets their own entries, newest first, at most 50', async () => {
    await tenant(12);
    // Staff 0 signed in 70 times, the others a few times each; two entries are older than the look-back.
    for (let i = 0; i < 12; i++) sim.state.signIns.push(...signInsOf(i, i === 0 ? 70 : 3));
    sim.state.signIns.push({ ...signInsOf(5, 1)[0], id: 'too-old', createdDateTime: hoursAgo(24 * 40) });
    sim.state.directoryAudits.push(
      auditAbout('a-both', hoursAgo(2), 3, 4),
      auditAbout('a-three', hoursAgo(5), 3),
      auditAbout('a-old', hoursAgo(24 * 45), 3),
      auditAbout('a-other', hoursAgo(1), 20),
    );
    const logs = reader();
    const ids = Array.from({ length: 12 }, (_, i) => staffId(i));
    const [signIns, audits] = await Promise.all([Promise.all(ids.map((id) => logs.signInsFor(id))), Promise.all(ids.map((id) => logs.directoryAuditsFor(id)))]);

    assert.equal(reportCalls('signIns').length, 1);
    assert.equal(reportCalls('directoryAudits').length, 1);
    assert.equal(reportCalls().length, 2);
    const [call] = reportCalls('signIns');
    for (const id of ids) assert.ok(call.query.$filter.includes(`userId eq '${id}'`), `${id} is in the one query`);
    assert.match(call.query.$filter, /^createdDateTime ge \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ and \(/);

    signIns.forEach((entries, i) => {
      assert.ok(entries.value.every((s) => s.userId === ids[i]), `staff ${i} gets only their own sign-ins`);
      // The tenant's own record: this user's newest sign-ins within the look-back, at most 50.
      const expected = sim.state.signIns
        .filter((s) => s.userId === ids[i] && Date.parse(s.createdDateTime) >= NOW - 30 * 24 * HOUR)
        .sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime))
        .slice(0, 50)
        .map((s) => s.id);
      assert.deepEqual(entries.value.map((s) => s.id), expected);
      assert.deepEqual(entries.requestIds, [call.requestId]);
    });
    assert.equal(signIns[0].value.length, 50);
    assert.equal(signIns[0].value[0].id, 'signin-0-0', 'newest first');
    assert.ok(!signIns[5].value.some((s) => s.id === 'too-old'));

    assert.deepEqual(audits[3].value.map((a) => a.id), ['a-both', 'a-three'], 'newest first, within the look-back');
    assert.deepEqual(audits[4].value.map((a) => a.id), ['a-both'], 'an entry naming two users goes to both');
    assert.deepEqual(audits[0].value, []);
  });

  it('follows @odata.nextLink until every user has their share, then stops', async () => {
    await tenant(3);
    for (let i = 0; i < 3; i++) sim.state.signIns.push(...signInsOf(i, 30));
    const logs = reader({ pageSize: 10, entriesPerUser: 5 });
    const results = await Promise.all([0, 1, 2].map((i) => logs.signInsFor(staffId(i))));
    // Newest first and interleaved: the first page (10 entries) holds at least 3 of each user; the
    // second completes them all, and the 7 further pages are not read.
    const calls = reportCalls('signIns');
    assert.equal(calls.length, 2);
    assert.ok(calls[1].query.$skiptoken, 'the second call follows the nextLink');
    results.forEach((entries, i) => {
      assert.deepEqual(entries.value.map((s) => s.id), [0, 1, 2, 3, 4].map((n) => `signin-${i}-${n}`));
      assert.deepEqual(entries.requestIds, calls.map((c) => c.requestId));
    });
  });

  it('more users than one query takes: split into several queries, each user in exactly one', async () => {
    await tenant(20);
    for (let i = 0; i < 20; i++) sim.state.signIns.push(...signInsOf(i, 2));
    const logs = reader({ maxUsersPerQuery: 15 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => logs.signInsFor(staffId(i))));
    const calls = reportCalls('signIns');
    assert.equal(calls.length, 2);
    for (let i = 0; i < 20; i++) {
      assert.equal(calls.filter((c) => c.query.$filter.includes(staffId(i))).length, 1, `staff ${i}`);
      assert.deepEqual(results[i].value.map((s) => s.id), [`signin-${i}-0`, `signin-${i}-1`]);
    }
    assert.deepEqual(calls.map((c) => (c.query.$filter.match(/userId eq/g) ?? []).length), [15, 5]);
  });

  it('one query per log at a time: those who ask while one is answered slowly all join the next', async () => {
    await tenant(10);
    for (let i = 0; i < 10; i++) sim.state.signIns.push(...signInsOf(i, 1));
    sim.faults.add({ path: /auditLogs\/signIns$/, latencyMs: 800 });
    const logs = reader({ windowMs: 10 });
    const first = logs.signInsFor(staffId(0));
    // Nine more ask one by one while the first query is on its way (a slow or throttled log).
    const later: Promise<unknown>[] = [];
    for (let i = 1; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 40));
      later.push(logs.signInsFor(staffId(i)));
    }
    await Promise.all([first, ...later]);
    assert.deepEqual(reportCalls('signIns').map((c) => (c.query.$filter.match(/userId eq/g) ?? []).length), [1, 9]);
  });

  it('with the reports limit on (5 per 10 s), 40 snapshots read their logs in at most 6 calls and record no 429', async function () {
    this.timeout(60_000);
    await tenant(40, { limits: { reports: { max: 5, windowSeconds: 10 } } });
    for (let i = 0; i < 40; i++) sim.state.signIns.push(...signInsOf(i, 2));
    for (let i = 0; i < 40; i += 2) sim.state.directoryAudits.push(auditAbout(`audit-${i}`, hoursAgo(3), i, i + 1));
    // A generous window: 40 snapshots on a shared test machine reach their logs over a second or so.
    const logs = reader({ windowMs: 2000 });
    const snapshots = await Promise.all(Array.from({ length: 40 }, (_, i) => snapshotOf(context(i, logs), new Date().toISOString())));

    const admitted = reportCalls().filter((c) => c.status === 200);
    assert.ok(admitted.length <= Math.ceil(40 / 15) * 2, `${admitted.length} report calls`);
    snapshots.forEach((evidence, i) => {
      const { sections } = parseSnapshot(evidence)!;
      const signIns = valueOf(sections.signIns);
      const audits = valueOf(sections.directoryAudits);
      assert.deepEqual(signIns.value.map((s) => s.id), [`signin-${i}-0`, `signin-${i}-1`]);
      assert.deepEqual(audits.value.map((a) => a.id), [`audit-${i - (i % 2)}`]);
      // The section names the query sent and the call(s) that answered it.
      assert.ok(signIns.requestId!.split(',').every((id) => admitted.some((c) => c.requestId === id && c.path === '/v1.0/auditLogs/signIns')));
      assert.ok(signIns.path.startsWith('/auditLogs/signIns?$filter=') && signIns.path.includes(staffId(i)));
      // Another person's evidence never names who else was offboarded at the same time.
      const others = Array.from({ length: 40 }, (_, j) => staffId(j)).filter((id) => id !== staffId(i));
      assert.ok(others.every((id) => !signIns.path.includes(id) && !audits.path.includes(id)), signIns.path);
    });
    // Six calls in a few seconds is past the limit: the sim refused one, graph-client waited out its
    // Retry-After, and the snapshots never saw it. Without combining they would have made 80.
    assert.ok(reportCalls().some((c) => c.status === 429), 'the limit was reached');
  });

  it('a failed query (a 429 that outlasts the retries) is an error section for every case waiting on it', async () => {
    await tenant(5, {}, { maxRetries: 1 });
    for (let i = 0; i < 5; i++) sim.state.signIns.push(...signInsOf(i, 2));
    sim.faults.add({ path: /auditLogs\/signIns$/, status: 429, retryAfterSeconds: 0, times: 2 });
    const logs = reader();
    const snapshots = await Promise.all(Array.from({ length: 5 }, (_, i) => snapshotOf(context(i, logs), new Date().toISOString())));

    const calls = reportCalls('signIns');
    assert.deepEqual(calls.map((c) => c.status), [429, 429], 'one query, retried once by graph-client, for all five');
    for (const evidence of snapshots) {
      const { signIns, directoryAudits } = parseSnapshot(evidence)!.sections;
      assert.ok('error' in signIns, 'recorded as an error');
      assert.equal(signIns.error.status, 429);
      assert.equal(signIns.requestId, calls[1].requestId);
      assert.ok('value' in directoryAudits, 'the other log was read');
    }
    // The next cases get a fresh query.
    const again = await logs.signInsFor(staffId(0));
    assert.deepEqual(again.value.map((s) => s.id), ['signin-0-0', 'signin-0-1']);
  });

  it("the guests each of 8 people invited: one query, each person's own invitations, no one else's", async () => {
    await tenant(8);
    const invitation = (id: string, by: number, guest: string, at: string): SimDirectoryAudit => ({
      ...auditAbout(id, at),
      activityDisplayName: 'Invite external user',
      operationType: 'Add',
      initiatedBy: { user: { id: staffId(by), displayName: null, userPrincipalName: `staff${by}@contoso.com`, ipAddress: null }, app: null },
      targetResources: [{ id: guest, displayName: 'A guest', type: 'User', userPrincipalName: null, modifiedProperties: [] }],
    });
    // Staff member 2 invited two guests, 5 one; Alex's invitation and staff 2's other activity are not theirs to answer for.
    sim.state.directoryAudits.push(
      invitation('inv-1', 2, 'c0000000-0000-0000-0000-000000000001', hoursAgo(3)),
      invitation('inv-2', 2, 'c0000000-0000-0000-0000-000000000002', hoursAgo(1)),
      invitation('inv-3', 5, 'c0000000-0000-0000-0000-000000000003', hoursAgo(2)),
      { ...auditAbout('other', hoursAgo(1), 4), initiatedBy: { user: { id: staffId(2), displayName: null, userPrincipalName: 'staff2@contoso.com', ipAddress: null }, app: null } },
    );
    const logs = reader();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => logs.invitationsBy(staffId(i))));
    assert.equal(reportCalls('directoryAudits').length, 1);
    assert.match(decodeURIComponent(reportCalls('directoryAudits')[0].query.$filter), /activityDisplayName eq 'Invite external user' and \(initiatedBy\/user\/id eq '[^']+' or /);
    assert.deepEqual(answers.map((a) => a.value.map((e) => e.id)), [[], [], ['inv-2', 'inv-1'], [], [], ['inv-3'], [], []]);
    assert.match(answers[2].path, /initiatedBy%2Fuser%2Fid%20eq%20'[^']+'\)&\$top=999 \(read in one query with 7 other user\(s\)\)$/);
  });

  it('the engine shares one reader among the cases it runs: 6 evidence steps, one query per log', async () => {
    await tenant(6);
    for (let i = 0; i < 6; i++) sim.state.signIns.push(...signInsOf(i, 2));
    const dir = await mkdtemp(path.join(tmpdir(), 'audit-logs-'));
    const store = await EmbeddedCaseStore.open(dir);
    try {
      // A wide window, so a busy test machine starting the six cases unevenly still joins them.
      const auditLogs = reader({ windowMs: 1500 });
      const runner = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, auditLogs });
      const cases = Array.from({ length: 6 }, (_, i) => ({ ...approvedCase(staffTarget(i)), steps: [{ action: 'takeEvidence' as const, status: 'pending' as const, requestIds: [] }] }));
      for (const c of cases) await store.createCase(c);
      await runner.sweep();
      assert.deepEqual(reportCalls().map((c) => c.path).sort(), ['/v1.0/auditLogs/directoryAudits', '/v1.0/auditLogs/signIns']);
      for (const [i, c] of cases.entries()) {
        const done = (await store.getCase(c._id))!;
        assert.equal(done.steps[0].status, 'succeeded', done.steps[0].detail);
        assert.deepEqual(valueOf(parseSnapshot(done.evidence)!.sections.signIns).value.map((s) => s.id), [`signin-${i}-0`, `signin-${i}-1`]);
      }
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("with the engine's pacers and a client that leaves 429s to them, the reports limit never reaches the evidence", async function () {
    this.timeout(60_000);
    // 2 calls a second: 10 users in queries of 5 need 4 calls, and the reports pacer starts at 4 a second.
    await tenant(10, { limits: { reports: { max: 2, windowSeconds: 1 } } }, { retryThrottled: false });
    for (let i = 0; i < 10; i++) sim.state.signIns.push(...signInsOf(i, 1));
    const dir = await mkdtemp(path.join(tmpdir(), 'audit-logs-'));
    const store = await EmbeddedCaseStore.open(dir);
    try {
      const runner = new CaseRunner({
        store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, sweepConcurrency: 10,
        pacers: new ServicePacers({}, undefined, { reports: { read: 4 } }), auditLogOptions: { maxUsersPerQuery: 5, windowMs: 500 },
      });
      const cases = Array.from({ length: 10 }, (_, i) => ({ ...approvedCase(staffTarget(i)), steps: [{ action: 'takeEvidence' as const, status: 'pending' as const, requestIds: [] }] }));
      for (const c of cases) await store.createCase(c);
      await runner.sweep();
      assert.ok(reportCalls().some((c) => c.status === 429), 'the tenant did refuse some');
      for (const [i, c] of cases.entries()) {
        const sections = parseSnapshot((await store.getCase(c._id))!.evidence)!.sections;
        assert.deepEqual(valueOf(sections.signIns).value.map((e) => e.id), [`signin-${i}-0`], `staff ${i}`);
        assert.ok('value' in sections.directoryAudits, `staff ${i}: ${JSON.stringify(sections.directoryAudits)}`);
      }
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an id that is not an object id before anything is sent', async () => {
    await tenant(1);
    await assert.rejects(reader().signInsFor("x' or userId ne 'y"), /not an object id/);
    assert.equal(reportCalls().length, 0);
  });
});
