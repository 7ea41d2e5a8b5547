import assert from 'node:assert/strict';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Directory } from '../../src/m365/directory';
import { Graph } from '../../src/m365/graph';
import { odataString } from '../../src/m365/odata';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, requiredApprovals } from '../../src/cases/policy';
import { loadConfig } from '../../src/config';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { withoutPimLicence } from '../support/without-pim-licence';

describe('directory lookups', () => {
  let sim: SimTenant;
  let directory: Directory;
  before(async () => {
    sim = await startSimTenant();
    directory = new Directory(Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken }));
  });
  after(() => sim.close());

  it('escapes quotes in OData literals', () => {
    assert.equal(odataString("O'Brien"), "'O''Brien'");
    assert.equal(odataString("x' or 1 eq 1 or '"), "'x'' or 1 eq 1 or '''");
  });

  it('finds people by display name, given name, surname, mail or UPN', async () => {
    for (const typed of ['Jane', 'jane doe', 'Doe', 'janed@contoso.com']) {
      const found = await directory.findPeople(typed);
      assert.deepEqual(found.map((p) => p.id), [SEED_IDS.jane], typed);
    }
  });

  it('returns every match when several people fit', async () => {
    const found = await directory.findPeople('Daniel');
    assert.deepEqual(found.map((p) => p.displayName).sort(), ['Daniel Brown', 'Daniel Green']);
  });

  it('searches for names with quotes and URL-special characters literally', async () => {
    assert.deepEqual((await directory.findPeople("Conor O'Brien")).map((p) => p.id), [SEED_IDS.conor]);
    for (const hostile of ["x') or startswith(displayName,'J", 'a&$top=999', 'J#', '100%', 'a+b']) {
      assert.deepEqual(await directory.findPeople(hostile), [], hostile);
    }
  });

  it('reads a user with their manager, and null for an unknown id', async () => {
    const jane = await directory.getUser(SEED_IDS.jane);
    assert.equal(jane?.manager?.id, SEED_IDS.alex);
    assert.equal(await directory.getUser('11111111-1111-1111-1111-111111111111'), null);
  });

  it('checks group membership from the tenant', async () => {
    assert.equal(await directory.isMemberOf(SEED_IDS.megan, SEED_IDS.securityGroup), true);
    assert.equal(await directory.isMemberOf(SEED_IDS.alex, SEED_IDS.securityGroup), false);
  });

  it('counts every directory role a person holds or can take up: assigned, PIM-eligible, and through role-assignable groups', async () => {
    const held = async (tenant: SimTenant, userId: string) => (await new Directory(Graph.connect({ baseUrl: tenant.url, tokens: simulatedTenantToken })).directoryRoleIdsOf(userId)).sort();
    assert.deepEqual(
      await held(sim, SEED_IDS.jane),
      [SEED_IDS.teamsAdministrator, SEED_IDS.helpdeskAdministrator, SEED_IDS.groupsAdministrator].sort(),
      'assigned Helpdesk, eligible for Teams through PIM, assigned Groups Administrator from next week',
    );
    const tierZero = '00000000-0000-0000-0000-0000000000a0';
    const privilegedAuthAdmin = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
    const inGroup = await startSimTenant({
      seed: (contoso) => ({
        ...contoso,
        groups: [...contoso.groups, { id: tierZero, displayName: 'Tier 0 - Identity Admins', isAssignableToRole: true, memberIds: [SEED_IDS.conor] }],
        roleDefinitions: [...(contoso.roleDefinitions ?? []), { id: privilegedAuthAdmin, displayName: 'Privileged Authentication Administrator', isBuiltIn: true, isPrivileged: true }],
        roleAssignments: [...(contoso.roleAssignments ?? []), { id: 'tier-zero-assignment', principalId: tierZero, roleDefinitionId: privilegedAuthAdmin, directoryScopeId: '/' }],
      }),
    });
    try {
      assert.deepEqual(await held(inGroup, SEED_IDS.conor), [privilegedAuthAdmin], 'held through the group he is in');
    } finally {
      await inGroup.close();
    }
  });

  it('counts the roles of a role-assignable group a person may join through PIM for Groups', async () => {
    const tierZero = '00000000-0000-0000-0000-0000000000a0';
    const privilegedAuthAdmin = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
    const eligible = await startSimTenant({
      seed: (contoso) => ({
        ...contoso,
        groups: [...contoso.groups, { id: tierZero, displayName: 'Tier 0 - Identity Admins', isAssignableToRole: true, memberIds: [] }],
        roleDefinitions: [...(contoso.roleDefinitions ?? []), { id: privilegedAuthAdmin, displayName: 'Privileged Authentication Administrator', isBuiltIn: true, isPrivileged: true }],
        roleAssignments: [...(contoso.roleAssignments ?? []), { id: 'tier-zero-assignment', principalId: tierZero, roleDefinitionId: privilegedAuthAdmin, directoryScopeId: '/' }],
        groupEligibilities: [
          { id: `${tierZero}_member_9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`, principalId: SEED_IDS.conor, groupId: tierZero, accessId: 'member', createdDateTime: '2025-05-01T08:00:00Z', endDateTime: null },
        ],
      }),
    });
    try {
      const roles = await new Directory(Graph.connect({ baseUrl: eligible.url, tokens: simulatedTenantToken })).directoryRoleIdsOf(SEED_IDS.conor);
      assert.deepEqual(roles, [privilegedAuthAdmin], 'not a member, but eligible to become one');
    } finally {
      await eligible.close();
    }
  });

  it('counts a role PIM assigns from a later date, directly or through a role-assignable group it will add the person to', async () => {
    const tierZero = '00000000-0000-0000-0000-0000000000a0';
    const privilegedAuthAdmin = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
    const nextMonth = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const scheduled = await startSimTenant({
      seed: (contoso) => ({
        ...contoso,
        groups: [...contoso.groups, { id: tierZero, displayName: 'Tier 0 - Identity Admins', isAssignableToRole: true, memberIds: [] }],
        roleDefinitions: [...(contoso.roleDefinitions ?? []), { id: privilegedAuthAdmin, displayName: 'Privileged Authentication Administrator', isBuiltIn: true, isPrivileged: true }],
        roleAssignments: [...(contoso.roleAssignments ?? []), { id: 'tier-zero-assignment', principalId: tierZero, roleDefinitionId: privilegedAuthAdmin, directoryScopeId: '/' }],
        scheduledRoleAssignments: [
          { id: 'conor-ga-next-month', principalId: SEED_IDS.conor, roleDefinitionId: SEED_IDS.globalAdministrator, directoryScopeId: '/', createdDateTime: '2025-05-01T08:00:00Z', startDateTime: nextMonth, endDateTime: null },
        ],
        scheduledGroupAssignments: [
          { id: `${tierZero}_member_3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a`, principalId: SEED_IDS.conor, groupId: tierZero, accessId: 'member', createdDateTime: '2025-05-01T08:00:00Z', startDateTime: nextMonth, endDateTime: null },
        ],
      }),
    });
    try {
      const roles = await new Directory(Graph.connect({ baseUrl: scheduled.url, tokens: simulatedTenantToken })).directoryRoleIdsOf(SEED_IDS.conor);
      assert.deepEqual(roles.sort(), [privilegedAuthAdmin, SEED_IDS.globalAdministrator].sort(), 'nothing held today, both from next month');
      const needed = requiredApprovals({ id: SEED_IDS.alex, displayName: 'Alex Wilber' }, { manager: undefined }, 'voluntary', roles, loadConfig({}).policy);
      assert.ok(needed.ok);
      assert.deepEqual([needed.required.globalAdmin, needed.required.security], [true, 2]);
    } finally {
      await scheduled.close();
    }
  });

  describe('roles a person can activate through a group, and tenants without PIM', () => {
    const tierZero = '00000000-0000-0000-0000-0000000000a0';
    let tenant: SimTenant;
    const rolesOf = (userId: string) => new Directory(Graph.connect({ baseUrl: tenant.url, tokens: simulatedTenantToken })).directoryRoleIdsOf(userId);
    const roleReadsFor = (principalId: string) =>
      tenant.calls.filter((c) => c.path.startsWith('/v1.0/roleManagement/directory/') && c.query.$filter === `principalId eq '${principalId}'`).map((c) => c.path.split('/').pop());
    beforeEach(async () => {
      // Microsoft's recommended PIM for Groups set-up: Conor is an active member of a role-assignable
      // group, and the group (not Conor) is eligible for Global Administrator.
      tenant = await startSimTenant({
        seed: (contoso) => ({
          ...contoso,
          groups: [...contoso.groups, { id: tierZero, displayName: 'Tier 0 - Global Admins', isAssignableToRole: true, memberIds: [SEED_IDS.conor] }],
          roleEligibilities: [
            ...(contoso.roleEligibilities ?? []),
            { id: 'tier-zero-ga-eligibility', principalId: tierZero, roleDefinitionId: SEED_IDS.globalAdministrator, directoryScopeId: '/', createdDateTime: '2025-03-01T08:00:00Z', endDateTime: null },
          ],
        }),
      });
    });
    afterEach(() => tenant.close());

    it('counts Global Administrator for an active member of a group eligible for it, so the Global Administrator approver is asked too', async () => {
      assert.deepEqual(await rolesOf(SEED_IDS.conor), [SEED_IDS.globalAdministrator]);
      assert.deepEqual(roleReadsFor(tierZero).sort(), ['roleAssignments', 'roleEligibilitySchedules'], "the group's active and eligible roles, each read once");
      const needed = requiredApprovals({ id: SEED_IDS.alex, displayName: 'Alex Wilber' }, { manager: undefined }, 'voluntary', await rolesOf(SEED_IDS.conor), loadConfig({}).policy);
      assert.ok(needed.ok);
      assert.deepEqual([needed.required.globalAdmin, needed.required.security], [true, 2]);
      assert.equal(SEED_IDS.globalAdministrator, GLOBAL_ADMINISTRATOR_ROLE_ID);
    });

    it('reads no roles of a group that cannot hold one (not role-assignable), whether the user is in it or eligible for it', async () => {
      await rolesOf(SEED_IDS.jane);
      assert.deepEqual(roleReadsFor(SEED_IDS.itOperationsGroup), [], 'Jane may join IT Operations through PIM, but it is not role-assignable');
      assert.deepEqual(roleReadsFor(SEED_IDS.allContosoGroup), []);
    });

    it('counts no eligibilities, and refuses nobody, in a tenant without Entra ID P2 (PIM answers 400 AadPremiumLicenseRequired)', async () => {
      withoutPimLicence(tenant);
      assert.deepEqual(await rolesOf(SEED_IDS.jane), [SEED_IDS.helpdeskAdministrator], 'her active role still counts');
      assert.deepEqual(await rolesOf(SEED_IDS.conor), []);
      assert.deepEqual(roleReadsFor(tierZero), ['roleAssignments'], 'no group eligibility read where PIM is known to be absent');
    });

    it('fails closed on any other refusal of a PIM read', async () => {
      // Always, not once: the reads run together, and one still in flight would use up the fault.
      tenant.faults.add({ method: 'GET', path: /roleEligibilitySchedules$/, status: 403, times: Infinity });
      await assert.rejects(rolesOf(SEED_IDS.conor), /Insufficient privileges/);
      tenant.faults.clear();
      tenant.faults.add({ method: 'GET', path: /group\/eligibilitySchedules$/, status: 400, code: 'BadRequest', message: 'Invalid filter clause', times: Infinity });
      await assert.rejects(rolesOf(SEED_IDS.conor), /Invalid filter clause/);
    });
  });
});
