/**
 * What each offboarding step, follow-up and the app's own reads need from Microsoft 365: the one
 * list the readiness check, the simulated tenant's token and the README's permissions table are
 * held to (test/actions/required-permissions.spec.ts), so a new step cannot ship without saying
 * which consent it needs.
 */
import type { ActionName, FollowUpName } from '../cases/case';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../cases/policy';

/**
 * One need, met when the token carries any one of these application permissions. The first is the
 * least-privileged one, the one to grant; the others are broader ones an admin may have granted
 * already (a .ReadWrite covers its .Read, Directory.Read.All covers reading users and groups).
 */
export type AnyOf = readonly [string, ...string[]];

export interface PermissionNeed {
  /** Microsoft Graph application permissions; every entry must be met. */
  graph: readonly AnyOf[];
  /** Runs Exchange admin cmdlets: Exchange.ManageAsApp on Office 365 Exchange Online, and an Exchange role. */
  exchange?: boolean;
  /** A directory role the app must hold as well; roles assigned to the app never appear in its token. */
  directoryRole?: string;
}

/** The Exchange Online application permission; it shows in the Exchange token, not Graph's. */
export const EXCHANGE_PERMISSION = 'Exchange.ManageAsApp';
/** No token carries the app's Exchange role, so readiness can only remind the admin of it. */
// Recipient Administrator is not enough: its role group has no Legal Hold role (litigation hold).
export const EXCHANGE_ROLE = 'Exchange Administrator role';
const USER_ADMINISTRATOR = "User Administrator role (or one at least as high as the person's)";

/**
 * The built-in roles (by template id, which is a built-in role assignment's roleDefinitionId) that
 * meet each directory-role need when assigned to the app for the whole directory. Only these are
 * counted: a role that might do as well is left for the admin to confirm rather than called enough.
 */
export const DIRECTORY_ROLE_IDS: Readonly<Record<string, readonly string[]>> = {
  // Privileged Authentication Administrator may block and reset any user, administrators included.
  [USER_ADMINISTRATOR]: ['fe930be7-5e62-47db-91af-98c3a49a38b1', '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', GLOBAL_ADMINISTRATOR_ROLE_ID],
  [EXCHANGE_ROLE]: ['29232cdf-9323-42fd-ade2-1d097af3e4de', GLOBAL_ADMINISTRATOR_ROLE_ID],
};

