import assert from 'node:assert/strict';
import { removeScheduledAssignments } from '../../src/actions/remove-scheduled-assignments';
import { SEED_IDS } from '../../src/sim/seed';
import { daysAfter } from '../../src/sim/seed-clock';
import { withoutPimLicence } from '../support/without-pim-licence';
import { janeInSim, type SimContext } from './sim-context';

describe('cancel PIM assignments that start later', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const janesScheduledRoles = () => t.sim.state.scheduledRoleAssignments.filter((a) => a.principalId === SEED_IDS.jane);
  const janesScheduledGroups = () => t.sim.state.scheduledGroupAssignments.filter((a) => a.principalId === SEED_IDS.jane);
  const janesRoles = () => t.sim.state.roleAssignments.filter((a) => a.principalId === SEED_IDS.jane).map((a) => a.roleDefinitionId);
  const startDay = () => daysAfter(new Date(), 6).slice(0, 10);

  it("cancels Jane's Groups Administrator and IT Operations assignments from next week with adminRemove requests, verifies, and does nothing the second time", async () => {
    const preview = await removeScheduledAssignments.plan(t.ctx);
    assert.equal(preview.found, `Groups Administrator from ${startDay()}, membership of 'IT Operations' from ${startDay()}`);

    const outcome = await t.run(removeScheduledAssignments);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Cancelled 2 of 2 assignment\(s\) that would start later: Groups Administrator from \S+, membership of 'IT Operations' from \S+\. \(verified: none left\)/);
    const justification = 'Offboarding (case case-jane-1, ticket HR-1042)';
    assert.deepEqual(
      t.sim.calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.status, c.body]),
      [
        [
          '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
          201,
          { action: 'adminRemove', principalId: SEED_IDS.jane, justification, roleDefinitionId: SEED_IDS.groupsAdministrator, directoryScopeId: '/' },
        ],
        [
          '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
          201,
          { action: 'adminRemove', principalId: SEED_IDS.jane, justification, groupId: SEED_IDS.itOperationsGroup, accessId: 'member' },
        ],
      ],
    );
    assert.deepEqual(janesScheduledRoles(), []);
    assert.deepEqual(janesScheduledGroups(), []);
    assert.deepEqual(janesRoles(), [SEED_IDS.helpdeskAdministrator], "her active role is the roles step's work, and stays for it");

    const calls = t.sim.calls.length;
    const again = await t.run(removeScheduledAssignments);
    assert.equal(again.status, 'succeeded');
    assert.match(again.detail, /^Nothing to change: no directory role, group membership or group ownership is assigned to the user from a later date \(PIM\)\./);
    assert.deepEqual(t.writes(calls), []);
  });

  it('left in place, PIM hands the role and the membership over on their start date', async () => {
    // The tenant's own behaviour, which is why the step exists: moved to "now", both start.
    for (const a of [...janesScheduledRoles(), ...janesScheduledGroups()]) a.startDateTime = new Date(Date.now() - 1000).toISOString();
    const plan = await removeScheduledAssignments.plan(t.ctx);
    assert.deepEqual(plan.changes, [], 'running assignments are the roles and membership steps\' work');
    assert.ok(janesRoles().includes(SEED_IDS.groupsAdministrator));
    assert.ok(t.sim.state.groups.get(SEED_IDS.itOperationsGroup)!.memberIds.includes(SEED_IDS.jane));
  });

  it('counts assignments already gone when the requests are made (a resumed run) as cancelled', async () => {
    const plan = await removeScheduledAssignments.plan(t.ctx);
    assert.equal(plan.changes.length, 2);
    t.sim.state.scheduledRoleAssignments = [];
    t.sim.state.scheduledGroupAssignments = [];
    const applied = await removeScheduledAssignments.apply(t.ctx, plan);
    assert.deepEqual(applied.failures, []);
    assert.equal(t.sim.calls.filter((c) => c.method === 'POST' && c.status === 400).length, 2, 'Graph answered RoleAssignmentDoesNotExist to both');
    assert.equal((await removeScheduledAssignments.verify(t.ctx, plan, applied)).ok, true);
  });

  it('fails saying what to grant when the app may not cancel group assignments; the role one is cancelled all the same', async () => {
    t.sim.faults.add({ method: 'POST', path: /group\/assignmentScheduleRequests$/, status: 403 });
    const outcome = await t.run(removeScheduledAssignments);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /^Microsoft 365 refused the app\. This step needs .*PrivilegedAssignmentSchedule\.ReadWrite\.AzureADGroup/);
    assert.match(
      outcome.detail,
      /Could not cancel membership of 'IT Operations' from \S+: .*The app needs the PrivilegedAssignmentSchedule\.ReadWrite\.AzureADGroup permission \(PIM assignments that start later\)\. \(Authorization_RequestDenied, HTTP 403/,
    );
    assert.match(outcome.detail, /Still assigned: membership of 'IT Operations' from \S+\./);
    assert.equal(janesScheduledGroups().length, 1);
    assert.deepEqual(janesScheduledRoles(), []);
  });

  it('notes, and does not try to cancel, an assignment Jane has only through a group', async () => {
    t.sim.state.scheduledRoleAssignments = [];
    t.sim.state.scheduledGroupAssignments = [
      {
        id: `${SEED_IDS.projectFalcon}_owner_1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9`,
        principalId: SEED_IDS.jane,
        groupId: SEED_IDS.projectFalcon,
        accessId: 'owner',
        createdDateTime: '2025-03-04T09:00:00Z',
        startDateTime: daysAfter(new Date(), 3),
        endDateTime: null,
        memberType: 'Group',
      },
    ];
    const plan = await removeScheduledAssignments.plan(t.ctx);
    assert.deepEqual(plan.changes, []);
    assert.match(plan.found, /^no assignment of the user's own starts later; through a group, not removed here: ownership of 'Project Falcon' from /);
    assert.match(plan.notes![0], /it ends when the user leaves that group\.$/);
  });

  it('is skipped in a tenant without Entra ID P2 (400 AadPremiumLicenseRequired): PIM can schedule nothing there', async () => {
    withoutPimLicence(t.sim);
    const outcome = await t.run(removeScheduledAssignments);
    assert.equal(outcome.status, 'skipped');
    assert.equal(outcome.detail, 'No PIM in this tenant (no Entra ID P2 licence): nothing can be scheduled.');
    assert.deepEqual(t.writes(), []);
  });
});
