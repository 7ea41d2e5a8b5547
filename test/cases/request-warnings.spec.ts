import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import { CardActions, type CardActionDeps } from '../../src/bot/card-actions';
import { approvalCard } from '../../src/cards/approval-card';
import type { OffboardingCase } from '../../src/cases/case';
import type { CaseNotifier } from '../../src/cases/case-notifier';
import { OffboardingRequests } from '../../src/cases/offboarding-requests';
import { previewPlan } from '../../src/cases/plan-preview';
import type { PolicySettings } from '../../src/cases/policy';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Directory } from '../../src/m365/directory';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { janeInSim, type SimContext } from '../actions/sim-context';
import { asRead, texts } from '../cards/card-checks';
import { newCase } from '../store/case-fixtures';

const alex = { id: SEED_IDS.alex, displayName: 'Alex Wilber' };
const BLOCKED = "Jane Doe's account is already blocked from sign-in.";
const TIP_OFF =
  "Jane Doe is in the security approvers group, so they can see this case's cards in the Security channel. For a hostile exit, take them out of the group and the team first.";

/**
 * What Alex (Jane's manager) is told on the request form, and what approvers read on the approval
 * card, when Jane was offboarded before or could see her own case's cards in the Security channel.
 */
describe('warnings about the person, on the request form and the approval card', () => {
  let t: SimContext;
  let dir: string;
  let store: EmbeddedCaseStore;
  let policy: PolicySettings;

  beforeEach(async () => {
    t = await janeInSim();
    dir = await mkdtemp(path.join(tmpdir(), 'request-warnings-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    policy = { securityGroupId: SEED_IDS.securityGroup, itGroupId: SEED_IDS.itOperationsGroup, protectedUserIds: [] };
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
    await t.sim.close();
  });

  function requests(): OffboardingRequests {
    const notifier: CaseNotifier = {
      requestSecurityApproval: async () => ({ conversationId: '19:security@thread.tacv2', activityId: 'approval-1' }),
      caseChanged: async () => {},
      stepsChanged: async () => {},
      caseFinished: async () => ({ conversationId: 'it', activityId: 'x' }),
    };
    const graph = Graph.connect({ baseUrl: t.sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.01 });
    return new OffboardingRequests({
      directory: new Directory(graph),
      store,
      notifier,
      policy,
      log: silentLogger,
      previewPlan: (c) => previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c),
    });
  }

  /** The form Alex gets for "offboard Jane Doe", as the bot renders it. */
  async function requestForm(): Promise<string[]> {
    const found = await requests().lookUp(alex, 'Jane Doe');
    assert.equal(found.kind, 'request', JSON.stringify(found));
    return texts(new CardActions({ defaultTimeZone: 'Europe/Paris' } as CardActionDeps).lookupCard(found, 'personal')).map(asRead);
  }

  /** Alex submits the form; the Security channel's approval card for the new case. */
  async function approvalCardText(): Promise<string[]> {
    const form = { departureType: 'involuntary', cutoffNow: 'true', timeZone: 'Europe/Paris', ticket: 'HR-1042' };
    const result = await requests().submit(alex, SEED_IDS.jane, form);
    assert.equal(result.kind, 'created', JSON.stringify(result));
    return texts(approvalCard((result as { case: OffboardingCase }).case, { canDecide: true }, [])).map(asRead);
  }

  const risk = (text: string) => `- ${text}`;

  it('says nothing extra about a first-time leaver outside the approvers group', async () => {
    const form = await requestForm();
    assert.ok(!form.includes('Before you submit'), JSON.stringify(form));
    const shown = (await approvalCardText()).join('\n');
    assert.doesNotMatch(shown, /already blocked|offboarded before|approvers group/);
    assert.match(shown, /Holds a directory role: Helpdesk Administrator\./, 'the per-step risks are still there');
  });

  it('tells both that the account is already blocked from sign-in', async () => {
    t.sim.state.users.get(SEED_IDS.jane)!.accountEnabled = false;
    assert.ok((await requestForm()).includes(risk(BLOCKED)));
    assert.ok((await approvalCardText()).includes(risk(BLOCKED)));
  });

  it('names the earlier completed case and the day it closed', async () => {
    const earlier = newCase({
      target: { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' },
      state: 'completed',
      createdAt: '2025-03-01T09:00:00.000Z',
      updatedAt: '2025-06-01T09:00:00.000Z',
      steps: [
        { action: 'blockSignIn', status: 'succeeded', requestIds: [], finishedAt: '2025-03-02T10:00:00.000Z' },
        { action: 'revokeSessions', status: 'succeeded', requestIds: [], finishedAt: '2025-03-02T10:01:00.000Z' },
      ],
    });
    await store.createCase(earlier);
    await store.releaseTarget(SEED_IDS.jane, earlier._id);
    // A request that was rejected is no offboarding: only the completed case is named.
    await store.createCase(newCase({ target: earlier.target, state: 'rejected', createdAt: '2025-09-01T09:00:00.000Z' }));

    const notice = `Jane Doe was offboarded before: case ${earlier._id.slice(0, 8)}, closed 2025-03-02.`;
    assert.ok((await requestForm()).includes(risk(notice)));
    const shown = await approvalCardText();
    assert.ok(shown.includes(risk(notice)), JSON.stringify(shown));
    assert.ok(!shown.includes(risk(BLOCKED)), 'her account was enabled again since');
  });

  it('warns Alex before submitting, and the approvers, when Jane is in the security approvers group through a nested group', async () => {
    // CRM Administrators, of which Jane is a member, is itself a member of the approvers group.
    t.sim.state.groups.get(SEED_IDS.securityGroup)!.memberIds.push(SEED_IDS.crmAdmins);
    const form = await requestForm();
    assert.ok(form.includes('Before you submit'));
    assert.ok(form.includes(risk(TIP_OFF)), JSON.stringify(form));
    const shown = await approvalCardText();
    assert.equal(shown.find((line) => line.startsWith('- ')), risk(TIP_OFF), 'the first risk approvers read');
  });

  it('names the Global Administrator approvers group when that is where Jane sits', async () => {
    policy.approval = { reminderHours: 24, expiryHours: 72, privilegedRoleIds: [], globalAdminApproverGroupId: SEED_IDS.vpnUsers };
    const form = await requestForm();
    assert.ok(form.includes(risk(TIP_OFF.replace('the security approvers group', 'the Global Administrator approvers group'))), JSON.stringify(form));
  });

  it('says the check could not be made when the directory does not answer', async () => {
    t.sim.faults.add({ path: /transitiveMemberOf/, status: 403 });
    const form = await requestForm();
    assert.ok(
      form.includes(risk("Could not check whether Jane Doe is in the security approvers group, who see this case's cards in the Security channel. For a hostile exit, check that first.")),
      JSON.stringify(form),
    );
  });
});
