/** The offboarding case: the record of one departure, from request to completion. */

export const DEPARTURE_TYPES = ['voluntary', 'involuntary', 'high-risk'] as const;
export type DepartureType = (typeof DEPARTURE_TYPES)[number];

export type CaseState =
  | 'awaiting_approval'
  | 'approved'
  | 'rejected'
  | 'running'
  | 'completed'
  | 'completed_with_failures'
  | 'cancelled';

/**
 * States in which the target is still "in an open case" (one open case per target). A case whose
 * steps failed stays open: someone must retry or resolve them before it can be called done.
 */
export const OPEN_STATES: readonly CaseState[] = ['awaiting_approval', 'approved', 'running', 'completed_with_failures'];

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'manual';

export type ActionName =
  | 'takeEvidence'
  | 'removeDirectoryRoles'
  | 'removePimEligibility'
  | 'removeScheduledAssignments'
  | 'blockSignIn'
  | 'addToBlockGroup'
  | 'revokeSessions'
  | 'resetPassword'
  | 'removeAuthMethods'
  | 'deleteForwardingRules'
  | 'clearMailboxForwarding'
  | 'removeMobileDevices'
  | 'retireOrWipeDevices'
  | 'convertToShared'
  | 'grantMailboxAccess'
  | 'setAutoReply'
  | 'setLitigationHold'
  | 'cancelMeetings'
  | 'grantOneDriveAccess'
  | 'removeExternalSharing'
  | 'transferGroupOwnership'
  | 'moveDirectReports'
  | 'removeGroupMemberships'
  | 'revokeAppConsents'
  | 'removeAppOwnership'
  | 'flagAppAccounts'
  | 'flagDeviceSecretsRead'
  | 'containInvitedGuests'
  | 'removeLicences';

export interface Person {
  /** Entra object id. */
  id: string;
  displayName: string;
}

export interface Target extends Person {
  userPrincipalName: string;
  mail?: string;
  manager?: Person;
}

/** What happens to the mailbox, as chosen on the request card. */
export interface MailboxDecisions {
  /** Convert to a shared mailbox and hide it from address lists. */
  convertToShared: boolean;
  /** UPN or address of who gets FullAccess; absent means the manager, null means nobody. */
  delegate?: string | null;
  /** Last day (YYYY-MM-DD) the delegate keeps access; a person removes it then. */
  delegateUntil?: string;
  autoReply: boolean;
  /** Auto-reply texts; absent means the default wording. */
  autoReplyInternal?: string;
  autoReplyExternal?: string;
  litigationHold: boolean;
  /**
   * Cancel the future meetings the user organizes, so attendees are not left with meetings nobody
   * can change; absent on cases requested before the card asked, which keep them.
   */
  cancelMeetings?: boolean;
}

/** Licences: removed once the mailbox is verified shared, or kept. */
export type LicenceDecision = 'remove-after-conversion' | 'keep';

/**
 * The user's Intune-managed devices: retire (remove company data and management), wipe (factory
 * reset company-owned devices; personal ones are only retired), or leave them to a person.
 */
export type DeviceDecision = 'retire' | 'wipe' | 'leave';

/** Who takes over what the user owned, as chosen on the request card; absent means the manager. */
export interface HandOverDecisions {
  /** UPN or address of who gets write access to the user's OneDrive; null means nobody. */
  filesTo?: string | null;
  /** UPN or address of the new owner of the groups and teams the user is the only owner of. */
  groupsTo?: string;
  /** OneDrive sharing outside the company; absent (older cases) means the departure type's default. */
  externalSharing?: ExternalSharingDecision;
}

/** Remove OneDrive sharing that reaches outside the company, or keep it and list it in the report. */
export type ExternalSharingDecision = 'remove' | 'report';

export interface DepartureRequest {
  departureType: DepartureType;
  /** 'now' or an ISO date-time (local wall clock in timeZone). */
  cutoff: string;
  timeZone: string;
  ticket?: string;
  notes?: string;
  /** Absent on cases requested before these choices existed: the defaults apply. */
  mailbox?: MailboxDecisions;
  licences?: LicenceDecision;
  /** Absent on cases requested before the card asked: every device is retired. */
  devices?: DeviceDecision;
  handOver?: HandOverDecisions;
}

export interface Decision {
  by: Person;
  decision: 'approved' | 'rejected';
  reason?: string;
  at: string;
  /** In which capacity the person decided; absent on cases from before approval roles. */
  as?: ApprovalSlot;
}

/** The capacities in which a case is approved. */
export type ApprovalSlot = 'manager' | 'security' | 'globalAdmin';

