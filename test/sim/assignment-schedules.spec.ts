import assert from 'node:assert/strict';
import { daysAfter } from '../../src/sim/seed-clock';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph, q } from './sim-fetch';

const ROLE_SCHEDULES = '/roleManagement/directory/roleAssignmentSchedules';
const ROLE_REQUESTS = '/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP_SCHEDULES = '/identityGovernance/privilegedAccess/group/assignmentSchedules';
const GROUP_REQUESTS = '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';

const janeFilter = q(`principalId eq '${SEED_IDS.jane}'`);
const roleRemoval = { action: 'adminRemove', principalId: SEED_IDS.jane, roleDefinitionId: SEED_IDS.groupsAdministrator, directoryScopeId: '/' };
const groupRemoval = { action: 'adminRemove', accessId: 'member', principalId: SEED_IDS.jane, groupId: SEED_IDS.itOperationsGroup };
const isFuture = (when: string) => Date.parse(when) > Date.now();
const aMinuteAgo = () => new Date(Date.now() - 60_000).toISOString();

describe('sim tenant: PIM assignments that start later', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const janesRoleSchedules = () => graph(sim, `${ROLE_SCHEDULES}?$filter=${janeFilter}&$expand=roleDefinition`);
  const janesGroupSchedules = () => graph(sim, `${GROUP_SCHEDULES}?$filter=${janeFilter}&$expand=group`);
  const janesRoles = async () =>
    (await graph(sim, `/roleManagement/directory/roleAssignments?$filter=${janeFilter}&$expand=roleDefinition`)).body.value.map(
      (a: { roleDefinition: { displayName: string } }) => a.roleDefinition.displayName,
    );

  describe('directory roles', () => {
    it("lists Jane's active role and her Groups Administrator assignment from next week, each with its definition", async () => {
      const { status, body } = await janesRoleSchedules();
      assert.equal(status, 200);
      assert.match(body['@odata.context'], /\$metadata#roleManagement\/directory\/roleAssignmentSchedules$/);
      const byRole = Object.fromEntries(body.value.map((s: { roleDefinition: { displayName: string } }) => [s.roleDefinition.displayName, s]));
      assert.deepEqual(Object.keys(byRole).sort(), ['Groups Administrator', 'Helpdesk Administrator']);

      const later = byRole['Groups Administrator'];
      assert.deepEqual(
        [later.id, later.principalId, later.directoryScopeId, later.status, later.memberType, later.assignmentType],
        [SEED_IDS.janeGroupsAdminSchedule, SEED_IDS.jane, '/', 'Provisioned', 'Direct', 'Assigned'],
      );
      assert.ok(isFuture(later.scheduleInfo.startDateTime), later.scheduleInfo.startDateTime);
      assert.equal(later.scheduleInfo.expiration.type, 'afterDateTime');
      assert.ok(Date.parse(later.scheduleInfo.expiration.endDateTime) > Date.parse(later.scheduleInfo.startDateTime));

      const active = byRole['Helpdesk Administrator'];
      assert.equal(active.id, SEED_IDS.janeHelpdeskAssignment);
      assert.equal(active.createdUsing, active.id);
      assert.ok(!isFuture(active.scheduleInfo.startDateTime));
      assert.deepEqual(active.scheduleInfo.expiration, { type: 'noExpiration', endDateTime: null, duration: null });
      assert.deepEqual(await janesRoles(), ['Helpdesk Administrator'], 'not a role assignment before it starts');
    });

    it('filters by role definition too', async () => {
      const { body } = await graph(sim, `${ROLE_SCHEDULES}?$filter=${q(`roleDefinitionId eq '${SEED_IDS.groupsAdministrator}'`)}`);
      assert.deepEqual(body.value.map((s: { principalId: string }) => s.principalId), [SEED_IDS.jane]);
      const { body: users } = await graph(sim, `${ROLE_SCHEDULES}?$filter=${q(`roleDefinitionId eq '${SEED_IDS.userAdministrator}'`)}`);
      assert.deepEqual(users.value.map((s: { principalId: string }) => s.principalId), [SEED_IDS.offboardingAppPrincipal], "the app's own active role");
    });

    it('an adminRemove request answers 201 Revoked and cancels the assignment; a second one answers 400 RoleAssignmentDoesNotExist', async () => {
      const first = await graph(sim, ROLE_REQUESTS, { method: 'POST', body: { ...roleRemoval, justification: 'Leaver' } });
      assert.equal(first.status, 201);
      assert.deepEqual([first.body.status, first.body.action, first.body.roleDefinitionId, first.body.justification], ['Revoked', 'adminRemove', SEED_IDS.groupsAdministrator, 'Leaver']);
      assert.deepEqual(sim.state.scheduledRoleAssignments.filter((a) => a.principalId === SEED_IDS.jane), []);
      assert.deepEqual((await janesRoleSchedules()).body.value.map((s: { roleDefinition: { displayName: string } }) => s.roleDefinition.displayName), ['Helpdesk Administrator']);
      const second = await graph(sim, ROLE_REQUESTS, { method: 'POST', body: roleRemoval });
      assert.equal(second.status, 400);
      assert.equal(second.body.error.code, 'RoleAssignmentDoesNotExist');
    });

    it('ends an active assignment the same way, and refuses actions it does not implement or Graph does not know', async () => {
      const removal = await graph(sim, ROLE_REQUESTS, { method: 'POST', body: { ...roleRemoval, roleDefinitionId: SEED_IDS.helpdeskAdministrator } });
      assert.equal(removal.status, 201);
      assert.deepEqual(await janesRoles(), []);
      const assign = await graph(sim, ROLE_REQUESTS, { method: 'POST', body: { ...roleRemoval, action: 'adminAssign' } });
      assert.deepEqual([assign.status, assign.body.error.code], [400, 'Request_UnsupportedQuery']);
      const unknown = await graph(sim, ROLE_REQUESTS, { method: 'POST', body: { ...roleRemoval, action: 'adminDelete' } });
      assert.deepEqual([unknown.status, unknown.body.error.code], [400, 'BadRequest']);
      assert.equal(sim.state.scheduledRoleAssignments.length, 1);
    });

    it('turns an assignment whose start has passed into a role assignment, gone from the scheduled ones', async () => {
      sim.state.scheduledRoleAssignments[0].startDateTime = aMinuteAgo();
      const { body } = await graph(sim, `/roleManagement/directory/roleAssignments?$filter=${janeFilter}`);
      assert.deepEqual(body.value.map((a: { id: string; roleDefinitionId: string }) => [a.id, a.roleDefinitionId]), [
        [SEED_IDS.janeHelpdeskAssignment, SEED_IDS.helpdeskAdministrator],
        [SEED_IDS.janeGroupsAdminSchedule, SEED_IDS.groupsAdministrator],
      ]);
      assert.deepEqual(sim.state.scheduledRoleAssignments, []);
      const schedules = (await janesRoleSchedules()).body.value;
      assert.ok(schedules.every((s: { scheduleInfo: { startDateTime: string } }) => !isFuture(s.scheduleInfo.startDateTime)), 'all running now');
    });
  });

  describe('PIM for Groups', () => {
    it("lists Jane's membership of IT Operations from next week in Graph's shape, with the group expanded", async () => {
      const { status, body } = await janesGroupSchedules();
      assert.equal(status, 200);
      assert.match(body['@odata.context'], /\$metadata#identityGovernance\/privilegedAccess\/group\/assignmentSchedules$/);
      assert.equal(body.value.length, 1);
      const [s] = body.value;
      assert.match(s.id, new RegExp(`^${SEED_IDS.itOperationsGroup}_member_[0-9a-f-]{36}$`));
      assert.deepEqual(
        [s.accessId, s.principalId, s.groupId, s.assignmentType, s.memberType, s.status],
        ['member', SEED_IDS.jane, SEED_IDS.itOperationsGroup, 'assigned', 'direct', 'Provisioned'],
      );
      assert.ok(isFuture(s.scheduleInfo.startDateTime), s.scheduleInfo.startDateTime);
      assert.deepEqual(s.scheduleInfo.expiration, { type: 'noExpiration', endDateTime: null, duration: null });
      assert.equal(s.group.displayName, 'IT Operations');
      assert.equal(sim.state.groups.get(SEED_IDS.itOperationsGroup)!.memberIds.includes(SEED_IDS.jane), false, 'not a member yet');
    });

    it('refuses a list not scoped to a principal or a group, and answers only the selected properties', async () => {
      const unscoped = await graph(sim, GROUP_SCHEDULES);
      assert.equal(unscoped.status, 400);
      assert.match(unscoped.body.error.message, /principalId or a groupId/);
      const { body } = await graph(sim, `${GROUP_SCHEDULES}?$filter=${q(`groupId eq '${SEED_IDS.itOperationsGroup}'`)}&$select=principalId,accessId`);
      assert.deepEqual(body.value, [{ principalId: SEED_IDS.jane, accessId: 'member' }]);
    });

    it('an adminRemove request answers 201 Revoked and cancels the assignment; a second one answers 400 RoleAssignmentDoesNotExist', async () => {
      const first = await graph(sim, GROUP_REQUESTS, { method: 'POST', body: { ...groupRemoval, action: 'AdminRemove', justification: 'Leaver' } });
      assert.equal(first.status, 201);
      assert.deepEqual([first.body.status, first.body.action, first.body.accessId, first.body.groupId], ['Revoked', 'adminRemove', 'member', SEED_IDS.itOperationsGroup]);
      assert.deepEqual(sim.state.scheduledGroupAssignments, []);
      assert.deepEqual((await janesGroupSchedules()).body.value, []);
      const second = await graph(sim, GROUP_REQUESTS, { method: 'POST', body: groupRemoval });
      assert.equal(second.status, 400);
      assert.equal(second.body.error.code, 'RoleAssignmentDoesNotExist');
      const owner = await graph(sim, GROUP_REQUESTS, { method: 'POST', body: { ...groupRemoval, accessId: 'owner' } });
      assert.equal(owner.body.error.code, 'RoleAssignmentDoesNotExist');
    });

    it('turns a membership whose start has passed into a membership, and its group licence follows', async () => {
      sim.state.scheduledGroupAssignments[0].startDateTime = aMinuteAgo();
      sim.state.scheduledGroupAssignments.push({
        id: `${SEED_IDS.emsLicensing}_member_5d8c1b2e-4a7f-4e93-a6b0-2c9f8e1d7a43`,
        principalId: SEED_IDS.pradeep,
        groupId: SEED_IDS.emsLicensing,
        accessId: 'member',
        createdDateTime: '2025-03-04T09:00:00Z',
        startDateTime: aMinuteAgo(),
        endDateTime: null,
      });
      const members = await graph(sim, `/groups/${SEED_IDS.itOperationsGroup}/members?$select=id`);
      assert.ok(members.body.value.some((m: { id: string }) => m.id === SEED_IDS.jane));
      assert.deepEqual(sim.state.scheduledGroupAssignments, []);
      assert.deepEqual((await janesGroupSchedules()).body.value, []);
      const pradeep = await graph(sim, `/users/${SEED_IDS.pradeep}?$select=assignedLicenses`);
      assert.deepEqual(pradeep.body.assignedLicenses.map((l: { skuId: string }) => l.skuId), [SEED_IDS.emsE3]);
    });
  });

  it('refuses each route with 403 Authorization_RequestDenied when none of its permissions was granted, and changes nothing', async () => {
    const withheld = (...permissions: string[]) => simulatedTenantTokens(permissions).graph.getToken();
    const roleRead = ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.Read.All', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory'];
    const roleWrite = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory', 'RoleAssignmentSchedule.Remove.Directory'];
    const groupRead = ['PrivilegedAssignmentSchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
    const groupWrite = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup', 'PrivilegedAssignmentSchedule.Remove.AzureADGroup'];
    const calls = [
      graph(sim, `${ROLE_SCHEDULES}?$filter=${janeFilter}`, { token: await withheld(...roleRead) }),
      graph(sim, ROLE_REQUESTS, { method: 'POST', body: roleRemoval, token: await withheld(...roleWrite) }),
      graph(sim, `${GROUP_SCHEDULES}?$filter=${janeFilter}`, { token: await withheld(...groupRead) }),
      graph(sim, GROUP_REQUESTS, { method: 'POST', body: groupRemoval, token: await withheld(...groupWrite) }),
    ];
    for (const answer of await Promise.all(calls)) {
      assert.deepEqual([answer.status, answer.body.error.code], [403, 'Authorization_RequestDenied']);
    }
    assert.equal(sim.state.scheduledRoleAssignments.length, 1);
    assert.equal(sim.state.scheduledGroupAssignments.length, 1);
  });

  it('accepts the remove-only permission for an adminRemove request', async () => {
    const removeOnly = await simulatedTenantTokens(['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'], ['PrivilegedAssignmentSchedule.Remove.AzureADGroup']).graph.getToken();
    const removal = await graph(sim, GROUP_REQUESTS, { method: 'POST', body: groupRemoval, token: removeOnly });
    assert.equal(removal.status, 201);
  });
});

describe('sim tenant: scheduled assignments in a tenant seeded at a fixed moment', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant({ seededAt: new Date('2026-03-01T09:30:00Z') });
  });
  afterEach(() => sim.close());

  it('date them from when the tenant starts, since PIM (and the app) go by the real clock: next week is still next week', async () => {
    const { body } = await graph(sim, `/roleManagement/directory/roleAssignments?$filter=${janeFilter}`);
    assert.deepEqual(body.value.map((a: { roleDefinitionId: string }) => a.roleDefinitionId), [SEED_IDS.helpdeskAdministrator]);
    assert.equal(sim.state.scheduledRoleAssignments[0].startDateTime, daysAfter(new Date(), 6));
    assert.equal(sim.state.scheduledGroupAssignments.length, 1);
  });
});
