import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OffboardingCase, Person } from '../../src/cases/case';
import { CaseOperations } from '../../src/cases/case-operations';
import type { CaseNotifier } from '../../src/cases/case-notifier';
import { OffboardingRequests } from '../../src/cases/offboarding-requests';
import { SecurityApprovals } from '../../src/cases/security-approvals';
import { loadConfig } from '../../src/config';
import { silentLogger, type Logger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Directory } from '../../src/m365/directory';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { alex as alexInTeams, megan as meganInTeams, personal, SECURITY, securityThread, startBotUnderTest, type BotUnderTest } from '../support/bot-under-test';
import { cardText, cardVerbs } from '../support/card-text';
import { cardAction, personalMessage, postActivity } from '../support/teams-activities';
import { newCase } from '../store/case-fixtures';

const policy = loadConfig({}).policy;
const alex: Person = { id: SEED_IDS.alex, displayName: 'Alex Wilber' };
const megan: Person = { id: SEED_IDS.megan, displayName: 'Megan Bowen' };
const adele: Person = { id: SEED_IDS.adele, displayName: 'Adele Vance' };
const isaiah: Person = { id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' };
const patti: Person = { id: SEED_IDS.patti, displayName: 'Patti Fernandez' };
const jane = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', manager: alex };
const DISABLED_APPROVER = /Your account is disabled in the directory, so you cannot approve or reject offboardings\./;
const DISABLED_REQUESTER = /Your account is disabled in the directory, so you cannot request offboardings\./;
const DISABLED_OPERATOR = 'Your account is disabled in the directory, so you cannot change offboardings.';

const quietNotifier: CaseNotifier = {
  requestSecurityApproval: async () => ({ conversationId: SECURITY, activityId: '1' }),
  caseChanged: async () => {},
  stepsChanged: async () => {},
  caseFinished: async () => ({ conversationId: 'it', activityId: '2' }),
};

/** Disables the account the way an offboarding does: PATCH accountEnabled in the (simulated) tenant. */
async function disable(graph: Graph, userId: string, enabled = false): Promise<void> {
  await graph.send('PATCH', `/users/${userId}`, { accountEnabled: enabled });
}

describe('a disabled account cannot request or decide an offboarding (simulated tenant)', () => {
  let sim: SimTenant;
  let graph: Graph;
  let dir: string;
  let store: EmbeddedCaseStore;
  let warnings: { event: string; fields?: Record<string, unknown> }[];
  let log: Logger;

  beforeEach(async () => {
    sim = await startSimTenant();
    graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken });
    dir = await mkdtemp(path.join(tmpdir(), 'disabled-accounts-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    warnings = [];
    log = { ...silentLogger, warn: (event, fields) => void warnings.push({ event, fields }) };
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
    await sim.close();
  });

  describe('approvers', () => {
    let approvals: SecurityApprovals;
    let c: OffboardingCase;

    beforeEach(async () => {
      approvals = new SecurityApprovals({ store, notifier: quietNotifier, groups: new Directory(graph), policy, log, onApproved: () => {} });
      c = newCase({ version: 1, requester: alex, target: jane, requiredApprovals: { security: 1, globalAdmin: false, why: [] }, approvals: { security: [] } });
      await store.createCase(c);
    });

    const decide = (actor: Person, decision: 'approved' | 'rejected') =>
      approvals.decide(actor, { caseId: c._id, version: c.version, decision, reason: decision === 'rejected' ? 'She is staying' : undefined });

    it('refuses a security approver whose account was disabled since the card was posted, audits it, and changes nothing', async () => {
      await disable(graph, SEED_IDS.megan);
      sim.calls.length = 0;

      const approve = await decide(megan, 'approved');
      assert.match(approve.kind === 'unchanged' ? approve.message : '', DISABLED_APPROVER);
      const reject = await decide(megan, 'rejected');
      assert.match(reject.kind === 'unchanged' ? reject.message : '', DISABLED_APPROVER);

      const stored = (await store.getCase(c._id))!;
      assert.equal(stored.state, 'awaiting_approval');
      assert.deepEqual(stored.decisions, []);
      const audit = await store.listAudit(c._id);
      assert.deepEqual(audit.map((e) => [e.event, e.actor, (e.detail as { reason: string }).reason]), [
        ['approval.denied', megan.id, 'Your account is disabled in the directory, so you cannot approve or reject offboardings.'],
        ['approval.denied', megan.id, 'Your account is disabled in the directory, so you cannot approve or reject offboardings.'],
      ]);
      const accountReads = sim.calls.filter((call) => call.path === `/v1.0/users/${SEED_IDS.megan}` && call.query.$select === 'accountEnabled');
      assert.equal(accountReads.length, 2, 'one small read of the account per click');
    });

    it('a refreshed card shows a disabled approver no Approve or Reject, and why; re-enabled, the buttons are back', async () => {
      await disable(graph, SEED_IDS.megan);
      const disabled = await approvals.viewFor(megan, c);
      assert.equal(disabled.canDecide, false);
      assert.match(disabled.notice ?? '', DISABLED_APPROVER);
      await disable(graph, SEED_IDS.megan, true);
      assert.deepEqual(await approvals.viewFor(megan, c), { canDecide: true });
    });

    it('lets an enabled approver decide, and reads the account live: re-enabled, the same person may approve', async () => {
      await disable(graph, SEED_IDS.megan);
      assert.equal((await decide(megan, 'approved')).kind, 'unchanged');
      await disable(graph, SEED_IDS.megan, true);
      const approved = await decide(megan, 'approved');
      assert.equal(approved.kind, 'decided');
      assert.equal((await store.getCase(c._id))!.state, 'approved');
    });

    it('audits a disabled approver even after five forged-card replays by the same person used up their audits', async () => {
      const forged = () => approvals.decide(megan, { caseId: c._id, version: 'forged', decision: 'approved' });
      for (let i = 0; i < 6; i++) {
        const answer = await forged();
        assert.match(answer.kind === 'unchanged' ? answer.message : '', /not sent by the Offboarding bot/, 'every replay is answered');
      }
      const reasons = async () => (await store.listAudit(c._id)).map((e) => [e.event, e.actor, (e.detail as { reason: string }).reason]);
      const forgedDenial = ['approval.denied', megan.id, 'This card was not sent by the Offboarding bot for this case. Nothing was changed.'];
      assert.deepEqual(await reasons(), Array(5).fill(forgedDenial), 'the sixth replay is only logged');

      await disable(graph, SEED_IDS.megan);
      const approve = await decide(megan, 'approved');
      assert.match(approve.kind === 'unchanged' ? approve.message : '', DISABLED_APPROVER);
      assert.deepEqual(await reasons(), [
        ...Array(5).fill(forgedDenial),
        ['approval.denied', megan.id, 'Your account is disabled in the directory, so you cannot approve or reject offboardings.'],
      ]);
      assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    });

    it('refuses a deleted approver as well (the directory no longer has them)', async () => {
      await graph.send('DELETE', `/users/${SEED_IDS.adele}`);
      const answer = await decide(adele, 'approved');
      assert.match(answer.kind === 'unchanged' ? answer.message : '', DISABLED_APPROVER);
      assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    });
  });

  describe('requesters', () => {
    let requests: OffboardingRequests;

    beforeEach(() => {
      requests = new OffboardingRequests({ directory: new Directory(graph), store, notifier: quietNotifier, policy, log });
    });

    it('refuses a disabled manager at "offboard Jane" and at submit, creates no case, and logs the refusal', async () => {
      await disable(graph, SEED_IDS.alex);

      const lookedUp = await requests.lookUp(alex, 'Jane');
      assert.match(lookedUp.kind === 'refused' ? lookedUp.message : '', DISABLED_REQUESTER);
      const submitted = await requests.submit(alex, SEED_IDS.jane, { departureType: 'voluntary', cutoffNow: 'true', timeZone: 'UTC' });
      assert.match(submitted.kind === 'refused' ? submitted.message : '', DISABLED_REQUESTER);

      assert.equal(await store.findOpenCaseFor(SEED_IDS.jane), null, 'no case was opened');
      assert.deepEqual(await store.listCases(), []);
      assert.deepEqual(
        warnings.filter((w) => w.event === 'request.denied').map((w) => w.fields?.requesterId),
        [SEED_IDS.alex, SEED_IDS.alex],
      );
      assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'Jane is untouched');
    });

    it('still lets an enabled requester in IT start the request', async () => {
      await disable(graph, SEED_IDS.alex);
      const lookedUp = await requests.lookUp(isaiah, 'Jane');
      assert.equal(lookedUp.kind, 'request', 'only the disabled person is refused');
    });
  });

  describe('people steering a case (cancel, retry, mark an exception handled)', () => {
    let ops: CaseOperations;

    beforeEach(() => {
      ops = new CaseOperations({ store, groups: new Directory(graph), policy, log });
    });

    const denials = async (c: OffboardingCase) => (await store.listAudit(c._id)).map((e) => [e.event, e.actor, e.detail]);

    it('refuses a requester disabled since asking to cancel, audits why, and keeps the case as it was; read live', async () => {
      const c = newCase({ requester: alex, target: jane });
      await store.createCase(c);
      await disable(graph, SEED_IDS.alex);

      assert.deepEqual(await ops.cancel(alex, c._id, 'Jane stays'), { kind: 'refused', message: DISABLED_OPERATOR });
      const stored = (await store.getCase(c._id))!;
      assert.deepEqual([stored.state, stored.version], ['awaiting_approval', c.version]);
      assert.equal((await store.findOpenCaseFor(SEED_IDS.jane))?._id, c._id, 'Jane stays held by this case');
      assert.deepEqual(await denials(c), [['cancel.denied', alex.id, { reason: DISABLED_OPERATOR }]]);

      await disable(graph, SEED_IDS.alex, true);
      assert.equal((await ops.cancel(alex, c._id)).kind, 'done', 're-enabled, the requester may cancel again');
    });

    it('refuses an IT operator disabled since a retry and marking an exception handled; an enabled one still can', async () => {
      const c = newCase({
        state: 'completed_with_failures',
        requester: alex,
        target: jane,
        steps: [
          { action: 'blockSignIn', status: 'manual', detail: 'Synced from on-premises AD: disable it there.', requestIds: [] },
          { action: 'revokeSessions', status: 'failed', detail: 'Insufficient privileges (Authorization_RequestDenied, HTTP 403)', requestIds: ['r-2'] },
        ],
      });
      await store.createCase(c);
      await disable(graph, SEED_IDS.isaiah);

      assert.deepEqual(await ops.retryFailedSteps(isaiah, c._id), { kind: 'refused', message: DISABLED_OPERATOR });
      assert.deepEqual(await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 0 }, 'Disabled in AD'), { kind: 'refused', message: DISABLED_OPERATOR });
      const untouched = (await store.getCase(c._id))!;
      assert.deepEqual([untouched.state, untouched.version, untouched.steps[0].resolution], ['completed_with_failures', c.version, undefined]);
      assert.deepEqual(await denials(c), [
        ['retry.denied', isaiah.id, { reason: DISABLED_OPERATOR }],
        ['exception.resolve_denied', isaiah.id, { reason: DISABLED_OPERATOR }],
      ]);

      assert.equal((await ops.resolveManualException(patti, c._id, { kind: 'step', index: 0 }, 'Disabled in AD')).kind, 'done');
      assert.equal((await ops.retryFailedSteps(patti, c._id)).kind, 'done');
      const after = (await store.getCase(c._id))!;
      assert.deepEqual([after.state, after.steps[0].resolution?.by.id, after.steps[1].status], ['approved', patti.id, 'pending']);
    });

    it('refuses the person being offboarded from the stored case alone, without asking the directory', async () => {
      const own = newCase({ state: 'completed_with_failures', requester: alex, target: { id: isaiah.id, displayName: isaiah.displayName, userPrincipalName: 'isaiahl@contoso.com' } });
      await store.createCase(own);
      sim.calls.length = 0;
      const ownCase = { kind: 'refused', message: 'Nobody can act on their own offboarding.' };
      assert.deepEqual(await ops.cancel(isaiah, own._id), ownCase);
      assert.deepEqual(await ops.retryFailedSteps(isaiah, own._id), ownCase);
      assert.deepEqual(await ops.resolveManualException(isaiah, own._id, { kind: 'step', index: 0 }, 'done'), ownCase);
      assert.deepEqual(sim.calls, [], 'no Graph read');
    });
  });
});

