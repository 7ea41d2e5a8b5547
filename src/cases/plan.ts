import type { ActionName, Step } from './case';

/**
 * The safe order. Evidence comes before any change. Directory roles go first, and the PIM
 * eligibilities right after, so a privileged account is no longer privileged (and cannot become so
 * again) while the rest runs. Sign-in is blocked, and the Conditional Access block group (when
 * configured) joined, before sessions are revoked (none can be renewed) and before the password is
 * reset and the MFA methods removed (nobody can register new ones). Access PIM would hand over at a
 * later date (assignments that start later) is cancelled then: it cannot start within the run, so
 * it does not hold the sign-in block back. Forwarding (inbox rules, then the mailbox's own), phone
 * sync and the Intune devices (retire or wipe) stop, the device passwords and recovery keys they
 * read as an admin are flagged for a person to rotate, and a guest they invited at their own
 * address is blocked, before anything is handed over: the mailbox
 * (shared, delegate, auto-reply, the meetings the user organizes cancelled when asked, hold), the
 * OneDrive (then its sharing outside the company, once the new owner's access is in place), the
 * groups the user solely owns and the direct reports. Ownership moves before the memberships are
 * removed, so no group is left without an owner. The apps the person was assigned are read for
 * provisioning before the consents step removes the assignments. App consents and the ownership of apps go with
 * the clean-up: once sign-in is blocked the person can use neither, and a secret they gave an app
 * before leaving is flagged for a person whenever it runs. Memberships go before licences, because
 * group-inherited licences leave with the membership; licences last, because removing one that
 * carries the mailbox or the OneDrive before it is handed over would lose it.
 */
export const STEP_ORDER: readonly ActionName[] = [
  'takeEvidence',
  'removeDirectoryRoles',
  'removePimEligibility',
  'blockSignIn',
  'addToBlockGroup',
  'revokeSessions',
  'resetPassword',
  'removeAuthMethods',
  'removeScheduledAssignments',
  'deleteForwardingRules',
  'clearMailboxForwarding',
  'removeMobileDevices',
  'retireOrWipeDevices',
  'flagDeviceSecretsRead',
  'containInvitedGuests',
  'convertToShared',
  'grantMailboxAccess',
  'setAutoReply',
  'cancelMeetings',
  'setLitigationHold',
  'grantOneDriveAccess',
  'removeExternalSharing',
  'transferGroupOwnership',
  'moveDirectReports',
  'removeGroupMemberships',
  'flagAppAccounts',
  'revokeAppConsents',
  'removeAppOwnership',
  'removeLicences',
];

/**
 * The steps that shut the person out, evidence first: the plan's head up to the hand-over. When
 * many cases run at once (a layoff), every case's containment comes before any case's hand-over.
 */
export const CONTAINMENT_STEPS: readonly ActionName[] = STEP_ORDER.slice(0, STEP_ORDER.indexOf('convertToShared'));

/**
 * Steps that hold part of their work back, for a person, while an earlier step has not done its
 * part: a licence that carries the mailbox waits for the conversion to shared, an inherited one for
 * the group membership to go, and so do a membership that gives such a licence and the ownership of
 * its team. Retrying the earlier step runs the waiting one again too.
 */
export const WAITS_ON: Partial<Record<ActionName, readonly ActionName[]>> = {
  removeLicences: ['convertToShared', 'removeGroupMemberships'],
  // A group giving the licence that carries the mailbox stays until the mailbox is shared.
  removeGroupMemberships: ['convertToShared'],
  // So does ownership of a team whose group gives it: removing the owner removes the membership too.
  transferGroupOwnership: ['convertToShared'],
};

export function planSteps(): Step[] {
  return STEP_ORDER.map((action) => ({ action, status: 'pending', requestIds: [] }));
}
