import type { ActionName, Step } from './case';

/**
 * The safe order. Evidence comes before any change. Directory roles go first, so a privileged
 * account is no longer privileged while the rest runs. Sign-in is blocked before sessions are
 * revoked (none can be renewed) and before the password is reset and the MFA methods removed
 * (nobody can register new ones). Forwarding (inbox rules, then the mailbox's own) and phone sync stop
 * before the mailbox is handed over (shared, delegate, auto-reply, hold); memberships before
 * licences, because group-inherited licences leave with the membership; licences last, because
 * removing one that carries the mailbox before it is shared would lose the mailbox.
 */
export const STEP_ORDER: readonly ActionName[] = [
  'takeEvidence',
  'removeDirectoryRoles',
  'blockSignIn',
  'revokeSessions',
  'resetPassword',
  'removeAuthMethods',
  'deleteForwardingRules',
  'clearMailboxForwarding',
  'removeMobileDevices',
  'convertToShared',
  'grantMailboxAccess',
  'setAutoReply',
  'setLitigationHold',
  'removeGroupMemberships',
  'revokeAppConsents',
  'removeLicences',
];

export function planSteps(): Step[] {
  return STEP_ORDER.map((action) => ({ action, status: 'pending', requestIds: [] }));
}
