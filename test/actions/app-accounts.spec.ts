import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import { flagAppAccounts } from '../../src/actions/flag-app-accounts';
import { revokeAppConsents } from '../../src/actions/revoke-app-consents';
import { takeEvidence } from '../../src/actions/take-evidence';
import type { OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import { SEED_IDS } from '../../src/sim/seed';
import type { SimSynchronizationJob } from '../../src/sim/workplace';
import { WORKPLACE_IDS } from '../../src/sim/seed-workplace';
import { janeInSim, type SimContext } from './sim-context';

const SALESFORCE = '43765e26-0a9b-4d77-8714-b36d5f32c981';

/** An Entra provisioning job as Graph lists it. */
const job = (state: 'active' | 'disabled' | 'paused', code: SimSynchronizationJob['status']['code']): SimSynchronizationJob => ({
  id: 'salesforce.e0d9a4b3e68f5c4a0d9b2c4e3f5a6b7c8d.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  templateId: 'salesforce',
  schedule: { expiration: null, interval: 'PT40M', state },
  status: { code },
});

describe('flagging the accounts in apps that Entra does not close', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const salesforce = () => t.sim.state.servicePrincipals.find((p) => p.id === SALESFORCE)!;
  const jobReads = () => t.sim.calls.filter((c) => /\/synchronization\/jobs$/.test(c.path));

  it("leaves Jane's Salesforce account to a person, naming the app's owner: nobody set up provisioning, and nothing in the tenant changes", async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    const outcome = await t.run(flagAppAccounts, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /was assigned 1 enterprise app\(s\); nothing closes it in 'Salesforce'/);
    assert.match(
      outcome.detail,
      /'Salesforce': Entra does not close their account in it \(no provisioning is set up; assigned directly\)\. .*disable the account in Salesforce \(its owners in Entra: Alex Wilber\)/,
    );
    assert.deepEqual(t.writes(), []);
  });

  it('says the account closes by itself where provisioning runs, and asks nothing of a person', async () => {
    salesforce().synchronizationJobs = [job('active', 'active')];
    const outcome = await t.run(flagAppAccounts);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Entra provisioning closes their account in 'Salesforce'/);
    assert.match(outcome.detail, /'Salesforce': Entra provisioning \(job salesforce\.\S+\) disables or deletes their account on its next cycle/);
    assert.ok(!t.sim.calls.some((c) => c.path.endsWith('/owners')), 'no owner to ask');
  });

  it('does not count provisioning in quarantine or paused as closing the account', async () => {
    salesforce().synchronizationJobs = [job('active', 'quarantine')];
    const quarantined = await t.run(flagAppAccounts);
    assert.equal(quarantined.status, 'manual', quarantined.detail);
    assert.match(quarantined.detail, /Entra does not close their account in it \(its provisioning is in quarantine; assigned directly\)/);
    salesforce().synchronizationJobs = [job('paused', 'paused')];
    assert.match((await t.run(flagAppAccounts)).detail, /its provisioning is paused/);
  });

  it('still flags the app on a repeated run, after the consents step removed the assignment, from the evidence', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    await t.run(revokeAppConsents);
    assert.deepEqual(t.sim.state.appRoleAssignments.filter((a) => a.principalId === SEED_IDS.jane), []);
    const again = await t.run(flagAppAccounts, { evidence });
    assert.equal(again.status, 'manual', again.detail);
    assert.match(again.detail, /'Salesforce': Entra does not close their account in it/);
  });

  it('fails, saying what to grant, when Microsoft 365 refuses to show the provisioning; and leaves an app deleted since alone', async () => {
    t.sim.faults.add({ path: /synchronization\/jobs$/, status: 403 });
    const refused = await t.run(flagAppAccounts);
    assert.equal(refused.status, 'failed');
    assert.match(refused.detail, /Microsoft 365 refused the app\. This step needs the Graph application permissions Synchronization\.Read\.All/);

    t.sim.state.servicePrincipals = t.sim.state.servicePrincipals.filter((p) => p.id !== SALESFORCE);
    const gone = await t.run(flagAppAccounts);
    assert.equal(gone.status, 'succeeded', gone.detail);
    assert.doesNotMatch(gone.detail, /nothing closes it/);
  });

  it('counts an app assigned to a group she was in, even after the membership step removed her from it', async () => {
    const state = t.sim.state;
    const direct = state.appRoleAssignments.find((a) => a.principalId === SEED_IDS.jane)!;
    state.appRoleAssignments = [{ ...direct, id: 'crm-admins-salesforce', principalId: WORKPLACE_IDS.crmAdmins, principalDisplayName: 'CRM Administrators', principalType: 'Group' }];
    const evidence = (await t.run(takeEvidence)).evidence!;
    state.groups.get(WORKPLACE_IDS.crmAdmins)!.memberIds = [];
    const from = t.sim.calls.length;
    const outcome = await t.run(flagAppAccounts, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /'Salesforce': Entra does not close their account in it \(no provisioning is set up; assigned through 'CRM Administrators'\)/);
    const batches = t.sim.calls.slice(from).filter((c) => c.path === '/v1.0/$batch');
    assert.equal(batches.length, 1, "one $batch reads every group's assignments");
  });

  it('reads nothing more for someone assigned no app', async () => {
    t.sim.state.appRoleAssignments = [];
    const outcome = await t.run(flagAppAccounts);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /was assigned no enterprise app/);
    assert.deepEqual(jobReads(), []);
  });

  it('shows the approvers, before anyone approves, the account nothing will close', async () => {
    const c = { _id: 'case-preview', target: t.ctx.target, request: t.ctx.request, steps: planSteps() } as unknown as OffboardingCase;
    const item = (await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c)).find((i) => i.action === 'flagAppAccounts')!;
    assert.deepEqual(item.risks, ["Keeps an account in 'Salesforce' that Entra does not close."]);
  });
});
