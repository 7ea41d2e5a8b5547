/**
 * What a simulated tenant holds beyond users and groups: licences, directory roles, sign-in
 * methods, devices, mailbox rules, calendars and app consents. Plain records; the Graph routes
 * and Exchange cmdlets change them.
 */
import type { SimDirectoryAudit, SimSignIn } from './audit-log-state';
import type { SimMeeting } from './calendar-state';
import type { SimDrive } from './drive-state';
import { AUDIT_SEARCH_DEFAULTS, type SimAuditLogQuery, type SimFileActivity } from './file-activity-state';
import type { SimGroupEligibility } from './group-eligibility-state';
import type { SimMailbox, SimMobileDevice } from './exchange/mailbox-state';
import type { SimScheduledGroupAssignment, SimScheduledRoleAssignment } from './scheduled-access-state';
import type { SimUser, TenantState } from './state';

export interface SimServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  /** What the plan applies to, as licenseDetails shows it. */
  appliesTo: 'User' | 'Company';
}

export interface SimSku {
  skuId: string;
  skuPartNumber: string;
  prepaidUnits: number;
  /** The services the SKU carries; an EXCHANGE_S_* plan means the licence carries a mailbox. */
  servicePlans?: SimServicePlan[];
}

export interface SimRoleDefinition {
  id: string;
  displayName: string;
  isBuiltIn: boolean;
  isPrivileged: boolean;
  /**
   * What the role allows (unifiedRolePermission). Given for custom roles; a built-in role's are
   * left empty here, where Graph lists them in full (the app knows built-in roles by template id).
   */
  rolePermissions?: Array<{ allowedResourceActions: string[]; condition: string | null }>;
}

export interface SimRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

/** A PIM eligibility (unifiedRoleEligibilitySchedule): the principal may activate the role when needed. */
export interface SimRoleEligibility {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  createdDateTime: string;
  /** null for a permanent eligibility; once past, Graph no longer lists it. */
  endDateTime: string | null;
  /**
   * Graph's memberType, 'Direct' when omitted. 'Group' (or 'Inherited') is one the principal has
   * through something else, which an adminRemove naming the principal cannot remove.
   */
  memberType?: 'Direct' | 'Group' | 'Inherited';
}

/** One registered sign-in method; `type` is the Graph entity name, e.g. phoneAuthenticationMethod. */
export interface SimAuthMethod {
  id: string;
  userId: string;
  type: string;
  /** The method Entra asks for first. Graph v1.0 does not show it, but refuses to delete it while others exist. */
  isDefault: boolean;
  properties: Record<string, unknown>;
}

export interface SimManagedDevice {
  id: string;
  userId: string;
  deviceName: string;
  operatingSystem: string;
  osVersion: string;
  model: string;
  serialNumber: string;
  complianceState: 'compliant' | 'noncompliant' | 'unknown';
  managedDeviceOwnerType: 'company' | 'personal';
  enrolledDateTime: string;
  lastSyncDateTime: string;
  /** Remote actions queued on the device (retire, wipe...), as Graph shows them; absent means none yet. */
  deviceActionResults?: SimDeviceActionResult[];
}

/** Graph's deviceActionResult: a queued action stays 'pending' until the device checks in. */
export interface SimDeviceActionResult {
  actionName: string;
  actionState: 'none' | 'pending' | 'canceled' | 'active' | 'done' | 'failed' | 'notSupported';
  startDateTime: string;
  lastUpdatedDateTime: string;
}

export interface SimMessageRule {
  id: string;
  userId: string;
  displayName: string;
  sequence: number;
  isEnabled: boolean;
  conditions: Record<string, unknown>;
  actions: Record<string, unknown>;
  /** A rule Outlook and Graph do not show (e.g. made by a malicious app); only Get-InboxRule -IncludeHidden does. */
  hidden?: boolean;
}

export interface SimOAuth2Grant {
  id: string;
  clientId: string;
  consentType: 'Principal' | 'AllPrincipals';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface SimAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalDisplayName: string;
  principalType: 'User' | 'Group';
  resourceId: string;
  resourceDisplayName: string;
  createdDateTime: string;
}

/** A client secret (passwordCredential) or certificate (keyCredential) of an app: Graph never returns the secret itself. */
export interface SimAppCredential {
  keyId: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
}

/** What an owner of an app may change: its secrets and certificates, among the rest. */
export interface SimAppOwnership {
  /** Users (or service principals) who own the app. */
  ownerIds?: string[];
  passwordCredentials?: SimAppCredential[];
  keyCredentials?: SimAppCredential[];
}

/**
 * An Entra provisioning job of an enterprise app (microsoft.graph.synchronizationJob): while it
 * runs, removing a user's assignment disables or deletes their account in the app on its next cycle.
 */
