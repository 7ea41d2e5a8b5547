import type { ActionName, Step } from './case';

/**
 * The safe order. Evidence comes before any change. Directory roles go first, so a privileged
 * account is no longer privileged while the rest runs. Sign-in is blocked before sessions are
 * revoked (none can be renewed) and before the password is reset and the MFA methods removed
 * (nobody can register new ones). Forwarding rules go before clean-up; memberships before licences,
 * because group-inherited licences leave with the membership.
 */
export const STEP_ORDER: readonly ActionName[] = [
  'takeEvidence',
  'removeDirectoryRoles',
  'blockSignIn',
  'revokeSessions',
  'resetPassword',
  'removeAuthMethods',
  'deleteForwardingRules',
  'removeGroupMemberships',
  'revokeAppConsents',
  'removeLicences',
];

export function planSteps(): Step[] {
  return STEP_ORDER.map((action) => ({ action, status: 'pending', requestIds: [] }));
}
