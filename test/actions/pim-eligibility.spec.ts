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

  it('revokes Jane\'s Teams Administrator eligibility with an adminRemove request, verifies, and does nothing the second time', async () => {
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Removed 1 of 1 PIM eligibility\(ies\): Teams Administrator\. \(verified: none left\)/);
    const requests = t.sim.calls.filter((c) => c.method === 'POST');
    assert.deepEqual(
      requests.map((c) => [c.path, c.status, c.body]),
      [[
        '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
        201,
        {
          action: 'adminRemove',
          principalId: SEED_IDS.jane,
          roleDefinitionId: SEED_IDS.teamsAdministrator,
          directoryScopeId: '/',
          justification: 'Offboarding (case case-jane-1, ticket HR-1042)',
        },
      ]],
    );
    assert.deepEqual(janesEligibilities(), []);
    assert.ok(t.sim.state.roleAssignments.some((a) => a.principalId === SEED_IDS.jane), 'the active role is another step\'s work');

    const calls = t.sim.calls.length;
    const again = await t.run(removePimEligibility);
    assert.equal(again.status, 'succeeded');
    assert.match(again.detail, /^Nothing to change: the user is not eligible for any directory role/);
    assert.deepEqual(t.writes(calls), []);
  });

  it("fails with Graph's error when the app may not remove eligibilities, and the eligibility stays", async () => {
    t.sim.faults.add({ method: 'POST', path: /roleEligibilityScheduleRequests$/, status: 403 });
    const outcome = await t.run(removePimEligibility);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Could not remove the eligibility for Teams Administrator: .*Authorization_RequestDenied, HTTP 403/);
    assert.match(outcome.detail, /Still eligible for: Teams Administrator\./);
    assert.equal(janesEligibilities().length, 1);
  });

  it('counts an eligibility already gone when the request is made (a resumed run) as removed', async () => {
    const plan = await removePimEligibility.plan(t.ctx);
    assert.equal(plan.changes.length, 1);
    t.sim.state.roleEligibilities = [];
    const applied = await removePimEligibility.apply(t.ctx, plan);
    assert.deepEqual(applied.failures, []);
    assert.ok(t.sim.calls.some((c) => c.method === 'POST' && c.status === 400), "Graph answered RoleAssignmentDoesNotExist");
    assert.equal((await removePimEligibility.verify(t.ctx, plan, applied)).ok, true);
  });
});
