import { CaseOperations } from '../../src/cases/case-operations';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import restify from 'restify';
import { listen } from '../../src/server';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { silentLogger } from '../../src/log';
import { SEED_IDS } from '../../src/sim/seed';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { registerDashboardRoutes } from '../../src/tab/dashboard-routes';
import { DEMO_USER_HEADER } from '../../src/tab/tab-sign-in';
import { PEOPLE, seededCase, seedFailedCase, settled, startDashboard, type RunningDashboard, caseWithFollowUps, caseWithManualFollowUp } from './dashboard-fixture';

async function call(url: string, as: string | undefined, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { ...(as ? { [DEMO_USER_HEADER]: as } : {}), 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: type.includes('json') ? await res.json() : await res.text() };
}

describe('dashboard API (real app, simulated tenant, demo sign-in)', () => {
  let d: RunningDashboard;

  beforeEach(async () => {
    d = await startDashboard();
  });
  afterEach(() => d.close());

  it('asks for sign-in without credentials, and refuses people outside security, IT and HR', async () => {
    assert.equal((await call(`${d.url}/api/cases`, undefined)).status, 401);
    assert.equal((await call(`${d.url}/api/cases`, '00000000-0000-0000-0000-000000000999')).status, 401, 'only offered demo users');
    const jane = await call(`${d.url}/api/cases`, SEED_IDS.jane);
    assert.equal(jane.status, 403);
    assert.match(jane.body.message, /security, IT and HR/);
    const me = await call(`${d.url}/api/me`, SEED_IDS.jane);
    assert.deepEqual(me.body, { id: SEED_IDS.jane, name: 'Jane Doe', roles: { security: false, it: false, hr: false }, mayViewCases: false });
  });

  it('lists cases with deadline and exceptions, filtered by state and search text', async () => {
    const failed = await seedFailedCase(d);
    await d.store.createCase(seededCase(d.app, SEED_IDS.danielBrown, { request: { departureType: 'voluntary', cutoff: '2099-01-01T17:00', timeZone: 'UTC', ticket: 'HR-2001' }, notBefore: '2099-01-01T17:00:00.000Z' }));

    const all = await call(`${d.url}/api/cases`, SEED_IDS.megan);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.cases.map((c: { target: { displayName: string } }) => c.target.displayName), ['Daniel Brown', 'Jane Doe']);
    const [daniel, jane] = all.body.cases;
    assert.equal(jane.exceptions, 1);
    assert.equal(jane.stateLabel, 'Completed with failures');
    assert.equal(jane.deadline.accessRemoved, false, 'her sessions were not revoked: the clock still runs, closed case or not');
    assert.ok(daniel.deadline.msLeft > 0, 'time left until the cut-off');
    assert.equal(daniel.requester, 'Alex Wilber');

    const byState = await call(`${d.url}/api/cases?state=completed_with_failures`, SEED_IDS.lynne);
    assert.deepEqual(byState.body.cases.map((c: { id: string }) => c.id), [failed._id]);
    const byTicket = await call(`${d.url}/api/cases?q=hr-2001`, SEED_IDS.isaiah);
    assert.deepEqual(byTicket.body.cases.map((c: { target: { displayName: string } }) => c.target.displayName), ['Daniel Brown']);
  });

  it('shows the plan read from the tenant at request time, with its risks', async () => {
    const c = seededCase(d.app, SEED_IDS.conor, {
      planPreview: [{ action: 'removeDirectoryRoles', found: 'assigned: Helpdesk Administrator.', changes: ['Helpdesk Administrator'], risks: ['Holds 1 privileged directory role(s).'] }],
    });
    await d.store.createCase(c);
    const detail = await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.isaiah);
    assert.deepEqual(detail.body.case.plan, [
      { label: 'Remove directory roles', line: 'assigned: Helpdesk Administrator. (Helpdesk Administrator)', risks: ['Holds 1 privileged directory role(s).'] },
    ]);
  });

  it('shows a case with its steps, decisions and audit, and offers retry only to IT', async () => {
    const c = await seedFailedCase(d);
    const asIsaiah = await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.isaiah);
    assert.equal(asIsaiah.status, 200);
    assert.equal(asIsaiah.body.canRetry, true);
    const steps = asIsaiah.body.case.steps;
    assert.deepEqual(steps.map((s: { label: string; statusLabel: string }) => `${s.label}: ${s.statusLabel}`), ['Block sign-in: Succeeded', 'Revoke sessions: Failed']);
    assert.match(steps[1].detail, /Authorization_RequestDenied/);
    assert.match(asIsaiah.body.case.decisions[0].by.displayName, /Megan Bowen/);
    assert.ok(asIsaiah.body.case.audit.some((e: { event: string }) => e.event === 'case.completed_with_failures'));
    assert.equal((await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.megan)).body.canRetry, false);
    assert.equal((await call(`${d.url}/api/cases/no-such-case`, SEED_IDS.megan)).status, 404);
  });

  it('retry by IT runs the failed step again until the case completes; security is refused', async () => {
    const c = await seedFailedCase(d);
    const refused = await call(`${d.url}/api/cases/${c._id}/retry`, SEED_IDS.megan, { method: 'POST' });
    assert.equal(refused.status, 403);
    const retried = await call(`${d.url}/api/cases/${c._id}/retry`, SEED_IDS.isaiah, { method: 'POST' });
    assert.deepEqual(retried.body, { ok: true, state: 'approved' });
    const done = await settled(d.store, c._id);
    assert.equal(done.state, 'completed');
    assert.ok(d.app.sim!.state.users.get(SEED_IDS.jane)!.signInSessionsValidFromDateTime, 'Jane\'s sessions are revoked now');
    const row = (await call(`${d.url}/api/cases`, SEED_IDS.megan)).body.cases.find((r: { id: string }) => r.id === c._id);
    assert.equal(row.deadline.accessRemoved, true);
    const again = await call(`${d.url}/api/cases/${c._id}/retry`, SEED_IDS.isaiah, { method: 'POST' });
    assert.equal(again.status, 409);
  });

  it('shows the follow-ups of a closed case, counts a failed one as an exception, and lets IT retry it', async () => {
    const c = caseWithFollowUps(d.app);
    await d.store.createCase(c);

    const row = (await call(`${d.url}/api/cases`, SEED_IDS.megan)).body.cases.find((r: { id: string }) => r.id === c._id);
    assert.equal(row.exceptions, 1, 'the failed follow-up is an open exception');
    const detail = await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.isaiah);
    assert.deepEqual(
      detail.body.case.followUps.map((f: { label: string; statusLabel: string; notBefore: string }) => [f.label, f.statusLabel, f.notBefore]),
      [
        ["Remove the delegate's mailbox access", 'Failed', '2025-06-30T00:00:00.000Z'],
        ['Delete the account', 'Pending', '2099-01-05T09:00:00.000Z'],
        ['Remind IT to review the case', 'Skipped', '2025-07-01T09:00:00.000Z'],
      ],
    );
    assert.match(detail.body.case.followUps[0].detail, /Access denied/);
    assert.deepEqual(detail.body.case.followUps[2].cancelled, { at: '2025-06-02T10:00:00.000Z', by: PEOPLE.megan, reason: 'Jane comes back.' });
    assert.equal(detail.body.canRetry, true, 'a completed case with a failed follow-up can be retried');
    assert.equal((await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.megan)).body.canRetry, false, 'by IT only');

    const retried = await call(`${d.url}/api/cases/${c._id}/retry`, SEED_IDS.isaiah, { method: 'POST' });
    assert.deepEqual(retried.body, { ok: true, state: 'completed' });
    const until = Date.now() + 10_000;
    while ((await d.store.getCase(c._id))!.followUps![0].status !== 'succeeded' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.isaiah);
    assert.equal(after.body.case.followUps[0].statusLabel, 'Succeeded', after.body.case.followUps[0].detail);
    assert.equal(after.body.case.exceptions, 0);
    assert.equal(after.body.canRetry, false);
    assert.ok(after.body.case.audit.some((e: { event: string; detail?: { followUps?: unknown[] } }) => e.event === 'case.retry_requested' && e.detail?.followUps?.length === 1));
  });

  describe('marking a follow-up left to a person as handled', () => {
    const resolve = (caseId: string, as: string, body: unknown) =>
      call(`${d.url}/api/cases/${caseId}/exceptions/resolve`, as, { method: 'POST', body: JSON.stringify(body) });
    const handledBy = (caseId: string) => resolve(caseId, SEED_IDS.isaiah, { kind: 'followUp', index: 0, note: 'Removed Alex from the mailbox group' });

    it('IT marks it handled once: the case shows who, when and what, no longer counts it, and the audit says which follow-up', async () => {
      const c = caseWithManualFollowUp(d.app);
      await d.store.createCase(c);
      const before = await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.isaiah);
      assert.equal(before.body.case.exceptions, 1);
      assert.equal(before.body.canResolve, true, 'offered for a follow-up alone');
      assert.equal((await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.megan)).body.canResolve, false, 'by IT only');

      // A double click: two submits at once, one recorded.
      const answers = await Promise.all([handledBy(c._id), handledBy(c._id)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
      assert.deepEqual(answers.find((a) => a.status === 200)!.body, { ok: true, state: 'completed' });
      const again = await handledBy(c._id);
      assert.deepEqual([again.status, again.body.message], [409, 'That follow-up is already marked handled.']);

      const after = await call(`${d.url}/api/cases/${c._id}`, SEED_IDS.isaiah);
      const followUp = after.body.case.followUps[0];
      assert.equal(followUp.statusLabel, 'Manual action needed', 'the exception stays in the record');
      assert.deepEqual(followUp.resolution.by, PEOPLE.isaiah);
      assert.equal(followUp.resolution.note, 'Removed Alex from the mailbox group');
      assert.ok(Date.parse(followUp.resolution.at) > 0);
      assert.equal(after.body.case.exceptions, 0);
      assert.equal(after.body.canResolve, false);
      const row = (await call(`${d.url}/api/cases`, SEED_IDS.megan)).body.cases.find((r: { id: string }) => r.id === c._id);
      assert.equal(row.exceptions, 0);
      const resolved = (await d.store.listAudit(c._id)).filter((e) => e.event === 'exception.resolved');
      assert.deepEqual(resolved.map((e) => [e.actor, e.detail]), [[SEED_IDS.isaiah, { kind: 'followUp', index: 0, action: 'removeDelegateAccess', note: 'Removed Alex from the mailbox group' }]]);
    });

    it('refuses security (outside IT) and the person offboarded, even in IT, and changes nothing', async () => {
      const c = caseWithManualFollowUp(d.app);
      await d.store.createCase(c);
      const bySecurity = await resolve(c._id, SEED_IDS.megan, { kind: 'followUp', index: 0, note: 'done' });
      assert.deepEqual([bySecurity.status, bySecurity.body.message], [403, 'Only members of the IT operations group can mark exceptions as handled.']);
      const own = caseWithManualFollowUp(d.app, SEED_IDS.isaiah);
      await d.store.createCase(own);
      const byTarget = await handledBy(own._id);
      assert.deepEqual([byTarget.status, byTarget.body.message], [403, 'Nobody can act on their own offboarding.']);
      assert.equal((await resolve(c._id, SEED_IDS.jane, { kind: 'followUp', index: 0, note: 'done' })).status, 403, 'outside every dashboard group');
      for (const id of [c._id, own._id]) {
        assert.equal((await d.store.getCase(id))!.followUps![0].resolution, undefined);
        assert.deepEqual((await d.store.listAudit(id)).map((e) => e.event).filter((e) => e.startsWith('exception.')), ['exception.resolve_denied']);
      }
    });

    it('answers a tampered or wrong request with a clear 4xx and changes nothing', async () => {
      const c = caseWithManualFollowUp(d.app);
      await d.store.createCase(c);
      const bad = [
        { kind: 'followUp', index: -1, note: 'done' },
        { kind: 'followUp', index: 0.5, note: 'done' },
        { kind: 'followUp', index: '0', note: 'done' },
        { kind: 'followUps', index: 0, note: 'done' },
        { kind: 'followUp', index: 0 },
        { kind: 'followUp', index: 0, note: 'done', by: PEOPLE.megan },
        'followUp 0',
      ];
      for (const body of bad) {
        const res = await resolve(c._id, SEED_IDS.isaiah, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.message, /kind "step" or "followUp"/);
      }
      const conflicts: [unknown, RegExp][] = [
        [{ kind: 'followUp', index: 1, note: 'done' }, /That follow-up was not left to a person/],
        [{ kind: 'followUp', index: 2, note: 'done' }, /not left to a person/],
        [{ kind: 'followUp', index: 3, note: 'done' }, /This case has no such follow-up/],
        [{ kind: 'step', index: 0, note: 'done' }, /That step was not left to a person/],
        [{ kind: 'followUp', index: 0, note: '   ' }, /Say what was done/],
      ];
      for (const [body, message] of conflicts) {
        const res = await resolve(c._id, SEED_IDS.isaiah, body);
        assert.equal(res.status, 409, JSON.stringify(body));
        assert.match(res.body.message, message);
      }
      assert.equal((await resolve('no-such-case', SEED_IDS.isaiah, { kind: 'followUp', index: 0, note: 'done' })).status, 404);
      const stored = (await d.store.getCase(c._id))!;
      assert.equal(stored.version, c.version, 'nothing changed');
      assert.deepEqual(await d.store.listAudit(c._id), []);
    });

    it('marks a manual step handled the same way', async () => {
      const c = seededCase(d.app, SEED_IDS.conor, {
        state: 'completed',
        steps: [{ action: 'blockSignIn', status: 'manual', detail: 'Synced from on-premises AD: disable it there.', requestIds: [] }, { action: 'revokeSessions', status: 'succeeded', requestIds: ['r-1'] }],
      });
      await d.store.createCase(c);
      const step = (index: unknown, note: unknown) => resolve(c._id, SEED_IDS.isaiah, { kind: 'step', index, note });
      assert.equal((await step(-1, 'done')).status, 400);
      assert.equal((await step('0x0', 'done')).status, 400);
      assert.equal((await step(0, 42)).status, 400);
      assert.equal((await step(1, 'done')).status, 409);
      assert.deepEqual((await step(0, 'Disabled in AD')).body, { ok: true, state: 'completed' });
      const stored = (await d.store.getCase(c._id))!;
      assert.equal(stored.steps[0].resolution!.note, 'Disabled in AD');
      assert.deepEqual((await d.store.listAudit(c._id)).map((e) => e.detail), [{ kind: 'step', index: 0, action: 'blockSignIn', note: 'Disabled in AD' }]);
    });
  });

  it('cancel by the requester (even outside the dashboard groups) or IT frees the target; others are refused', async () => {
    const c = seededCase(d.app, SEED_IDS.danielBrown);
    await d.store.createCase(c);
    assert.equal((await call(`${d.url}/api/cases/${c._id}/cancel`, SEED_IDS.megan, { method: 'POST', body: '{}' })).status, 403);
    const byRequester = await call(`${d.url}/api/cases/${c._id}/cancel`, PEOPLE.alex.id, { method: 'POST', body: JSON.stringify({ reason: 'Daniel stays' }) });
    assert.deepEqual(byRequester.body, { ok: true, state: 'cancelled' });
    assert.equal(await d.store.findOpenCaseFor(SEED_IDS.danielBrown), null);
    const audit = await d.store.listAudit(c._id);
    assert.deepEqual(audit.map((e) => [e.event, e.actor]), [['cancel.denied', SEED_IDS.megan], ['case.cancelled', SEED_IDS.alex]]);

    const approved = seededCase(d.app, SEED_IDS.conor, { notBefore: '2099-01-01T00:00:00.000Z', state: 'approved' });
    await d.store.createCase(approved);
    assert.equal((await call(`${d.url}/api/cases/${approved._id}/cancel`, SEED_IDS.isaiah, { method: 'POST', body: '{}' })).status, 200);
    assert.equal((await call(`${d.url}/api/cases/${approved._id}/cancel`, SEED_IDS.isaiah, { method: 'POST', body: '{}' })).status, 409, 'already cancelled');
  });

  it('refuses a requester disabled since asking to cancel (403, saying why), audits it, and keeps the case', async () => {
    const c = seededCase(d.app, SEED_IDS.danielBrown);
    await d.store.createCase(c);
    const graph = Graph.connect({ baseUrl: d.app.simUrl!, tokens: simulatedTenantToken });
    await graph.send('PATCH', `/users/${SEED_IDS.alex}`, { accountEnabled: false });

    const cancel = await call(`${d.url}/api/cases/${c._id}/cancel`, PEOPLE.alex.id, { method: 'POST', body: JSON.stringify({ reason: 'Daniel stays' }) });
    assert.deepEqual([cancel.status, cancel.body.message], [403, 'Your account is disabled in the directory, so you cannot change offboardings.']);
    assert.equal((await d.store.getCase(c._id))!.state, 'awaiting_approval');
    assert.equal((await d.store.findOpenCaseFor(SEED_IDS.danielBrown))?._id, c._id);
    assert.deepEqual((await d.store.listAudit(c._id)).map((e) => [e.event, e.actor, e.detail]), [
      ['cancel.denied', SEED_IDS.alex, { reason: 'Your account is disabled in the directory, so you cannot change offboardings.' }],
    ]);
  });

  it('shows nothing to a disabled account, even in the IT group: list, case, evidence', async () => {
    const c = seededCase(d.app, SEED_IDS.danielBrown);
    await d.store.createCase(c);
    assert.equal((await call(`${d.url}/api/cases`, SEED_IDS.isaiah)).status, 200);
    const graph = Graph.connect({ baseUrl: d.app.simUrl!, tokens: simulatedTenantToken });
    await graph.send('PATCH', `/users/${SEED_IDS.isaiah}`, { accountEnabled: false });
    for (const path of ['/api/cases', `/api/cases/${c._id}`, `/api/cases/${c._id}/evidence.json`, '/api/me']) {
      const res = await call(`${d.url}${path}`, SEED_IDS.isaiah);
      assert.deepEqual([res.status, res.body.message], [403, 'Your account is disabled in the directory, so you cannot see offboarding cases.'], path);
    }
    assert.deepEqual(await d.store.listAudit(c._id), [], 'no evidence export was recorded');
  });

  it("hides a person's own offboarding from them, even in the IT group, and refuses them every operation on it", async () => {
    const own = seededCase(d.app, SEED_IDS.isaiah, { notBefore: '2099-01-01T00:00:00.000Z', state: 'approved' });
    await d.store.createCase(own);
    const other = seededCase(d.app, SEED_IDS.danielBrown);
    await d.store.createCase(other);
    const list = await call(`${d.url}/api/cases`, SEED_IDS.isaiah);
    assert.deepEqual(list.body.cases.map((r: { id: string }) => r.id), [other._id], 'the cut-off of his own case is not shown to him');
    for (const path of ['', '/evidence.json', '/evidence.html']) {
      assert.equal((await call(`${d.url}/api/cases/${own._id}${path}`, SEED_IDS.isaiah)).status, 404, path || 'detail');
    }
    const cancel = await call(`${d.url}/api/cases/${own._id}/cancel`, SEED_IDS.isaiah, { method: 'POST', body: '{}' });
    assert.equal(cancel.status, 403);
    assert.match(cancel.body.message, /Nobody can act on their own offboarding/);
    assert.equal((await d.store.getCase(own._id))!.state, 'approved');
    assert.deepEqual((await d.store.listAudit(own._id)).map((e) => [e.event, e.actor]), [['cancel.denied', SEED_IDS.isaiah]]);
    const megan = await call(`${d.url}/api/cases`, SEED_IDS.megan);
    assert.ok(megan.body.cases.some((r: { id: string }) => r.id === own._id), 'security still sees it');
  });

  it('exports the evidence pack as JSON and as an escaped, printable HTML page, and audits the export', async () => {
    const c = seededCase(d.app, SEED_IDS.conor, { request: { departureType: 'high-risk', cutoff: 'now', timeZone: 'UTC', notes: '<script>alert(1)</script> & "quotes"' } });
    await d.store.createCase(c);
    const json = await call(`${d.url}/api/cases/${c._id}/evidence.json`, SEED_IDS.megan);
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-disposition')!, /attachment; filename="offboarding-conor\.obrien-[0-9a-f]{8}\.json"/);
    assert.equal(json.body.format, 'offboarding-evidence-pack');
    assert.equal(json.body.case._id, c._id);
    assert.equal(json.body.evidence, null);
    assert.equal(json.body.exportedBy.displayName, 'Megan Bowen');

    const html = await call(`${d.url}/api/cases/${c._id}/evidence.html`, SEED_IDS.megan);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type')!, /text\/html/);
    assert.match(html.body, /Offboarding evidence: Conor O&#39;Brien/);
    assert.match(html.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/);
    assert.doesNotMatch(html.body, /<script>/);
    assert.match(html.body, /evidence\.exported/, 'the JSON export is in the audit trail of the page');
    assert.equal((await call(`${d.url}/api/cases/${c._id}/evidence.json`, SEED_IDS.jane)).status, 403);
  });

  it('serves the tab page and teams-js, and nothing else under /tab/', async () => {
    const page = await fetch(`${d.url}/tab/index.html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /frame-ancestors [^;]*https:\/\/teams\.microsoft\.com/);
    assert.match(await page.text(), /Demo sign-in \(simulated tenant\)/);
    const teamsJs = await fetch(`${d.url}/tab/vendor/MicrosoftTeams.min.js`);
    assert.equal(teamsJs.status, 200);
    assert.match(await teamsJs.text(), /getAuthToken/);
    assert.equal((await fetch(`${d.url}/tab/..%2F..%2Fpackage.json`)).status, 404);
    assert.equal((await fetch(`${d.url}/tab/dashboard-routes.ts`)).status, 404);
  });
});

describe('dashboard API in production mode', () => {
  it('refuses the demo sign-in header with 401', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tab-prod-'));
    const store = await EmbeddedCaseStore.open(dir);
    const server = restify.createServer();
    const groups = { isMemberOf: async () => true, isAccountEnabled: async () => true };
    const policy = { securityGroupId: SEED_IDS.securityGroup, itGroupId: SEED_IDS.itOperationsGroup, protectedUserIds: [] };
    registerDashboardRoutes(server, {
      mode: 'production',
      store,
      groups,
      policy,
      log: silentLogger,
      operations: new CaseOperations({ store, groups, policy, log: silentLogger }),
      readiness: async () => assert.fail('not asked without a signed-in caller'),
    });
    const url = await listen(server, 0, '127.0.0.1');
    try {
      const res = await call(`${url}/api/cases`, SEED_IDS.isaiah);
      assert.equal(res.status, 401);
      const session = await call(`${url}/api/tab/session`, undefined);
      assert.deepEqual(session.body, { mode: 'production', sso: false }, 'no demo users offered');
    } finally {
      server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
