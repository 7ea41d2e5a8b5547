import assert from 'node:assert/strict';
import { removePimEligibility } from '../../src/actions/remove-pim-eligibility';
import { SEED_IDS } from '../../src/sim/seed';
import { daysAfter } from '../../src/sim/seed-clock';
import type { SimGroupEligibility } from '../../src/sim/group-eligibility-state';
import { janeInSim, type SimContext } from './sim-context';

/** What a tenant that never granted the permission answers (reported in hashicorp/terraform-provider-azuread#1386). */
const NOT_GRANTED =
  '{"errorCode":"PermissionScopeNotGranted","message":"Authorization failed due to missing permission scope PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup,PrivilegedAccess.ReadWrite.AzureADGroup,PrivilegedEligibilitySchedule.Remove.AzureADGroup.","instanceAnnotations":[]}';

describe('remove PIM for Groups eligibilities', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const janesGroupEligibilities = () => t.sim.state.groupEligibilities.filter((e) => e.principalId === SEED_IDS.jane);
  const itOperations = () => t.sim.state.groups.get(SEED_IDS.itOperationsGroup)!;
  /** An eligibility of Jane's for Project Falcon, as PIM lists it; `key` makes its id unique. */
  const falcon = (accessId: 'owner' | 'member', key: string, more: Partial<SimGroupEligibility>): SimGroupEligibility => ({
    id: `${SEED_IDS.projectFalcon}_${accessId}_${key}`,
    principalId: SEED_IDS.jane,
    groupId: SEED_IDS.projectFalcon,
    accessId,
    createdDateTime: '2025-01-10T09:00:00Z',
    endDateTime: null,
    ...more,
  });

  it('removes an eligible ownership too, and leaves the groups themselves alone', async () => {
    // Still running whenever the test runs: PIM no longer lists an eligibility once it has ended.
    t.sim.state.groupEligibilities.push(falcon('owner', '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f', { endDateTime: daysAfter(new Date(), 90) }));
    const membersBefore = structuredClone(itOperations().memberIds);
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /membership of 'IT Operations', ownership of 'Project Falcon'\. \(verified: none left\)/);
    const ownership = t.sim.calls.find((c) => c.method === 'POST' && (c.body as { accessId?: string }).accessId === 'owner');
    assert.equal(ownership?.status, 201);
    assert.deepEqual(janesGroupEligibilities(), []);
    assert.deepEqual(itOperations().memberIds, membersBefore, 'an eligibility is not a membership: nobody joined or left');
    assert.deepEqual(t.sim.state.groups.get(SEED_IDS.projectFalcon)!.ownerIds, [SEED_IDS.danielBrown]);
  });

  it("fails with Graph's message and the permission to grant when the app may not remove it; the role eligibility still goes", async () => {
    t.sim.faults.add({ method: 'POST', path: /group\/eligibilityScheduleRequests$/, status: 403, code: 'UnknownError', message: NOT_GRANTED });
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Could not remove the eligibility for membership of 'IT Operations': .*missing permission scope PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup/);
    assert.match(outcome.detail, /The app needs the PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup permission \(PIM for Groups\)\. \(UnknownError, HTTP 403/);
    assert.match(outcome.detail, /Still eligible for: membership of 'IT Operations'\./);
    assert.equal(janesGroupEligibilities().length, 1);
    assert.deepEqual(t.sim.state.roleEligibilities.filter((e) => e.principalId === SEED_IDS.jane), []);
  });

  it('fails before changing anything when the app may not even list them, saying which permission to grant', async () => {
    t.sim.faults.add({ method: 'GET', path: /group\/eligibilitySchedules$/, status: 403 });
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /^Microsoft 365 refused the app\. This step needs .*PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup/);
    assert.match(outcome.detail, / GET \/identityGovernance\/privilegedAccess\/group\/eligibilitySchedules failed: Insufficient privileges to complete the operation\. The app needs the PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup permission \(PIM for Groups\)\. \(Authorization_RequestDenied, HTTP 403/);
    assert.deepEqual(t.writes(), []);
  });

  it('names the group by its id when Graph does not expand it (e.g. it was deleted)', async () => {
    t.sim.state.groups.delete(SEED_IDS.itOperationsGroup);
    const plan = await removePimEligibility.plan(t.ctx);
    assert.match(plan.found, new RegExp(`membership of group ${SEED_IDS.itOperationsGroup}`));
  });

  it('leaves alone an eligibility that has already ended: PIM no longer lists it, and nobody can use it', async () => {
    t.sim.state.groupEligibilities.push(falcon('owner', '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', { endDateTime: new Date(Date.now() - 60_000).toISOString() }));
    const plan = await removePimEligibility.plan(t.ctx);
    assert.deepEqual(plan.changes.map((e) => e.name), ['Teams Administrator', "membership of 'IT Operations'"]);
    assert.doesNotMatch(plan.found, /Project Falcon/);
  });

  it('notes, and does not try to remove, an eligible membership Jane has only through a group', async () => {
    t.sim.state.groupEligibilities.push(falcon('member', '7e6d5c4b-3a2f-4e1d-9c8b-7a6f5e4d3c2b', { memberType: 'Group' }));
    const plan = await removePimEligibility.plan(t.ctx);
    assert.match(plan.found, /; through a group, not removed here: membership of 'Project Falcon'$/);
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Removed 2 of 2 PIM eligibility\(ies\): Teams Administrator, membership of 'IT Operations'\. \(verified: none left\)/);
    assert.match(
      outcome.detail,
      /Eligible for membership of 'Project Falcon' through a group, not removed here: it ends when the user leaves that group or when that group's eligibility is removed\.$/,
    );
    const requests = t.sim.calls.filter((c) => c.method === 'POST').map((c) => (c.body as { groupId?: string }).groupId);
    assert.ok(!requests.includes(SEED_IDS.projectFalcon), 'an adminRemove naming Jane cannot remove what is the group\'s');
    assert.deepEqual(janesGroupEligibilities().map((e) => e.groupId), [SEED_IDS.projectFalcon]);
  });
});