export interface SimSynchronizationJob {
  id: string;
  templateId: string;
  schedule: { expiration: string | null; interval: string; state: 'active' | 'disabled' | 'paused' };
  status: { code: 'notConfigured' | 'notRun' | 'active' | 'paused' | 'quarantine' };
}

/** An app's identity in the tenant: what a delegated grant's clientId and an assignment's resourceId name. */
export interface SimServicePrincipal extends SimAppOwnership {
  id: string;
  appId: string;
  displayName: string;
  /** Provisioning into the app; none means Entra never touches the app's own accounts. */
  synchronizationJobs?: SimSynchronizationJob[];
}

/** An app registration (application object), owned apart from its service principal. */
export interface SimApplication extends SimAppOwnership {
  id: string;
  appId: string;
  displayName: string;
}

export interface Workplace {
  skus: SimSku[];
  servicePrincipals: SimServicePrincipal[];
  applications: SimApplication[];
  roleDefinitions: SimRoleDefinition[];
  roleAssignments: SimRoleAssignment[];
  roleEligibilities: SimRoleEligibility[];
  /** PIM for Groups: who may activate membership or ownership of which group. */
  groupEligibilities: SimGroupEligibility[];
  /** PIM assignments that start later: a directory role, a group's membership or ownership (scheduled-access-state.ts). */
  scheduledRoleAssignments: SimScheduledRoleAssignment[];
  scheduledGroupAssignments: SimScheduledGroupAssignment[];
  authMethods: SimAuthMethod[];
  managedDevices: SimManagedDevice[];
  messageRules: SimMessageRule[];
  oauth2Grants: SimOAuth2Grant[];
  appRoleAssignments: SimAppRoleAssignment[];
  /** Exchange Online mailboxes; createSimTenant gives every user with a mail address one. */
  mailboxes: SimMailbox[];
  /** Exchange ActiveSync / Outlook mobile partnerships. */
  mobileDevices: SimMobileDevice[];
  /** Meetings and appointments, each in its organizer's calendar and its attendees' (calendar-state.ts). */
  meetings: SimMeeting[];
  /** Provisioned OneDrives; a user without one gets 404 from /users/{id}/drive. */
  drives: SimDrive[];
  /** Entra sign-in log and directory audit log (/auditLogs), newest first as Graph lists them. */
  signIns: SimSignIn[];
  directoryAudits: SimDirectoryAudit[];
  /** SharePoint and OneDrive file operations in Purview's unified audit log (file-activity-state.ts). */
  fileActivity: SimFileActivity[];
  /** Searches of that log made through /security/auditLog/queries. */
  auditLogQueries: SimAuditLogQuery[];
  /** How long a search runs before it ends; short by default, so the demo shows its result soon. */
  auditSearchSeconds: number;
  /** How every search ends: a test sets 'failed' to see what a client does with a failed one. */
  auditSearchOutcome: 'succeeded' | 'failed';
  /** How many objects an InvokeCommand page holds before @odata.nextLink. */
  exchangePageSize: number;
}

export function emptyWorkplace(): Workplace {
  return {
    skus: [],
    servicePrincipals: [],
    applications: [],
    roleDefinitions: [],
    roleAssignments: [],
    roleEligibilities: [],
    groupEligibilities: [],
    scheduledRoleAssignments: [],
    scheduledGroupAssignments: [],
    authMethods: [],
    managedDevices: [],
    messageRules: [],
    oauth2Grants: [],
    appRoleAssignments: [],
    mailboxes: [],
    mobileDevices: [],
    meetings: [],
    drives: [],
    signIns: [],
    directoryAudits: [],
    fileActivity: [],
    auditLogQueries: [],
    ...AUDIT_SEARCH_DEFAULTS,
    exchangePageSize: 100,
  };
}

/**
 * Recomputes every user's assignedLicenses and licenseAssignmentStates from direct assignments and
 * group-based licensing (direct members only, as Entra does), so that leaving a group takes its
 * licences along, exactly as in a real tenant.
 */
export function refreshLicences(state: TenantState): void {
  for (const user of state.users.values()) {
    const states: SimUser['licenseAssignmentStates'] = [];
    for (const skuId of user.directLicenses) {
      states.push({ skuId, assignedByGroup: null, state: 'Active', error: 'None', disabledPlans: [] });
    }
    for (const group of state.groups.values()) {
      if (!group.memberIds.includes(user.id)) continue;
      for (const licence of group.assignedLicenses) {
        states.push({ skuId: licence.skuId, assignedByGroup: group.id, state: 'Active', error: 'None', disabledPlans: [] });
      }
    }
    user.licenseAssignmentStates = states;
    user.assignedLicenses = [...new Set(states.map((s) => s.skuId))].map((skuId) => ({ skuId, disabledPlans: [] }));
  }
}
