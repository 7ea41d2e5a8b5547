import type { ActionName } from '../cases/case';
import { addToBlockGroup } from './add-to-block-group';
import { cancelMeetings } from './cancel-meetings';
import { blockSignIn } from './block-sign-in';
import { clearMailboxForwarding } from './clear-mailbox-forwarding';
import { containInvitedGuests } from './contain-invited-guests';
import { flagAppAccounts } from './flag-app-accounts';
import { flagDeviceSecretsRead } from './flag-device-secrets-read';
import { convertToShared } from './convert-to-shared';
import { grantMailboxAccess } from './grant-mailbox-access';
import { grantOneDriveAccess } from './grant-onedrive-access';
import { moveDirectReports } from './move-direct-reports';
import { deleteForwardingRules } from './delete-forwarding-rules';
import type { OffboardingAction } from './offboarding-action';
import { removeAuthMethods } from './remove-auth-methods';
import { removeDirectoryRoles } from './remove-directory-roles';
import { removeExternalSharing } from './remove-external-sharing';
import { removeGroupMemberships } from './remove-group-memberships';
import { removeLicences } from './remove-licences';
import { removePimEligibility } from './remove-pim-eligibility';
import { removeScheduledAssignments } from './remove-scheduled-assignments';
import { removeMobileDevices } from './remove-mobile-devices';
import { resetPassword } from './reset-password';
import { retireOrWipeDevices } from './retire-or-wipe-devices';
import { revokeAppConsents } from './revoke-app-consents';
import { removeAppOwnership } from './remove-app-ownership';
import { revokeSessions } from './revoke-sessions';
import { setAutoReply } from './set-auto-reply';
import { setLitigationHold } from './set-litigation-hold';
import { takeEvidence } from './take-evidence';
import { transferGroupOwnership } from './transfer-group-ownership';

export const ACTIONS: Record<ActionName, OffboardingAction> = {
  takeEvidence,
  removeDirectoryRoles,
  removePimEligibility,
  blockSignIn,
  addToBlockGroup,
  revokeSessions,
  resetPassword,
  removeAuthMethods,
  removeScheduledAssignments,
  deleteForwardingRules,
  clearMailboxForwarding,
  removeMobileDevices,
  retireOrWipeDevices,
  flagDeviceSecretsRead,
  containInvitedGuests,
  convertToShared,
  grantMailboxAccess,
  setAutoReply,
  cancelMeetings,
  setLitigationHold,
  grantOneDriveAccess,
  removeExternalSharing,
  transferGroupOwnership,
  moveDirectReports,
  removeGroupMemberships,
  flagAppAccounts,
  revokeAppConsents,
  removeAppOwnership,
  removeLicences,
};
