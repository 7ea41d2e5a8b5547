import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph, q } from './sim-fetch';

const SCHEDULES = '/identityGovernance/privilegedAccess/group/eligibilitySchedules';
const REQUESTS = '/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests';

describe('sim tenant: PIM for Groups eligibilities', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const janes = () => graph(sim, `${SCHEDULES}?$filter=${q(`principalId eq '${SEED_IDS.jane}'`)}&$expand=group`);
  const adminRemove = { accessId: 'member', principalId: SEED_IDS.jane, groupId: SEED_IDS.itOperationsGroup, action: 'adminRemove' };

  it("lists Jane's eligible membership of IT Operations in Graph's shape, with the group expanded", async () => {
    const { status, body } = await janes();
    assert.equal(status, 200);
    assert.match(body['@odata.context'], /\$metadata#identityGovernance\/privilegedAccess\/group\/eligibilitySchedules$/);
    assert.equal(body.value.length, 1);
    const [e] = body.value;
    assert.match(e.id, new RegExp(`^${SEED_IDS.itOperationsGroup}_member_[0-9a-f-]{36}$`));
    assert.deepEqual([e.accessId, e.principalId, e.groupId, e.memberType, e.status], ['member', SEED_IDS.jane, SEED_IDS.itOperationsGroup, 'Direct', 'Provisioned']);
    assert.deepEqual(e.scheduleInfo.expiration, { type: 'noExpiration', endDateTime: null, duration: null });
    assert.equal(e.group.displayName, 'IT Operations');
  });

  it('scopes by group too, and answers only the selected properties', async () => {
    const { body } = await graph(sim, `${SCHEDULES}?$filter=${q(`groupId eq '${SEED_IDS.itOperationsGroup}'`)}&$select=principalId,groupId`);
    assert.deepEqual(body.value, [{ principalId: SEED_IDS.jane, groupId: SEED_IDS.itOperationsGroup }]);
  });

  it('refuses a malformed filter (an unescaped quote) and a list not scoped to a principal or a group, as Graph does', async () => {
    const unescaped = await graph(sim, `${SCHEDULES}?$filter=${q("principalId eq 'O'Brien'")}`);
    assert.equal(unescaped.status, 400);
    assert.match(unescaped.body.error.message, /^Invalid filter clause/);
    const unscoped = await graph(sim, SCHEDULES);
    assert.equal(unscoped.status, 400);
    assert.match(unscoped.body.error.message, /principalId or a groupId/);
    const byStatus = await graph(sim, `${SCHEDULES}?$filter=${q("status eq 'Provisioned'")}`);
    assert.equal(byStatus.status, 400);
  });

  it('an adminRemove request answers 201 Revoked and removes the schedule; a second one answers 400 RoleAssignmentDoesNotExist', async () => {
    const first = await graph(sim, REQUESTS, { method: 'POST', body: { ...adminRemove, action: 'AdminRemove', justification: 'Leaver' } });
    assert.equal(first.status, 201);
    assert.deepEqual([first.body.status, first.body.action, first.body.accessId, first.body.justification], ['Revoked', 'adminRemove', 'member', 'Leaver']);
    assert.deepEqual((await janes()).body.value, []);
    const second = await graph(sim, REQUESTS, { method: 'POST', body: adminRemove });
    assert.equal(second.status, 400);
    assert.equal(second.body.error.code, 'RoleAssignmentDoesNotExist');
  });

  it('removes only the access named: an ownership request leaves the eligible membership, and a missing groupId is refused', async () => {
    const owner = await graph(sim, REQUESTS, { method: 'POST', body: { ...adminRemove, accessId: 'owner' } });
    assert.equal(owner.body.error.code, 'RoleAssignmentDoesNotExist');
    const { groupId: _groupId, ...withoutGroup } = adminRemove;
    const missing = await graph(sim, REQUESTS, { method: 'POST', body: withoutGroup });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /groupId/);
    assert.equal(sim.state.groupEligibilities.length, 1);
  });

  it("shows one through a group as memberType Group, refuses to remove it in the user's name, and stops listing one that has ended", async () => {
    sim.state.groupEligibilities = [{ ...sim.state.groupEligibilities[0], memberType: 'Group' }];
    const [shown] = (await janes()).body.value;
    assert.equal(shown.memberType, 'Group');
    const removal = await graph(sim, REQUESTS, { method: 'POST', body: adminRemove });
    assert.equal(removal.body.error.code, 'RoleAssignmentDoesNotExist');
    assert.equal(sim.state.groupEligibilities.length, 1);
    sim.state.groupEligibilities = [{ ...sim.state.groupEligibilities[0], memberType: 'Direct', endDateTime: new Date(Date.now() - 60_000).toISOString() }];
    assert.deepEqual((await janes()).body.value, []);
    assert.equal((await graph(sim, REQUESTS, { method: 'POST', body: adminRemove })).body.error.code, 'RoleAssignmentDoesNotExist');
  });
});
