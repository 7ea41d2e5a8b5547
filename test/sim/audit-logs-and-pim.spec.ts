import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph, q } from './sim-fetch';

/** The tenant is seeded at this moment; Jane's activity is dated from it (src/sim/seed-clock.ts). */
const SEEDED_AT = new Date('2026-03-01T09:30:00Z');

describe('sim tenant: audit logs and PIM eligibilities', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant({ seededAt: SEEDED_AT });
  });
  afterEach(() => sim.close());

  describe('/auditLogs', () => {
    it("lists Jane's sign-ins newest first, the risky one from Lagos among them", async () => {
      const { status, body } = await graph(sim, `/auditLogs/signIns?$filter=${q(`userId eq '${SEED_IDS.jane}'`)}&$top=50`);
      assert.equal(status, 200);
      const times = body.value.map((s: { createdDateTime: string }) => s.createdDateTime);
      assert.deepEqual(times, [...times].sort().reverse());
      const risky = body.value.filter((s: { riskLevelDuringSignIn: string }) => s.riskLevelDuringSignIn === 'high');
      assert.deepEqual(risky.map((s: { location: { city: string } }) => s.location.city), ['Lagos']);
    });

    it('pages with $top and @odata.nextLink', async () => {
      const { body } = await graph(sim, `/auditLogs/signIns?$filter=${q(`userId eq '${SEED_IDS.jane}'`)}&$top=3`);
      assert.equal(body.value.length, 3);
      assert.match(body['@odata.nextLink'], /\$skiptoken=/);
    });

    it('finds directory audits through targetResources/any, and only those naming the user', async () => {
      const { status, body } = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`targetResources/any(t:t/id eq '${SEED_IDS.jane}')`)}`);
      assert.equal(status, 200);
      assert.deepEqual(body.value.map((a: { activityDisplayName: string }) => a.activityDisplayName), [
        'User registered security info',
        'Add member to group',
        'Add eligible member to role in PIM completed (permanent)',
      ]);
      const grady = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`targetResources/any(t:t/id eq '${SEED_IDS.grady}')`)}`);
      assert.deepEqual(grady.body.value.map((a: { activityDisplayName: string }) => a.activityDisplayName), ['Reset user password']);
    });

    it('finds what a user did through initiatedBy/user/id, and refuses a nested path it does not filter on', async () => {
      const byAlex = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`initiatedBy/user/id eq '${SEED_IDS.alex}' and category eq 'GroupManagement'`)}`);
      assert.equal(byAlex.status, 200, JSON.stringify(byAlex.body));
      assert.deepEqual(byAlex.body.value.map((a: { activityDisplayName: string }) => a.activityDisplayName), ['Add member to group']);
      const byJane = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`initiatedBy/user/id eq '${SEED_IDS.jane}'`)}`);
      assert.deepEqual(byJane.body.value.map((a: { activityDisplayName: string }) => a.activityDisplayName), ['Invite external user', 'Read BitLocker key', 'User registered security info']);
      const unknown = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`initiatedBy/user/ipAddress eq '203.0.113.77'`)}`);
      assert.equal(unknown.status, 400);
    });

    it('answers one query for several users: a date bound and an or of userIds, newest first', async () => {
      const [model] = sim.state.signIns;
      // Jane's seeded sign-ins: two the day before the seeding (28 February), two from Lagos in the
      // night before (27 February, before 04:00), which the date bound leaves out.
      sim.state.signIns.push({ ...model, id: 'alex-1', userId: SEED_IDS.alex, userPrincipalName: 'alexw@contoso.com', createdDateTime: '2026-02-28T12:00:00Z' });
      sim.state.signIns.push({ ...model, id: 'alex-old', userId: SEED_IDS.alex, userPrincipalName: 'alexw@contoso.com', createdDateTime: '2026-01-15T12:00:00Z' });
      const filter = `createdDateTime ge 2026-02-27T04:00:00Z and (userId eq '${SEED_IDS.jane}' or userId eq '${SEED_IDS.alex}')`;
      const { status, body } = await graph(sim, `/auditLogs/signIns?$filter=${q(filter)}&$top=999`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.value.map((s: { userId: string; createdDateTime: string }) => [s.userId, s.createdDateTime]), [
        [SEED_IDS.jane, '2026-02-28T18:05:12Z'],
        [SEED_IDS.alex, '2026-02-28T12:00:00Z'],
        [SEED_IDS.jane, '2026-02-28T08:02:11Z'],
      ]);
    });

    it('refuses a quoted date, as Graph does: DateTimeOffset literals go unquoted', async () => {
      const { status, body } = await graph(sim, `/auditLogs/signIns?$filter=${q("createdDateTime ge '2026-02-27T04:00:00Z'")}`);
      assert.equal(status, 400);
      assert.match(body.error.message, /^Invalid filter clause/);
    });

    it('finds directory audits of several users with one lambda per id, after a date', async () => {
      const filter = `activityDateTime ge 2026-01-01T00:00:00Z and (targetResources/any(t:t/id eq '${SEED_IDS.jane}') or targetResources/any(t:t/id eq '${SEED_IDS.grady}'))`;
      const { status, body } = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(filter)}`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.value.map((a: { activityDisplayName: string }) => a.activityDisplayName), [
        'User registered security info',
        'Reset user password',
        'Add member to group',
      ], "Jane's and Grady's, without Jane's 2024 PIM entry");
    });

    it('refuses a lambda over something that is not a collection, or a body outside its range variable', async () => {
      const notCollection = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`category/any(c:c/id eq 'x')`)}`);
      assert.equal(notCollection.status, 400);
      const outside = await graph(sim, `/auditLogs/directoryAudits?$filter=${q(`targetResources/any(t:id eq 'x')`)}`);
      assert.equal(outside.status, 400);
      assert.match(outside.body.error.message, /Syntax error/);
    });
  });

  describe('PIM eligibility', () => {
    const schedules = () => graph(sim, `/roleManagement/directory/roleEligibilitySchedules?$filter=${q(`principalId eq '${SEED_IDS.jane}'`)}&$expand=roleDefinition`);
    const adminRemove = { action: 'adminRemove', principalId: SEED_IDS.jane, roleDefinitionId: SEED_IDS.teamsAdministrator, directoryScopeId: '/' };

    it("lists Jane's eligibility with its role definition", async () => {
      const { body } = await schedules();
      assert.deepEqual(body.value.map((e: { roleDefinition: { displayName: string }; status: string }) => [e.roleDefinition.displayName, e.status]), [['Teams Administrator', 'Provisioned']]);
    });

    it('an adminRemove request answers 201 Revoked and removes the schedule; a second one answers 400 RoleAssignmentDoesNotExist', async () => {
      const first = await graph(sim, '/roleManagement/directory/roleEligibilityScheduleRequests', { method: 'POST', body: { ...adminRemove, justification: 'Leaver' } });
      assert.equal(first.status, 201);
      assert.equal(first.body.status, 'Revoked');
      assert.equal(first.body.action, 'adminRemove');
      assert.equal(first.body.justification, 'Leaver');
      assert.deepEqual(sim.state.roleEligibilities.filter((e) => e.principalId === SEED_IDS.jane), []);
      assert.deepEqual((await schedules()).body.value, []);
      const second = await graph(sim, '/roleManagement/directory/roleEligibilityScheduleRequests', { method: 'POST', body: adminRemove });
      assert.equal(second.status, 400);
      assert.equal(second.body.error.code, 'RoleAssignmentDoesNotExist');
    });

    it('refuses a request without its required properties', async () => {
      const { status, body } = await graph(sim, '/roleManagement/directory/roleEligibilityScheduleRequests', { method: 'POST', body: { action: 'adminRemove', principalId: SEED_IDS.jane } });
      assert.equal(status, 400);
      assert.match(body.error.message, /roleDefinitionId/);
      assert.equal(sim.state.roleEligibilities.length, 1);
    });

    const eligible = (principalId: string, extra: { memberType?: 'Group'; endDateTime?: string } = {}) => ({
      id: `eligibility-${sim.state.roleEligibilities.length}`,
      principalId,
      roleDefinitionId: SEED_IDS.globalAdministrator,
      directoryScopeId: '/',
      createdDateTime: '2025-03-01T08:00:00Z',
      endDateTime: null,
      ...extra,
    });
    const byFilter = (filter: string) => graph(sim, `/roleManagement/directory/roleEligibilitySchedules?$filter=${q(filter)}`);

    it("lists a group's eligibility by the group's id: a role-assignable group eligible for a role (PIM for Groups)", async () => {
      sim.state.roleEligibilities.push(eligible(SEED_IDS.itOperationsGroup));
      const { status, body } = await byFilter(`principalId eq '${SEED_IDS.itOperationsGroup}'`);
      assert.equal(status, 200);
      assert.deepEqual(body.value.map((e: { principalId: string; roleDefinitionId: string; memberType: string }) => [e.principalId, e.roleDefinitionId, e.memberType]), [
        [SEED_IDS.itOperationsGroup, SEED_IDS.globalAdministrator, 'Direct'],
      ]);
    });

    it("shows one through a group as memberType Group, filters on it, and refuses to remove it in the user's name", async () => {
      sim.state.roleEligibilities.push(eligible(SEED_IDS.jane, { memberType: 'Group' }));
      const throughGroup = await byFilter(`principalId eq '${SEED_IDS.jane}' and memberType eq 'Group'`);
      assert.deepEqual(throughGroup.body.value.map((e: { roleDefinitionId: string }) => e.roleDefinitionId), [SEED_IDS.globalAdministrator]);
      const removal = await graph(sim, '/roleManagement/directory/roleEligibilityScheduleRequests', {
        method: 'POST',
        body: { ...adminRemove, roleDefinitionId: SEED_IDS.globalAdministrator },
      });
      assert.equal(removal.status, 400);
      assert.equal(removal.body.error.code, 'RoleAssignmentDoesNotExist');
      assert.equal(sim.state.roleEligibilities.length, 2);
    });

    it('no longer lists, nor removes, an eligibility that has ended', async () => {
      sim.state.roleEligibilities.push(eligible(SEED_IDS.jane, { endDateTime: new Date(Date.now() - 60_000).toISOString() }));
      const { body } = await byFilter(`principalId eq '${SEED_IDS.jane}'`);
      assert.deepEqual(body.value.map((e: { roleDefinitionId: string }) => e.roleDefinitionId), [SEED_IDS.teamsAdministrator]);
      const removal = await graph(sim, '/roleManagement/directory/roleEligibilityScheduleRequests', {
        method: 'POST',
        body: { ...adminRemove, roleDefinitionId: SEED_IDS.globalAdministrator },
      });
      assert.equal(removal.body.error.code, 'RoleAssignmentDoesNotExist');
    });
  });
});