/** What a case needs before it may run, fixed when it is requested (src/cases/policy.ts). */
export interface RequiredApprovals {
  /** The target's manager, when someone else requested. */
  manager?: Person;
  /** Security approvers needed, each a different person: 1, or 2 for high-risk or privileged. */
  security: number;
  /** The target is a Global Administrator: a member of the configured approver group must approve. */
  globalAdmin: boolean;
  /** Why more than one security approver is needed, in words for the cards. */
  why: string[];
}

/** The approvals given so far, by capacity. A case runs only when all required ones are in. */
export interface GivenApprovals {
  manager?: Decision;
  security: Decision[];
  globalAdmin?: Decision;
}

export interface Step {
  action: ActionName;
  status: StepStatus;
  detail?: string;
  /** Graph request-id of each call made for this step, for the evidence trail. */
  requestIds: string[];
  startedAt?: string;
  finishedAt?: string;
  /** For a `manual` step: the person who did what it asked, and how. */
  resolution?: { by: Person; at: string; note: string };
  /** The step waits, pending, until this instant (ISO); absent means as soon as its turn comes. */
  notBefore?: string;
  /**
   * Whether a run of this step went as far as changing the tenant (true), or found nothing to
   * change or was stopped before (false). Absent on steps recorded before this was kept.
   */
  changed?: boolean;
}

/** Steps scheduled for later, after the case's own steps ended (src/engine/follow-ups). */
export type FollowUpName = 'removeDelegateAccess' | 'reviewReminder' | 'deleteAccount' | 'reviewDownloads' | 'checkSignIns';

/**
 * A step of the same case that runs at its `notBefore`, once the case has closed: the case counts
 * as completed for reporting while these still wait. Kept apart from `steps`, which are the
 * immediate plan every card and report lists.
 */
export interface FollowUp extends Omit<Step, 'action' | 'notBefore'> {
  action: FollowUpName;
  notBefore: string;
  /** Set when someone called the follow-up off before it ran; its status is then `skipped`. */
  cancelled?: { at: string; by: Person; reason: string };
  /** A recurring follow-up (the review reminder): days from one run to the next. */
  everyDays?: number;
}

/** What the account looked like before anything was changed, hashed so later tampering shows. */
export interface CaseEvidence {
  takenAt: string;
  /** SHA-256 (hex) of `snapshot`, exactly as stored. */
  sha256: string;
  /**
   * Canonical JSON (object keys sorted) of every section read. Kept as text: the hash then covers
   * the stored bytes, and Graph keys such as "@odata.type" survive stores that refuse dotted keys.
   */
  snapshot: string;
}

/** One step of the plan preview: what it found and would change, and what deserves a second look. */
export interface PlanPreviewItem {
  action: ActionName;
  found: string;
  changes: string[];
  risks: string[];
}

/** Where a card about this case was posted, so it can be updated in place. */
export interface PostedCard {
  conversationId: string;
  activityId: string;
}

export interface OffboardingCase {
  _id: string;
  /** Incremented by every update; conditional updates compare it. */
  version: number;
  state: CaseState;
  target: Target;
  requester: Person;
  request: DepartureRequest;
  /** UTC instant from which the case may execute (the cut-off). */
  notBefore: string;
  decisions: Decision[];
  steps: Step[];
  /** What each step would change, computed at submit without writing; for the cards. */
  planPreview?: PlanPreviewItem[];
  /**
   * What approvers should know about the person as a whole, read at submit (request-warnings.ts):
   * an account already blocked, an earlier offboarding, a seat in an approvers group.
   */
  personRisks?: string[];
  /** Taken by the first step, before any change. */
  evidence?: CaseEvidence;
  cards: { securityApproval?: PostedCard; managerApproval?: PostedCard; requesterStatus?: PostedCard; itProgress?: PostedCard; completion?: PostedCard };
  /** Absent on cases from before approval roles: one security approval, nothing else. */
  requiredApprovals?: RequiredApprovals;
  approvals?: GivenApprovals;
  /** Why the manager's approval card could not be delivered (they never talked to the bot). */
  managerUnreachable?: string;
  /** When approvers were reminded (and the escalation group told) about a stalled case. */
  remindedAt?: string;
  /** Scheduled follow-ups, fixed when the case closes. */
  followUps?: FollowUp[];
  /**
   * The earliest `notBefore` of a pending follow-up, or null when none is left: what the engine's
   * sweep queries, so a case months old is still found when its follow-up falls due.
   */
  nextFollowUpAt?: string | null;
  /** Why and when a case was cancelled, e.g. expired for want of a decision. */
  cancellation?: { at: string; reason: string; by?: Person };
  createdAt: string;
  updatedAt: string;
}
