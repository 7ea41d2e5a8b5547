import assert from 'node:assert/strict';
import { removePimEligibility } from '../../src/actions/remove-pim-eligibility';
import { SEED_IDS } from '../../src/sim/seed';
import { withoutPimLicence } from '../support/without-pim-licence';
import { janeInSim, type SimContext } from './sim-context';

describe('remove PIM eligibilities', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const janesEligibilities = () => t.sim.state.roleEligibilities.filter((e) => e.principalId === SEED_IDS.jane);
  const janesGroupEligibilities = () => t.sim.state.groupEligibilities.filter((e) => e.principalId === SEED_IDS.jane);

  it("revokes Jane's Teams Administrator and IT Operations eligibilities with adminRemove requests, verifies, and does nothing the second time", async () => {
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Removed 2 of 2 PIM eligibility\(ies\): Teams Administrator, membership of 'IT Operations'\. \(verified: none left\)/);
    const requests = t.sim.calls.filter((c) => c.method === 'POST');
    const justification = 'Offboarding (case case-jane-1, ticket HR-1042)';
    assert.deepEqual(
      requests.map((c) => [c.path, c.status, c.body]),
      [
        [
          '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
          201,
          { action: 'adminRemove', principalId: SEED_IDS.jane, roleDefinitionId: SEED_IDS.teamsAdministrator, directoryScopeId: '/', justification },
        ],
        [
          '/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests',
          201,
          { accessId: 'member', principalId: SEED_IDS.jane, groupId: SEED_IDS.itOperationsGroup, action: 'adminRemove', justification },
        ],
      ],
    );
    assert.deepEqual(janesEligibilities(), []);
    assert.deepEqual(janesGroupEligibilities(), []);
    assert.ok(t.sim.state.roleAssignments.some((a) => a.principalId === SEED_IDS.jane), 'the active role is another step\'s work');

    const calls = t.sim.calls.length;
    const again = await t.run(removePimEligibility);
    assert.equal(again.status, 'succeeded');
    assert.match(again.detail, /^Nothing to change: the user is not eligible for any directory role, nor for membership or ownership of any group \(PIM\)\./);
    assert.deepEqual(t.writes(calls), []);
  });

  it("fails with Graph's error when the app may not remove role eligibilities, and that eligibility stays", async () => {
    t.sim.faults.add({ method: 'POST', path: /roleEligibilityScheduleRequests$/, status: 403 });
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Could not remove the eligibility for Teams Administrator: .*Authorization_RequestDenied, HTTP 403/);
    assert.match(outcome.detail, /Still eligible for: Teams Administrator\./);
    assert.equal(janesEligibilities().length, 1);
    assert.deepEqual(janesGroupEligibilities(), [], 'the group eligibility is removed all the same');
  });

  it('counts eligibilities already gone when the requests are made (a resumed run) as removed', async () => {
    const plan = await removePimEligibility.plan(t.ctx);
    assert.equal(plan.changes.length, 2);
    t.sim.state.roleEligibilities = [];
    t.sim.state.groupEligibilities = [];
    const applied = await removePimEligibility.apply(t.ctx, plan);
    assert.deepEqual(applied.failures, []);
    const refused = t.sim.calls.filter((c) => c.method === 'POST' && c.status === 400);
    assert.equal(refused.length, 2, 'Graph answered RoleAssignmentDoesNotExist to both');
    assert.equal((await removePimEligibility.verify(t.ctx, plan, applied)).ok, true);
  });

  it('is skipped in a tenant without Entra ID P2, where PIM answers 400 AadPremiumLicenseRequired: there is nothing to remove', async () => {
    withoutPimLicence(t.sim);
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'skipped');
    assert.equal(outcome.detail, 'No PIM in this tenant (no Entra ID P2 licence): nothing to remove.');
    assert.deepEqual(t.writes(), []);
    const preview = await removePimEligibility.plan(t.ctx);
    assert.equal(preview.stop?.reason, outcome.detail, 'the plan preview says the same');
  });

  it('still fails on any other refusal of the list, changing nothing', async () => {
    t.sim.faults.add({ method: 'GET', path: /roleEligibilitySchedules$/, status: 400, code: 'BadRequest', message: 'Invalid filter clause' });
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Invalid filter clause \(BadRequest, HTTP 400/);
    assert.deepEqual(t.writes(), []);
  });

  it("notes a role eligibility Jane has through a group and removes only her own, which is all adminRemove can do", async () => {
    t.sim.state.roleEligibilities.push({
      id: 'jane-ga-through-group',
      principalId: SEED_IDS.jane,
      roleDefinitionId: SEED_IDS.globalAdministrator,
      directoryScopeId: '/',
      createdDateTime: '2025-02-03T09:00:00Z',
      endDateTime: null,
      memberType: 'Group',
    });
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /^Removed 2 of 2 PIM eligibility\(ies\): Teams Administrator, membership of 'IT Operations'\./);
    assert.match(outcome.detail, /Eligible for Global Administrator through a group, not removed here: it ends when the user leaves that group or when that group's eligibility is removed\.$/);
    const roleRequests = t.sim.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/roleEligibilityScheduleRequests'));
    assert.deepEqual(roleRequests.map((c) => (c.body as { roleDefinitionId: string }).roleDefinitionId), [SEED_IDS.teamsAdministrator]);
    assert.deepEqual(janesEligibilities().map((e) => e.id), ['jane-ga-through-group']);
  });
});
