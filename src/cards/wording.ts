/** The words and formats the cards share, so every card names a state or step the same way. */
import type { PlanPreviewItem, ActionName, OffboardingCase, ApprovalSlot, CaseState, Decision, DepartureRequest, DepartureType, FollowUpName, Step, StepStatus } from '../cases/case';

/** TextBlock colours a card may use. */
export type CardColor = 'default' | 'good' | 'warning' | 'attention' | 'accent';

export const STEP_LABELS: Record<ActionName, string> = {
  takeEvidence: 'Evidence snapshot',
  removeDirectoryRoles: 'Remove directory roles',
  removePimEligibility: 'Remove PIM eligibilities (roles and groups)',
  blockSignIn: 'Block sign-in',
  addToBlockGroup: 'Add to the Conditional Access block group',
  revokeSessions: 'Revoke sessions',
  resetPassword: 'Reset password',
  removeAuthMethods: 'Remove authentication methods',
  removeScheduledAssignments: 'Cancel PIM assignments that start later',
  deleteForwardingRules: 'Delete forwarding inbox rules',
  clearMailboxForwarding: 'Clear mailbox forwarding',
  removeMobileDevices: 'Remove mobile device partnerships',
  retireOrWipeDevices: 'Retire or wipe Intune devices',
  flagDeviceSecretsRead: 'Flag device passwords and recovery keys they read',
  containInvitedGuests: 'Block their own guest accounts, flag guests they invited',
  convertToShared: 'Convert to shared mailbox and hide',
  grantMailboxAccess: 'Give the delegate mailbox access',
  setAutoReply: 'Set the auto-reply',
  cancelMeetings: 'Cancel the meetings the user organizes',
  setLitigationHold: 'Litigation hold',
  grantOneDriveAccess: 'Give the new owner OneDrive access',
  removeExternalSharing: 'OneDrive sharing outside the company',
  transferGroupOwnership: "Hand over groups and end the user's ownership",
  moveDirectReports: "Move direct reports to the user's manager",
  removeGroupMemberships: 'Remove group memberships',
  revokeAppConsents: 'Revoke app consents and app roles',
  removeAppOwnership: 'End app ownership, flag new app secrets',
  flagAppAccounts: 'Flag app accounts Entra does not close',
  removeLicences: 'Remove licences',
};

export const FOLLOW_UP_LABELS: Record<FollowUpName, string> = {
  removeDelegateAccess: "Remove the delegate's mailbox access",
  reviewReminder: 'Remind IT to review the case',
  deleteAccount: 'Delete the account',
  reviewDownloads: 'Report the files downloaded before leaving',
  checkSignIns: 'Check for sign-ins after the block',
};

/** In which capacity someone approved, as the completion summary says it. */
export const APPROVAL_SLOT_LABELS: Record<ApprovalSlot, string> = {
  manager: 'as the manager',
  security: 'as security approver',
  globalAdmin: 'as Global Administrator approver',
};

export const DEPARTURE_LABELS: Record<DepartureType, string> = {
  voluntary: 'Voluntary',
  involuntary: 'Involuntary',
  'high-risk': 'High-risk',
};

export const STATE_LABELS: Record<CaseState, string> = {
  awaiting_approval: 'Awaiting security approval',
  approved: 'Approved, waiting for the cut-off',
  rejected: 'Rejected',
  running: 'Running',
  completed: 'Completed',
  completed_with_failures: 'Completed with failures',
  cancelled: 'Cancelled',
};

export const STATE_COLORS: Record<CaseState, CardColor> = {
  awaiting_approval: 'accent',
  approved: 'good',
  rejected: 'attention',
  running: 'accent',
  completed: 'good',
  completed_with_failures: 'attention',
  cancelled: 'default',
};

export const STEP_STATUS_WORDING: Record<StepStatus, { icon: string; word: string; color: CardColor }> = {
  pending: { icon: '⏳', word: 'Pending', color: 'default' },
  running: { icon: '🔄', word: 'Running', color: 'accent' },
  succeeded: { icon: '✅', word: 'Succeeded', color: 'good' },
  failed: { icon: '❌', word: 'Failed', color: 'attention' },
  skipped: { icon: '⏭️', word: 'Skipped', color: 'default' },
  manual: { icon: '✋', word: 'Manual action needed', color: 'warning' },
};

/** "2025-11-25 14:53 UTC" from an ISO timestamp; anything unparseable is shown as given. */
export function formatUtc(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The cut-off is a local wall-clock time in the request's time zone; the UTC instant it resolved to
 * (`notBefore`) is added so approvers elsewhere read the same moment.
 */
export function formatCutoff(request: Pick<DepartureRequest, 'cutoff' | 'timeZone'>, notBefore?: string): string {
  if (request.cutoff === 'now') return 'Now, as soon as approved';
  const wallClock = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(request.cutoff);
  const local = `${wallClock ? `${wallClock[1]} ${wallClock[2]}` : request.cutoff} ${request.timeZone}`;
  return notBefore && request.timeZone !== 'UTC' ? `${local} (${formatUtc(notBefore)})` : local;
}

export function decisionSummary(d: Decision): string {
  const verb = d.decision === 'approved' ? 'Approved' : 'Rejected';
  return `${verb} by ${d.by.displayName} at ${formatUtc(d.at)}`;
}

/** How a step is shown on the progress and completion cards. */
export function stepLine(step: Step): { icon: string; label: string; statusWord: string; color: CardColor; detail: string } {
  const { icon, word, color } = STEP_STATUS_WORDING[step.status];
  return { icon, label: STEP_LABELS[step.action], statusWord: word, color, detail: step.detail ?? '' };
}

/**
 * The risks approvers weigh: those about the person first, then each step's. Two steps can see the
 * same risk (forwarding in a rule and on the mailbox): said once.
 */
export function caseRisks(c: Pick<OffboardingCase, 'personRisks' | 'planPreview'>): string[] {
  return [...new Set([...(c.personRisks ?? []), ...(c.planPreview ?? []).flatMap((p) => p.risks)])];
}

/** What a step found in the tenant at request time, with the objects it will change. */
export function previewLine(p: PlanPreviewItem): string {
  return p.changes.length > 0 ? `${p.found} (${p.changes.join(', ')})` : p.found;
}
