import type { ActionName } from '../cases/case';
import { blockSignIn } from './block-sign-in';
import { deleteForwardingRules } from './delete-forwarding-rules';
import type { OffboardingAction } from './offboarding-action';
import { removeAuthMethods } from './remove-auth-methods';
import { removeDirectoryRoles } from './remove-directory-roles';
import { removeGroupMemberships } from './remove-group-memberships';
import { removeLicences } from './remove-licences';
import { resetPassword } from './reset-password';
import { revokeAppConsents } from './revoke-app-consents';
import { revokeSessions } from './revoke-sessions';
import { takeEvidence } from './take-evidence';

export const ACTIONS: Record<ActionName, OffboardingAction> = {
  takeEvidence,
  removeDirectoryRoles,
  blockSignIn,
  revokeSessions,
  resetPassword,
  removeAuthMethods,
  deleteForwardingRules,
  removeGroupMemberships,
  revokeAppConsents,
  removeLicences,
};
