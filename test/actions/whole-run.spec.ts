import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import type { ActionOutcome } from '../../src/actions/offboarding-action';
import type { CaseEvidence } from '../../src/cases/case';
import { STEP_ORDER } from '../../src/cases/plan';
import { SEED_IDS } from '../../src/sim/seed';
import { tenantWrites } from '../support/tenant-writes';
import { janeInSim, type SimContext } from './sim-context';

/** The demo's setting: a Conditional Access policy blocks the members of this group. */
const policy = { blockGroupId: SEED_IDS.caBlockGroup };

/** Runs every step in the safe order, as the engine does, carrying the evidence forward. */
async function runAll(t: SimContext, evidence?: CaseEvidence): Promise<{ outcomes: Record<string, ActionOutcome>; evidence?: CaseEvidence }> {
  const outcomes: Record<string, ActionOutcome> = {};
  for (const name of STEP_ORDER) {
    const outcome = await t.run(ACTIONS[name], { evidence, policy });
    outcomes[name] = outcome;
    evidence ??= outcome.evidence;
  }
  return { outcomes, evidence };
}

describe('the whole offboarding plan for Jane against the simulated tenant', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  it('leaves the tenant as expected, and a second run changes nothing', async () => {
    // Jane is the rich user: 10 groups (one dynamic, one distribution list), 2 licences (one
    // inherited), 3 sign-in methods besides the password, 2 devices, an external forwarding rule,
    // sole owner of a team, 2 direct reports and a directory role.
    const before = t.sim.state;
    const janesGroups = [...before.groups.values()].filter((g) => g.memberIds.includes(SEED_IDS.jane));
    assert.equal(janesGroups.length, 10);
    assert.equal(janesGroups.filter((g) => g.groupTypes?.includes('DynamicMembership')).length, 1);
    assert.equal(janesGroups.filter((g) => g.mailEnabled && !g.securityEnabled && !g.groupTypes?.includes('Unified')).length, 1);
    assert.equal(janesGroups.filter((g) => g.groupTypes?.includes('Unified') && g.ownerIds?.length === 1 && g.ownerIds[0] === SEED_IDS.jane).length, 1);
    assert.equal(before.authMethods.filter((m) => m.userId === SEED_IDS.jane && m.type !== 'passwordAuthenticationMethod').length, 3);
    assert.equal(before.managedDevices.filter((d) => d.userId === SEED_IDS.jane).length, 2);
    assert.equal([...before.users.values()].filter((u) => u.managerId === SEED_IDS.jane).length, 2);
    assert.equal(before.roleAssignments.filter((a) => a.principalId === SEED_IDS.jane).length, 1);

    const first = await runAll(t);
    const statuses = Object.fromEntries(Object.entries(first.outcomes).map(([k, o]) => [k, o.status]));
    assert.deepEqual(statuses, {
      takeEvidence: 'succeeded',
      removeDirectoryRoles: 'succeeded',
      removePimEligibility: 'succeeded',
      blockSignIn: 'succeeded',
      addToBlockGroup: 'succeeded',
      revokeSessions: 'succeeded',
      resetPassword: 'succeeded',
      removeAuthMethods: 'succeeded',
      removeScheduledAssignments: 'succeeded',
      deleteForwardingRules: 'succeeded',
      clearMailboxForwarding: 'succeeded',
      removeMobileDevices: 'succeeded',
      retireOrWipeDevices: 'succeeded',
      // The BitLocker recovery key she read as Helpdesk Administrator is for a person to rotate.
      flagDeviceSecretsRead: 'manual',
      // The guest she invited at the address her mail was forwarded to is blocked.
      containInvitedGuests: 'succeeded',
      convertToShared: 'succeeded',
      grantMailboxAccess: 'succeeded',
      setAutoReply: 'succeeded',
      cancelMeetings: 'succeeded',
      // Not asked for in this request.
      setLitigationHold: 'skipped',
      grantOneDriveAccess: 'succeeded',
      // An involuntary exit: the request's default removes sharing outside the company.
      removeExternalSharing: 'succeeded',
      transferGroupOwnership: 'succeeded',
      moveDirectReports: 'succeeded',
      // The dynamic group is left for a person; the distribution list goes through Exchange.
      removeGroupMemberships: 'manual',
      // Salesforce has no provisioning: her account there is for a person to close.
      flagAppAccounts: 'manual',
      revokeAppConsents: 'succeeded',
      // The client secret she gave her app two nights ago is for a person to confirm or remove.
      removeAppOwnership: 'manual',
      removeLicences: 'succeeded',
    });

    const state = t.sim.state;
    const jane = state.users.get(SEED_IDS.jane)!;
    assert.deepEqual([...state.applications, ...state.servicePrincipals].filter((a) => a.ownerIds?.includes(jane.id)), [], 'she owns no app any more');
    assert.equal(jane.accountEnabled, false);
    assert.equal(jane.revokeCount, 1);
    assert.equal(jane.passwordProfile.forceChangePasswordNextSignIn, true);
    assert.deepEqual(state.roleAssignments.filter((a) => a.principalId === jane.id), []);
    assert.deepEqual(state.roleEligibilities.filter((e) => e.principalId === jane.id), []);
    assert.deepEqual(state.groupEligibilities.filter((e) => e.principalId === jane.id), [], 'nor may she join IT Operations through PIM');
    assert.deepEqual(state.scheduledRoleAssignments.filter((a) => a.principalId === jane.id), [], 'nor become User Administrator next week');
    assert.deepEqual(state.scheduledGroupAssignments.filter((a) => a.principalId === jane.id), [], 'nor join IT Operations then');
    const hers = state.meetings.filter((m) => m.organizerId === jane.id);
    assert.deepEqual(hers.filter((m) => !m.cancelledFrom).map((m) => m.subject), ['Dentist'], 'her meetings cancelled, her appointment kept');
    assert.deepEqual(state.authMethods.filter((m) => m.userId === jane.id).map((m) => m.type), ['passwordAuthenticationMethod']);
    assert.deepEqual(state.messageRules.filter((r) => r.userId === jane.id).map((r) => r.displayName), ['Newsletters']);
    const groupsLeft = [...state.groups.values()].filter((g) => g.memberIds.includes(jane.id)).map((g) => g.displayName).sort();
    assert.deepEqual(groupsLeft, ['Offboarding – block sign-in (CA)', 'Sales Department (dynamic)'], 'the block group is kept');
    assert.match(first.outcomes.removeGroupMemberships.detail, /Kept in 'Offboarding – block sign-in \(CA\)'/);
    assert.deepEqual(jane.assignedLicenses, [], 'the mailbox licence removed after the conversion, the inherited one gone with the licensing group');
    const mailbox = state.mailboxes.find((m) => m.userId === jane.id)!;
    assert.equal(mailbox.recipientTypeDetails, 'SharedMailbox');
    assert.equal(mailbox.hiddenFromAddressListsEnabled, true);
    assert.equal(mailbox.forwardingSmtpAddress, null);
    assert.equal(mailbox.litigationHoldEnabled, false);
    assert.deepEqual(mailbox.permissions, [
      { userId: SEED_IDS.pradeep, accessRights: ['FullAccess'], autoMapping: true },
      { userId: SEED_IDS.alex, accessRights: ['FullAccess'], autoMapping: true },
    ]);
    assert.equal(mailbox.autoReply.state, 'Enabled');
    assert.match(mailbox.autoReply.externalMessage, /please contact Alex Wilber/);
    assert.deepEqual(state.mobileDevices.filter((d) => d.userId === jane.id), []);
    const licenceCall = t.sim.calls.findIndex((c) => c.path.endsWith('/assignLicense'));
    const conversion = t.sim.calls.findIndex((c) => (c.body as { CmdletInput?: { Parameters?: { Type?: string } } })?.CmdletInput?.Parameters?.Type === 'Shared');
    assert.ok(conversion >= 0 && conversion < licenceCall, 'the mailbox was shared before its licence went');
    assert.deepEqual(state.oauth2Grants.filter((g) => g.principalId === jane.id), []);
    assert.equal(state.oauth2Grants.length, 1, 'the admin consent for everyone is kept');
    assert.deepEqual(state.appRoleAssignments.filter((a) => a.principalId === jane.id), []);
    assert.ok(state.users.has(SEED_IDS.pradeep) && state.deletedUsers.length === 0, 'nobody was deleted');
    const devices = state.managedDevices.filter((d) => d.userId === jane.id);
    assert.deepEqual(devices.map((d) => d.deviceActionResults?.map((r) => `${r.actionName} ${r.actionState}`)), [['retire pending'], ['retire pending']], 'both devices retired by default');
    assert.deepEqual(state.groups.get(SEED_IDS.salesTeam)!.ownerIds, [SEED_IDS.alex], 'Alex owns the Sales Team, and Jane no longer does');
    assert.deepEqual([...state.groups.values()].filter((g) => g.ownerIds.includes(jane.id)), [], 'Jane owns nothing');
    assert.deepEqual([SEED_IDS.pradeep, SEED_IDS.grady].map((id) => state.users.get(id)!.managerId), [SEED_IDS.alex, SEED_IDS.alex]);
    const drive = state.drives.find((d) => d.userId === jane.id)!;
    assert.deepEqual(drive.rootPermissions.filter((p) => p.grantedToV2?.user.id === SEED_IDS.alex).map((p) => p.roles), [['write']]);
    assert.equal(drive.rootPermissions.filter((p) => p.link).length, 0, 'the link anyone could open is gone');
    assert.deepEqual(drive.rootPermissions.map((p) => p.grantedToV2?.user.email), ['janed@contoso.com', 'alexw@contoso.com'], 'the guest is gone, the new owner kept');
    assert.deepEqual(drive.items!.filter((i) => i.permissions.length > 0).map((i) => `${i.name}: ${i.permissions.map((p) => p.link?.scope).join()}`), ['Team budget.xlsx: organization', 'Handover checklist.docx: users'], 'only sharing inside the company is left');
    assert.match(first.outcomes.grantOneDriveAccess.detail, /Shared outside the company: anyone with the link \(view\).*sam@fabrikam\.example \(write\)/);
    const ownerCall = t.sim.calls.findIndex((c) => c.method === 'POST' && c.path.endsWith('/owners/$ref'));
    const ownerRemoval = t.sim.calls.findIndex((c) => c.method === 'DELETE' && c.path.endsWith(`/owners/${jane.id}/$ref`));
    assert.ok(ownerCall >= 0 && ownerCall < ownerRemoval, 'the new owner was added before Jane stopped owning the team');
    const firstMemberRemoval = t.sim.calls.findIndex((c) => c.method === 'DELETE' && c.path.includes('/members/'));
    assert.ok(ownerCall >= 0 && ownerCall < firstMemberRemoval, 'the new owner was added before Jane left her groups');

    assert.match(first.outcomes.removeLicences.detail, /EMS \(inherited from 'Licensing - EMS E3'\) was removed with that group membership/);
    assert.match(first.outcomes.deleteForwardingRules.detail, /jane\.doe\.home@gmail\.com \(external\)/);
    assert.match(first.outcomes.clearMailboxForwarding.detail, /jdoe\.consulting@outlook\.com \(external\), keeping a copy/);
    assert.ok(first.evidence, 'the evidence snapshot was taken');

    const callsAfterFirst = t.sim.calls.length;
    const second = await runAll(t, first.evidence);
    assert.deepEqual(tenantWrites(t.sim.calls.slice(callsAfterFirst)), [], 'the second run sent no Graph write and no Exchange cmdlet other than Get-*');
    for (const [name, outcome] of Object.entries(second.outcomes)) {
      if (name === 'setLitigationHold') continue;
      assert.ok(['succeeded', 'manual'].includes(outcome.status), `${name}: ${outcome.status} ${outcome.detail}`);
      assert.match(outcome.detail, /^Nothing to change/, name);
    }
    assert.equal(second.outcomes.setLitigationHold.status, 'skipped');
  });

  it('never sends DELETE /groups/{g}/members/{u} or /owners/{u} without /$ref, which would delete Jane', async () => {
    await runAll(t);
    const linkDeletes = t.sim.calls.filter((c) => c.method === 'DELETE' && /\/groups\/[^/]+\/(members|owners)\//.test(c.path));
    assert.ok(linkDeletes.filter((c) => c.path.includes('/owners/')).length >= 1);
    assert.ok(linkDeletes.filter((c) => c.path.includes('/members/')).length >= 3);
    for (const call of linkDeletes) assert.match(call.path, /\/(members|owners)\/[^/]+\/\$ref$/);
  });
});