describe('a disabled account over HTTP: what the person sees in Teams', () => {
  let bot: BotUnderTest;
  let graph: Graph;

  beforeEach(async () => {
    bot = await startBotUnderTest();
    graph = Graph.connect({ baseUrl: bot.app.simUrl!, tokens: simulatedTenantToken });
  });
  afterEach(() => bot.stop());

  it('answers a disabled approver on the card with why, and a disabled manager with a notice', async () => {
    const { app, connector } = bot;
    const say = async (text: string) => {
      const before = connector.calls.length;
      assert.equal((await postActivity(app.url, personalMessage(connector.url, alexInTeams, text))).status, 200);
      const reply = await connector.waitFor(() => connector.calls.length > before && connector.calls[connector.calls.length - 1]);
      return ((reply.body.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;
    };
    const click = async (user: typeof alexInTeams, conversation: { id: string; conversationType: string }, verb: string, data: Record<string, unknown>) => {
      const res = await postActivity(app.url, cardAction(connector.url, user, conversation, verb, data));
      assert.equal(res.body.statusCode, 200, JSON.stringify(res.body));
      return res.body.value as Record<string, unknown>;
    };

    const submit = cardVerbs(await say('offboard Jane')).find((a) => a.verb === 'submitRequest')!;
    await click(alexInTeams, personal(alexInTeams), 'submitRequest', { ...submit.data, departureType: 'voluntary', cutoffNow: 'true', timeZone: 'UTC' });
    const posted = await connector.waitFor(() => connector.cards({ conversationId: SECURITY, method: 'POST' })[0]);
    const approve = cardVerbs(posted.card).find((a) => a.verb === 'approve')!;

    await disable(graph, SEED_IDS.megan);
    const answered = await click(meganInTeams, securityThread, 'approve', approve.data);
    assert.match(cardText(answered), DISABLED_APPROVER);
    const [c] = await app.store.listCases(5);
    assert.equal(c.state, 'awaiting_approval');
    assert.deepEqual((await app.store.listAudit(c._id)).map((e) => e.event), ['case.requested', 'approval.denied']);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'Jane is untouched');

    await disable(graph, SEED_IDS.alex);
    assert.match(cardText(await say('offboard Daniel Brown')), DISABLED_REQUESTER);
  });
});
