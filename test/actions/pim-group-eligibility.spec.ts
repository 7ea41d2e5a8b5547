import assert from 'node:assert/strict';
import { removePimEligibility } from '../../src/actions/remove-pim-eligibility';
import { SEED_IDS } from '../../src/sim/seed';
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

  it('removes an eligible ownership too, and leaves the groups themselves alone', async () => {
    t.sim.state.groupEligibilities.push({
      id: `${SEED_IDS.projectFalcon}_owner_0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f`,
      principalId: SEED_IDS.jane,
      groupId: SEED_IDS.projectFalcon,
      accessId: 'owner',
      createdDateTime: '2025-01-10T09:00:00Z',
      endDateTime: '2026-01-10T09:00:00Z',
    });
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
    assert.match(outcome.detail, /^GET \/identityGovernance\/privilegedAccess\/group\/eligibilitySchedules failed: Insufficient privileges to complete the operation\. The app needs the PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup permission \(PIM for Groups\)\. \(Authorization_RequestDenied, HTTP 403/);
    assert.deepEqual(t.writes(), []);
  });

  it('names the group by its id when Graph does not expand it (e.g. it was deleted)', async () => {
    t.sim.state.groups.delete(SEED_IDS.itOperationsGroup);
    const plan = await removePimEligibility.plan(t.ctx);
    assert.match(plan.found, new RegExp(`membership of group ${SEED_IDS.itOperationsGroup}`));
  });
});