// Application.ReadWrite.All, granted for the app ownership step, reads service principals too.
const SERVICE_PRINCIPALS_READ: AnyOf = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const USER_READ: AnyOf = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const USER_WRITE: AnyOf = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const DIRECTORY_READ: AnyOf = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_MEMBERS_READ: AnyOf = ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_MEMBERS_WRITE: AnyOf = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
// Graph's reference lists RoleManagement.Read.All and the Directory.* permissions for role assignments too.
const ROLES_READ: AnyOf = ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const ROLES_WRITE: AnyOf = ['RoleManagement.ReadWrite.Directory'];
// Graph documents RoleManagement.* as higher-privileged alternatives for the PIM role schedules.
const ROLE_ELIGIBILITY_READ: AnyOf = ['RoleEligibilitySchedule.Read.Directory', 'RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory'];
const ROLE_SCHEDULE_READ: AnyOf = ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory'];
const ROLE_ELIGIBILITY_WRITE: AnyOf = ['RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];
const GROUP_ELIGIBILITY_READ: AnyOf = ['PrivilegedEligibilitySchedule.Read.AzureADGroup', 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'];
const GROUP_ELIGIBILITY_WRITE: AnyOf = ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'];
// RoleManagement.ReadWrite.Directory, granted for removing roles, covers these schedules too.
const ROLE_SCHEDULE_WRITE: AnyOf = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];
const GROUP_ASSIGNMENT_READ: AnyOf = ['PrivilegedAssignmentSchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const GROUP_ASSIGNMENT_WRITE: AnyOf = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const AUDIT_LOGS_READ: AnyOf = ['AuditLog.Read.All'];
const AUTH_METHODS_READ: AnyOf = ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'];
const DEVICES_READ: AnyOf = ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];
// Basic calendar details carry the subject, start, organizer and attendees, which is all the step reads.
const CALENDARS_READ: AnyOf = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
const INBOX_RULES_READ: AnyOf = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
// Graph documents Sites.ReadWrite.All as the higher-privileged alternative for drive items and their permissions.
const FILES: AnyOf = ['Files.ReadWrite.All', 'Sites.ReadWrite.All'];

/** Each step of the plan; takeEvidence records a section's 403 rather than failing, but is then incomplete. */
export const STEP_PERMISSIONS: Record<ActionName, PermissionNeed> = {
  takeEvidence: {
    graph: [USER_READ, DIRECTORY_READ, ROLES_READ, ROLE_ELIGIBILITY_READ, ROLE_SCHEDULE_READ, GROUP_ELIGIBILITY_READ, GROUP_ASSIGNMENT_READ, AUDIT_LOGS_READ, AUTH_METHODS_READ, DEVICES_READ, INBOX_RULES_READ, FILES],
    exchange: true,
  },
  // Members of a role-assignable group leave it through the group's members, which Graph allows
  // only with RoleManagement.ReadWrite.Directory on top of the membership permission.
  // Role-assignable groups are found among the person's direct memberships (memberOf), which Graph
  // reads for another user only with Directory.Read.All.
  removeDirectoryRoles: { graph: [USER_READ, ROLES_WRITE, GROUP_MEMBERS_WRITE, DIRECTORY_READ] },
  removePimEligibility: { graph: [ROLE_ELIGIBILITY_WRITE, GROUP_ELIGIBILITY_WRITE] },
  removeScheduledAssignments: { graph: [ROLE_SCHEDULE_WRITE, GROUP_ASSIGNMENT_WRITE] },
  blockSignIn: { graph: [USER_READ, ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']], directoryRole: USER_ADMINISTRATOR },
  addToBlockGroup: { graph: [USER_READ, GROUP_MEMBERS_WRITE, DIRECTORY_READ] },
  // Graph documents no broader application permission for these two: User.ReadWrite.All sets every
  // property but the password, and does not revoke sessions.
  revokeSessions: { graph: [USER_READ, ['User.RevokeSessions.All']] },
  resetPassword: { graph: [USER_READ, ['User-PasswordProfile.ReadWrite.All', 'Directory.ReadWrite.All']], directoryRole: USER_ADMINISTRATOR },
  removeAuthMethods: { graph: [['UserAuthenticationMethod.ReadWrite.All']] },
  deleteForwardingRules: { graph: [['MailboxSettings.ReadWrite']] },
  clearMailboxForwarding: { graph: [], exchange: true },
  removeMobileDevices: { graph: [], exchange: true },
  retireOrWipeDevices: { graph: [DEVICES_READ, ['DeviceManagementManagedDevices.PrivilegedOperations.All']] },
  // The invitations in the directory audit log; each guest read, blocked and its sessions revoked.
  containInvitedGuests: {
    graph: [USER_READ, AUDIT_LOGS_READ, DIRECTORY_READ, ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], ['User.RevokeSessions.All']],
    directoryRole: USER_ADMINISTRATOR,
  },
  // The roles it goes by are the evidence's; the directory audit log is its only read.
  flagDeviceSecretsRead: { graph: [AUDIT_LOGS_READ, DIRECTORY_READ] },
  convertToShared: { graph: [], exchange: true },
  // The delegate is the manager by default, read from Graph to name them to Exchange.
  grantMailboxAccess: { graph: [USER_READ], exchange: true },
  setAutoReply: { graph: [], exchange: true },
  // The meetings are read from Graph; Exchange cancels them (Remove-CalendarEvents).
  cancelMeetings: { graph: [CALENDARS_READ], exchange: true },
  setLitigationHold: { graph: [], exchange: true },
  grantOneDriveAccess: { graph: [USER_READ, FILES] },
  // The verified domains tell inside from outside.
  removeExternalSharing: { graph: [FILES, DIRECTORY_READ] },
  // Distribution lists' owners (ManagedBy) change through Exchange.
  transferGroupOwnership: { graph: [USER_READ, ['Group.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: true },
  moveDirectReports: { graph: [USER_WRITE] },
  // Distribution lists and mail-enabled security groups are left in Exchange's hands.
  removeGroupMemberships: { graph: [USER_READ, GROUP_MEMBERS_WRITE, DIRECTORY_READ], exchange: true },
  revokeAppConsents: { graph: [['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'], ['AppRoleAssignment.ReadWrite.All']] },
  // Removing an owner of an app the app itself does not own: Application.ReadWrite.OwnedBy is not enough.
  // The audit log only for someone who held an app admin role; without it that check is left to a person.
  // Reads each assigned app's provisioning jobs and owners, and the apps assigned to the person's
  // groups. The person's own assignments and groups are the evidence's; where it could not record
  // them (or before it, for the preview) they are read too, and their groups only with Directory.Read.All.
  flagAppAccounts: { graph: [['Synchronization.Read.All', 'Synchronization.ReadWrite.All'], SERVICE_PRINCIPALS_READ, DIRECTORY_READ] },
  removeAppOwnership: { graph: [USER_READ, ['Application.ReadWrite.All', 'Directory.ReadWrite.All'], AUDIT_LOGS_READ, DIRECTORY_READ] },
  // Whether the mailbox reads back as shared decides whether its licence may go.
  removeLicences: { graph: [USER_READ, ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: true },
};

export const FOLLOW_UP_PERMISSIONS: Record<FollowUpName, PermissionNeed> = {
  removeDelegateAccess: { graph: [USER_READ], exchange: true },
  // A message in the IT channel goes through the Bot Framework, not Microsoft 365.
  reviewReminder: { graph: [] },
  // Directory.ReadWrite.All does not allow deleting users.
  deleteAccount: { graph: [['User.DeleteRestore.All', 'User.ReadWrite.All']] },
  // Purview shows each permission's own service only: downloads happen in SharePoint and in OneDrive.
  reviewDownloads: { graph: [['AuditLogsQuery-SharePoint.Read.All', 'AuditLogsQuery.Read.All'], ['AuditLogsQuery-OneDrive.Read.All', 'AuditLogsQuery.Read.All']] },
  // The sign-in log also needs Entra ID P1, which no token shows.
  checkSignIns: { graph: [AUDIT_LOGS_READ, DIRECTORY_READ] },
};

/** What the app reads outside the steps: requests, approvals and the plan approvers see. */
export type AppReadName = 'findPerson' | 'whoMayDecide' | 'approvalsNeeded' | 'approvalViewers' | 'riskySignIns' | 'appNames' | 'ownRoles';

export const APP_READ_LABELS: Record<AppReadName, string> = {
  findPerson: 'Find the person to offboard and their manager',
  whoMayDecide: 'Check who may request, approve and see cases',
  approvalsNeeded: 'Count the approvals a privileged person needs',
  approvalViewers: 'Show security approvers their own approval card',
  riskySignIns: 'Flag risky sign-ins in the plan approvers see',
  appNames: 'Name the apps a consent is for',
  ownRoles: "Check the app's own directory roles",
};

export const APP_READ_PERMISSIONS: Record<AppReadName, PermissionNeed> = {
  findPerson: { graph: [USER_READ] },
  whoMayDecide: { graph: [USER_READ] },
  // Role-assignable groups are found among the person's direct memberships (memberOf).
  approvalsNeeded: { graph: [ROLES_READ, ROLE_ELIGIBILITY_READ, ROLE_SCHEDULE_READ, DIRECTORY_READ, GROUP_ELIGIBILITY_READ, GROUP_ASSIGNMENT_READ] },
  approvalViewers: { graph: [GROUP_MEMBERS_READ] },
  // The sign-in log also needs Entra ID P1, which no token shows either.
  riskySignIns: { graph: [AUDIT_LOGS_READ, DIRECTORY_READ] },
  appNames: { graph: [SERVICE_PRINCIPALS_READ] },
  // The readiness check finds the app's service principal, then its role assignments.
  ownRoles: { graph: [SERVICE_PRINCIPALS_READ, ROLES_READ] },
};

const EVERY_NEED: PermissionNeed[] = [...Object.values(STEP_PERMISSIONS), ...Object.values(FOLLOW_UP_PERMISSIONS), ...Object.values(APP_READ_PERMISSIONS)];

/** The Graph permissions to grant for everything to work: the least-privileged one of each need. */
export const GRAPH_PERMISSIONS_TO_GRANT: readonly string[] = [...new Set(EVERY_NEED.flatMap((n) => n.graph.map((anyOf) => anyOf[0])))].sort();

/** What a step or a follow-up (they run alike, under their own names) needs. */
export function needOf(name: string): PermissionNeed | undefined {
  return (STEP_PERMISSIONS as Record<string, PermissionNeed>)[name] ?? (FOLLOW_UP_PERMISSIONS as Record<string, PermissionNeed>)[name];
}

/** One sentence on what a step needs, for a failure Microsoft 365 answered with a refusal. */
export function describeNeed(need: PermissionNeed): string {
  const parts = [
    ...(need.graph.length > 0 ? [`the Graph application permission${need.graph.length > 1 ? 's' : ''} ${need.graph.map((anyOf) => anyOf[0]).join(', ')}`] : []),
    ...(need.directoryRole ? [`the ${need.directoryRole.replace(/ \(.*\)$/, '')}`] : []),
    ...(need.exchange ? [`${EXCHANGE_PERMISSION} with the ${EXCHANGE_ROLE}`] : []),
  ];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? 'nothing from Microsoft 365');
}
