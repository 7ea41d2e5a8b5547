import assert from 'node:assert/strict';
import { removePimEligibility } from '../../src/actions/remove-pim-eligibility';
import { SEED_IDS } from '../../src/sim/seed';
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
});
