/**
 * The Microsoft Graph application permissions each route of the simulated tenant accepts, as the
 * Microsoft Graph v1.0 API reference documents them: each API's "Permissions" table, Application
 * row (least-privileged permission first, then the "higher privileged permissions"), plus the
 * "Permissions for specific scenarios" notes where a permission depends on what the request does.
 * Permissions the docs list only for delegated access are left out. Each entry names the page it
 * comes from (learn.microsoft.com/graph/api/<page>) so it can be checked.
 *
 * This is data only: it does not enforce anything. Directory roles the app must hold as well (for
 * example User Administrator to reset a password) never appear in a token and are not listed here.
 */
import type { GraphRequest } from './request';

/** One need: met when the token's `roles` carry any one of these. The first is the least-privileged one the docs name. */
export type AnyOf = readonly [string, ...string[]];
/** Every need must be met. */
export type Needs = readonly AnyOf[];

export interface RoutePermission {
  /** Static, or read from the request where the docs make the permission depend on it (e.g. which user property a PATCH sets). */
  needs: Needs | ((req: GraphRequest) => Needs);
}

// ---------------------------------------------------------------------------------------------
// Needs shared by several routes
// ---------------------------------------------------------------------------------------------

// docs: user-get, user-list, user-list-directreports, user-list-manager, user-list-ownedobjects
const USER_READ: AnyOf = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
// docs: user-update (User.ReadUpdate.All least, added in July 2026 per whats-new-overview;
// higher User.ReadWrite.All, Directory.ReadWrite.All)
const USER_UPDATE: AnyOf = ['User.ReadUpdate.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
// docs: user-delete ("User.DeleteRestore.All ... least privileged permission to delete a user"; the
// permissions reference says Directory.ReadWrite.All "does not allow user or group deletion")
const USER_DELETE: AnyOf = ['User.DeleteRestore.All', 'User.ReadWrite.All'];
// docs: group-delete-members (and group-post-members for user and group members)
const GROUP_MEMBERS_WRITE: AnyOf = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
// docs: group-post-owners, group-delete-owners
const GROUP_OWNERS_WRITE: AnyOf = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
// docs: directoryaudit-list, signin-list ("requires consent to both AuditLog.Read.All and Directory.Read.All")
const AUDIT_LOG: AnyOf = ['AuditLog.Read.All'];
const DIRECTORY_READ: AnyOf = ['Directory.Read.All'];
// docs: intune-devices-manageddevice-list, intune-devices-manageddevice-get
const DEVICES_READ: AnyOf = ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];
// docs: intune-devices-manageddevice-retire, intune-devices-manageddevice-wipe
const DEVICES_PRIVILEGED: AnyOf = ['DeviceManagementManagedDevices.PrivilegedOperations.All'];
// docs: drive-get, driveitem-get, driveitem-list-children, driveitem-list-permissions. driveitem-get
// also names Group.Read.All and Group.ReadWrite.All: those reach group drives only, and every drive
// in the simulated tenant is a user's OneDrive, so they are left out.
const FILES_READ: AnyOf = ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'];
// docs: driveitem-invite, permission-delete
const FILES_WRITE: AnyOf = ['Files.ReadWrite.All', 'Sites.ReadWrite.All'];
// docs: security-auditcoreroot-post-auditlogqueries, security-auditcoreroot-list-auditlogqueries,
// security-auditlogquery-get, security-auditlogquery-list-records (each: AuditLogsQuery-Entra.Read.All
// least; higher the other services' AuditLogsQuery-*.Read.All and AuditLogsQuery.Read.All). Any one
// admits the call; which records it then sees depends on the services they cover (audit-log-queries.ts).
const AUDIT_LOG_QUERY: AnyOf = [
  'AuditLogsQuery-Entra.Read.All',
  'AuditLogsQuery-CRM.Read.All',
  'AuditLogsQuery-Endpoint.Read.All',
  'AuditLogsQuery-Exchange.Read.All',
  'AuditLogsQuery-OneDrive.Read.All',
  'AuditLogsQuery-SharePoint.Read.All',
  'AuditLogsQuery.Read.All',
];
// docs: serviceprincipal-list, serviceprincipal-get
const SERVICE_PRINCIPALS_READ: AnyOf = ['Application.Read.All', 'Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All', 'Directory.Read.All'];
// Reading apps other than the caller's own: Application.ReadWrite.OwnedBy covers only those.
const APPS_READ: AnyOf = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const APPS_WRITE: AnyOf = ['Application.ReadWrite.All', 'Directory.ReadWrite.All'];

// ---------------------------------------------------------------------------------------------
// Request-dependent needs
// ---------------------------------------------------------------------------------------------

/** The request body as a JSON object, or undefined when it is not one (the route answers 400 then). */
function bodyObject(req: GraphRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(req.rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Each need once, in first-seen order. */
function distinct(needs: readonly AnyOf[]): Needs {
  const seen = new Set<string>();
  return needs.filter((need) => {
    const key = need.join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * docs: user-update, "Permissions for specific scenarios" and the request-body table. A property
 * not listed here needs what updating a user needs in general (USER_UPDATE).
 */
const USER_PROPERTY_NEEDS: Readonly<Record<string, Needs>> = {
  // "User.EnableDisableAccount.All + User.Read.All is the least privileged combination of permissions
  // to update the accountEnabled property."
  accountEnabled: [['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], USER_READ],
  // "User-PasswordProfile.ReadWrite.All is the least privileged permission to update the
  // passwordProfile property" (app-only also needs at least the User Administrator role). The
  // permissions reference says User.ReadWrite.All updates every user property "except for their
  // passwordProfile", so it is not an alternative here.
  passwordProfile: [['User-PasswordProfile.ReadWrite.All', 'Directory.ReadWrite.All']],
  // "User-Phone.ReadWrite.All is the least privileged permission to update the businessPhones and
  // mobilePhone properties."
  businessPhones: [['User-Phone.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']],
  mobilePhone: [['User-Phone.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']],
  // "User-Mail.ReadWrite.All is the least privileged permission to update the otherMails property."
  otherMails: [['User-Mail.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']],
  // "the app must be granted the User.Read.All and User-LifeCycleInfo.ReadWrite.All permissions"
  // (docs: tutorial-lifecycle-workflows-set-employeeleavedatetime: higher privileged "Not available").
  employeeLeaveDateTime: [['User-LifeCycleInfo.ReadWrite.All'], ['User.Read.All']],
  // "the app must be granted the CustomSecAttributeAssignment.ReadWrite.All permission"
  customSecurityAttributes: [['CustomSecAttributeAssignment.ReadWrite.All']],
  // "User.ManageIdentities.All is required to update the identities property."
  identities: [['User.ManageIdentities.All']],
};

function userUpdateNeeds(req: GraphRequest): Needs {
  const body = bodyObject(req);
  const properties = body ? Object.keys(body).filter((p) => !p.startsWith('@odata.')) : [];
  if (properties.length === 0) return [USER_UPDATE];
  return distinct(properties.flatMap((p) => USER_PROPERTY_NEEDS[p] ?? [USER_UPDATE]));
}

/**
 * docs: group-post-members. Its table is per member type: a user or group member needs
 * GroupMember.ReadWrite.All; a device also Device.ReadWrite.All, a service principal also
 * Application.ReadWrite.All, an organizational contact also OrgContact.Read.All. The table names no
 * higher permissions; Group.ReadWrite.All and Directory.ReadWrite.All are the ones group-delete-members
 * lists for the same membership change. The member type shows in the @odata.id reference when it is
 * not a plain directoryObjects one.
 */
function addMemberNeeds(req: GraphRequest): Needs {
  const reference = bodyObject(req)?.['@odata.id'];
  const type = typeof reference === 'string' ? /\/([A-Za-z]+)\/[^/]+\/?$/.exec(reference)?.[1]?.toLowerCase() : undefined;
  switch (type) {
    case 'devices':
      return [GROUP_MEMBERS_WRITE, ['Device.ReadWrite.All']];
    case 'serviceprincipals':
      return [GROUP_MEMBERS_WRITE, ['Application.ReadWrite.All']];
    case 'orgcontacts':
    case 'contacts':
      return [GROUP_MEMBERS_WRITE, ['OrgContact.Read.All']];
    default:
      return [GROUP_MEMBERS_WRITE];
  }
}

/**
 * docs: the delete page of each authentication method (phoneauthenticationmethod-delete,
 * microsoftauthenticatorauthenticationmethod-delete, fido2authenticationmethod-delete,
 * softwareoathauthenticationmethod-delete, emailauthenticationmethod-delete,
 * windowshelloforbusinessauthenticationmethod-delete, temporaryaccesspassauthenticationmethod-delete),
 * "Permissions acting on other users": UserAuthenticationMethod.ReadWrite.All. Since November 2025 each
 * method also has its own narrower permission (docs: whats-new-overview, "permissions scoped to
 * individual authentication methods"), which the method pages list beside it.
 */
const AUTH_METHOD_PERMISSION: Readonly<Record<string, string>> = {
  phoneMethods: 'UserAuthMethod-Phone.ReadWrite.All',
  microsoftAuthenticatorMethods: 'UserAuthMethod-MicrosoftAuthApp.ReadWrite.All',
  fido2Methods: 'UserAuthMethod-Passkey.ReadWrite.All',
  softwareOathMethods: 'UserAuthMethod-SoftwareOATH.ReadWrite.All',
  emailMethods: 'UserAuthMethod-Email.ReadWrite.All',
  windowsHelloForBusinessMethods: 'UserAuthMethod-WindowsHello.ReadWrite.All',
  temporaryAccessPassMethods: 'UserAuthMethod-TAP.ReadWrite.All',
};

function deleteAuthMethodNeeds(req: GraphRequest): Needs {
  // segments: users / {id} / authentication / {kind} / {methodId}
  const narrow = AUTH_METHOD_PERMISSION[req.segments[3] ?? ''];
  // passwordMethods has no delete operation in Graph (the route answers 405); any other kind is
  // unknown to Graph. Both fall back to the broad permission.
  return narrow ? [[narrow, 'UserAuthenticationMethod.ReadWrite.All']] : [['UserAuthenticationMethod.ReadWrite.All']];
}

/** Whether a PIM schedule request's body asks for an adminRemove (Graph reads the action case-insensitively). */
function removes(req: GraphRequest): boolean {
  const action = bodyObject(req)?.action;
  return typeof action === 'string' && action.toLowerCase() === 'adminremove';
}

/**
 * docs: privilegedaccessgroup-post-eligibilityschedulerequests: PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup,
 * and PrivilegedEligibilitySchedule.Remove.AzureADGroup, which by the permissions reference only
 * deletes eligibility schedules, so it counts for an adminRemove request only.
 */
function groupEligibilityRequestNeeds(req: GraphRequest): Needs {
  return removes(req)
    ? [['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup', 'PrivilegedEligibilitySchedule.Remove.AzureADGroup']]
    : [['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup']];
}

/**
 * docs: rbacapplication-post-roleassignmentschedulerequests: RoleAssignmentSchedule.ReadWrite.Directory;
 * higher RoleManagement.ReadWrite.Directory, RoleAssignmentSchedule.Remove.Directory and
 * RoleEligibilitySchedule.Remove.Directory. The Remove ones, by the permissions reference, only
 * delete schedules, so they count for an adminRemove request only, and only the assignment one
 * removes assignment schedules.
 */
function roleAssignmentRequestNeeds(req: GraphRequest): Needs {
  const write: AnyOf = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];
  return removes(req) ? [[...write, 'RoleAssignmentSchedule.Remove.Directory']] : [write];
}

/**
 * docs: privilegedaccessgroup-post-assignmentschedulerequests: PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup;
 * higher PrivilegedAssignmentSchedule.Remove.AzureADGroup, which by the permissions reference only
 * deletes assignment schedules, so it counts for an adminRemove request only.
 */
function groupAssignmentRequestNeeds(req: GraphRequest): Needs {
  return removes(req)
    ? [['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup', 'PrivilegedAssignmentSchedule.Remove.AzureADGroup']]
    : [['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup']];
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

/** Keyed `${method} ${pattern}`, exactly as the routes declare them (e.g. 'GET users/:id/memberOf'). */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RoutePermission>> = {
  // --- Users: reads -------------------------------------------------------------------------
  // docs: user-list (also GET /users/$count)
  'GET users': { needs: [USER_READ] },
  'GET users/$count': { needs: [USER_READ] },
  // docs: user-get
  'GET users/:id': { needs: [USER_READ] },
  // docs: user-list-manager ("for another user": User.Read.All; higher Directory.Read.All,
  // Directory.ReadWrite.All, User.ReadWrite.All)
  'GET users/:id/manager': { needs: [USER_READ] },
  // docs: user-list-directreports
  'GET users/:id/directReports': { needs: [USER_READ] },
  // docs: user-list-ownedobjects
  'GET users/:id/ownedObjects': { needs: [USER_READ] },
  // docs: user-list-memberof ("Permissions for another user's direct memberships": Directory.Read.All;
  // higher Directory.ReadWrite.All)
  'GET users/:id/memberOf': { needs: [['Directory.Read.All', 'Directory.ReadWrite.All']] },
  // docs: user-list-transitivememberof ("another user's memberships": User.Read.All; higher
  // Directory.Read.All, Directory.ReadWrite.All, Group.Read.All, GroupMember.Read.All)
  'GET users/:id/transitiveMemberOf': {
    needs: [['User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'GroupMember.Read.All']],
  },

  // --- Users: changes -----------------------------------------------------------------------
  // docs: user-update (body-dependent, see USER_PROPERTY_NEEDS)
  'PATCH users/:id': { needs: userUpdateNeeds },
  // docs: user-revokesigninsessions (Application: User.RevokeSessions.All; higher "Not available")
  'POST users/:id/revokeSignInSessions': { needs: [['User.RevokeSessions.All']] },
  // docs: user-post-manager
  'PUT users/:id/manager/$ref': { needs: [['User.ReadWrite.All', 'Directory.ReadWrite.All']] },
  // docs: user-delete
  'DELETE users/:id': { needs: [USER_DELETE] },

  // --- Groups -------------------------------------------------------------------------------
  // docs: group-list (the v1.0 table names GroupMember.Read.All least, then Group.ReadWrite.All,
  // Directory.Read.All, Directory.ReadWrite.All, Group.Read.All)
  'GET groups': { needs: [['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']] },
  // docs: group-get
  'GET groups/:id': { needs: [['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']] },
  // docs: group-list-members (Directory.ReadWrite.All is not in its table)
  'GET groups/:id/members': { needs: [['GroupMember.Read.All', 'Directory.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All']] },
  // docs: group-post-members (member-type dependent, see addMemberNeeds). Members of a
  // role-assignable group also need RoleManagement.ReadWrite.Directory: that depends on the group,
  // not the request, so it is left to whoever enforces these.
  'POST groups/:id/members/$ref': { needs: addMemberNeeds },
  // docs: group-delete-members (same role-assignable group note as above)
  'DELETE groups/:id/members/:memberId/$ref': { needs: [GROUP_MEMBERS_WRITE] },
  // docs: group-delete-members, "Caution": without /$ref, and when the app "has permissions to manage
  // the member object type", the member object itself is deleted ("an app with both
  // GroupMember.ReadWrite.All and User.ReadWrite.All permissions will delete a user"). The simulated
  // tenant deletes the user, so this needs the membership change and the user deletion (docs: user-delete).
  'DELETE groups/:id/members/:memberId': { needs: [GROUP_MEMBERS_WRITE, USER_DELETE] },
  // docs: group-list-owners (Directory.ReadWrite.All is not in its table)
  'GET groups/:id/owners': { needs: [['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'GroupMember.ReadWrite.All']] },
  // docs: group-post-owners
  'POST groups/:id/owners/$ref': { needs: [GROUP_OWNERS_WRITE] },
  // docs: group-delete-owners
  'DELETE groups/:id/owners/:ownerId/$ref': { needs: [GROUP_OWNERS_WRITE] },

  // --- Directory roles and PIM --------------------------------------------------------------
  // docs: rbacapplication-list-roleassignments, "For the directory (Microsoft Entra ID) provider"
  'GET roleManagement/directory/roleAssignments': {
    needs: [['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.ReadWrite.All']],
  },
  // docs: unifiedroleassignment-delete, directory provider
  'DELETE roleManagement/directory/roleAssignments/:id': { needs: [['RoleManagement.ReadWrite.Directory']] },
  // docs: unifiedroledefinition-get, directory provider
  'GET roleManagement/directory/roleDefinitions/:id': {
    needs: [['RoleManagement.Read.Directory', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.ReadWrite.All']],
  },
  // docs: rbacapplication-list-roleeligibilityschedules
  'GET roleManagement/directory/roleEligibilitySchedules': {
    needs: [
      [
        'RoleEligibilitySchedule.Read.Directory',
        'RoleManagement.Read.Directory',
        'RoleManagement.Read.All',
        'RoleEligibilitySchedule.ReadWrite.Directory',
        'RoleManagement.ReadWrite.Directory',
      ],
    ],
  },
  // docs: rbacapplication-post-roleeligibilityschedulerequests
  'POST roleManagement/directory/roleEligibilityScheduleRequests': { needs: [['RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory']] },
  // docs: privilegedaccessgroup-list-eligibilityschedules
  'GET identityGovernance/privilegedAccess/group/eligibilitySchedules': {
    needs: [['PrivilegedEligibilitySchedule.Read.AzureADGroup', 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup']],
  },
  // docs: privilegedaccessgroup-post-eligibilityschedulerequests (body-dependent, see groupEligibilityRequestNeeds)
  'POST identityGovernance/privilegedAccess/group/eligibilityScheduleRequests': { needs: groupEligibilityRequestNeeds },
  // docs: rbacapplication-list-roleassignmentschedules (RoleAssignmentSchedule.Read.Directory; higher
  // RoleAssignmentSchedule.ReadWrite.Directory, RoleManagement.Read.All, RoleManagement.Read.Directory,
  // RoleManagement.ReadWrite.Directory)
  'GET roleManagement/directory/roleAssignmentSchedules': {
    needs: [
      [
        'RoleAssignmentSchedule.Read.Directory',
        'RoleAssignmentSchedule.ReadWrite.Directory',
        'RoleManagement.Read.All',
        'RoleManagement.Read.Directory',
        'RoleManagement.ReadWrite.Directory',
      ],
    ],
  },
  // docs: rbacapplication-post-roleassignmentschedulerequests (body-dependent, see roleAssignmentRequestNeeds)
  'POST roleManagement/directory/roleAssignmentScheduleRequests': { needs: roleAssignmentRequestNeeds },
  // docs: privilegedaccessgroup-list-assignmentschedules
  'GET identityGovernance/privilegedAccess/group/assignmentSchedules': {
    needs: [['PrivilegedAssignmentSchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup']],
  },
  // docs: privilegedaccessgroup-post-assignmentschedulerequests (body-dependent, see groupAssignmentRequestNeeds)
  'POST identityGovernance/privilegedAccess/group/assignmentScheduleRequests': { needs: groupAssignmentRequestNeeds },

  // --- Audit logs ---------------------------------------------------------------------------
  // docs: signin-list ("currently requires consent to both the AuditLog.Read.All and
  // Directory.Read.All permissions")
  'GET auditLogs/signIns': { needs: [AUDIT_LOG, DIRECTORY_READ] },
  // docs: directoryaudit-list (Application: "AuditLog.Read.All and Directory.Read.All"; higher "Not available")
  'GET auditLogs/directoryAudits': { needs: [AUDIT_LOG, DIRECTORY_READ] },

  // --- Purview audit log queries ------------------------------------------------------------
  // docs: security-auditcoreroot-post-auditlogqueries
  'POST security/auditLog/queries': { needs: [AUDIT_LOG_QUERY] },
  // docs: security-auditcoreroot-list-auditlogqueries
  'GET security/auditLog/queries': { needs: [AUDIT_LOG_QUERY] },
  // docs: security-auditlogquery-get
  'GET security/auditLog/queries/:id': { needs: [AUDIT_LOG_QUERY] },
  // docs: security-auditlogquery-list-records
  'GET security/auditLog/queries/:id/records': { needs: [AUDIT_LOG_QUERY] },

  // --- Licences -----------------------------------------------------------------------------
  // docs: subscribedsku-list (LicenseAssignment.Read.All least; higher Directory.Read.All,
  // Directory.ReadWrite.All, Organization.Read.All, Organization.ReadWrite.All)
  'GET subscribedSkus': {
    needs: [['LicenseAssignment.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Organization.Read.All', 'Organization.ReadWrite.All']],
  },
  // docs: user-list-licensedetails. Its v1.0 table says Application "Not supported"; the closest
  // documented requirement is its delegated (work or school) row, without the delegated-only User.Read
  // and the AgentIdUser.* permissions (which are for agent users).
  'GET users/:id/licenseDetails': {
    needs: [['LicenseAssignment.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.Read.All', 'User.ReadWrite.All']],
  },
  // docs: user-assignlicense (the table's AgentIdUser.ReadWrite.All and
  // AgentIdUser.ReadWrite.IdentityParentedBy are for agent users, so they are left out)
  'POST users/:id/assignLicense': { needs: [['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']] },

  // --- Authentication methods ---------------------------------------------------------------
  // docs: authentication-list-methods, "Permissions acting on other users"
  'GET users/:id/authentication/methods': { needs: [['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All']] },
  // docs: <kind>authenticationmethod-delete (path-dependent, see deleteAuthMethodNeeds)
  'DELETE users/:id/authentication/:kind/:methodId': { needs: deleteAuthMethodNeeds },

  // --- Mailbox (Outlook) rules --------------------------------------------------------------
  // docs: mailfolder-list-messagerules (MailboxSettings.Read; higher "Not available").
  // MailboxSettings.ReadWrite is added: the permissions reference describes it as "create, read,
  // update, and delete user's mailbox settings".
  'GET users/:id/mailFolders/:folder/messageRules': { needs: [['MailboxSettings.Read', 'MailboxSettings.ReadWrite']] },
  // docs: messagerule-delete
  'DELETE users/:id/mailFolders/:folder/messageRules/:ruleId': { needs: [['MailboxSettings.ReadWrite']] },

  // --- Calendars ----------------------------------------------------------------------------
  // docs: user-list-calendarview (Application: Calendars.ReadBasic; higher Calendars.Read, Calendars.ReadWrite)
  'GET users/:id/calendarView': { needs: [['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite']] },

  // --- Intune managed devices ---------------------------------------------------------------
  // docs: intune-devices-manageddevice-list (also lists /users/{id}/managedDevices)
  'GET users/:id/managedDevices': { needs: [DEVICES_READ] },
  // docs: intune-devices-manageddevice-get
  'GET deviceManagement/managedDevices/:id': { needs: [DEVICES_READ] },
  // docs: intune-devices-manageddevice-retire
  'POST deviceManagement/managedDevices/:id/retire': { needs: [DEVICES_PRIVILEGED] },
  // docs: intune-devices-manageddevice-wipe
  'POST deviceManagement/managedDevices/:id/wipe': { needs: [DEVICES_PRIVILEGED] },

  // --- App ownership ------------------------------------------------------------------------
  // docs: user-list-ownedobjects, cast to one type; the apps' properties need their own read permission
  'GET users/:id/ownedObjects/microsoft.graph.application': { needs: [USER_READ, APPS_READ] },
  'GET users/:id/ownedObjects/microsoft.graph.servicePrincipal': { needs: [USER_READ, APPS_READ] },
  // docs: application-get
  'GET applications/:id': { needs: [APPS_READ] },
  // docs: application-list-owners, serviceprincipal-list-owners
  'GET applications/:id/owners': { needs: [APPS_READ] },
  'GET servicePrincipals/:id/owners': { needs: [APPS_READ] },
  // docs: application-delete-owners, serviceprincipal-delete-owners: Application.ReadWrite.OwnedBy
  // only reaches apps the caller itself owns, which the person's apps are not.
  'DELETE applications/:id/owners/:ownerId/$ref': { needs: [APPS_WRITE] },
  'DELETE servicePrincipals/:id/owners/:ownerId/$ref': { needs: [APPS_WRITE] },
  // docs: synchronization-synchronization-list-jobs: Application.ReadWrite.OwnedBy is listed first,
  // but it only reaches apps the caller itself owns; Synchronization.Read.All reaches every app.
  'GET servicePrincipals/:id/synchronization/jobs': { needs: [['Synchronization.Read.All', 'Synchronization.ReadWrite.All']] },

  // --- App consents -------------------------------------------------------------------------
  // docs: serviceprincipal-list
  'GET servicePrincipals': { needs: [SERVICE_PRINCIPALS_READ] },
  // docs: serviceprincipal-get
  'GET servicePrincipals/:id': { needs: [SERVICE_PRINCIPALS_READ] },
  // docs: user-list-oauth2permissiongrants. Its v1.0 table says Application "Not supported"; the closest
  // documented requirement is reading grants directly (docs: oauth2permissiongrant-get,
  // oauth2permissiongrant-list: Directory.Read.All; higher DelegatedPermissionGrant.ReadWrite.All,
  // Directory.ReadWrite.All), the way an app-only caller lists a user's grants
  // (GET /oauth2PermissionGrants?$filter=principalId eq '{id}').
  'GET users/:id/oauth2PermissionGrants': { needs: [['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All']] },
  // docs: oauth2permissiongrant-delete
  'DELETE oauth2PermissionGrants/:id': { needs: [['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All']] },
  // docs: user-list-approleassignments (Application: Directory.Read.All; higher AppRoleAssignment.ReadWrite.All)
  'GET users/:id/appRoleAssignments': { needs: [['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All']] },
  // docs: group-list-approleassignments (Application: Directory.Read.All; higher AppRoleAssignment.ReadWrite.All)
  'GET groups/:id/appRoleAssignments': { needs: [['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All']] },
  // docs: user-delete-approleassignments (higher "Not available")
  'DELETE users/:id/appRoleAssignments/:assignmentId': { needs: [['AppRoleAssignment.ReadWrite.All']] },

  // --- OneDrive -----------------------------------------------------------------------------
  // docs: drive-get
  'GET users/:id/drive': { needs: [FILES_READ] },
  // docs: driveitem-invite
  'POST drives/:id/items/root/invite': { needs: [FILES_WRITE] },
  // docs: driveitem-get
  'GET drives/:id/root': { needs: [FILES_READ] },
  'GET drives/:id/items/:item': { needs: [FILES_READ] },
  // docs: driveitem-list-children
  'GET drives/:id/root/children': { needs: [FILES_READ] },
  // docs: driveitem-delta
  'GET drives/:id/root/delta': { needs: [FILES_READ] },
  'GET drives/:id/items/:item/children': { needs: [FILES_READ] },
  // docs: driveitem-list-permissions
  'GET drives/:id/root/permissions': { needs: [FILES_READ] },
  'GET drives/:id/items/:item/permissions': { needs: [FILES_READ] },
  // docs: permission-delete
  'DELETE drives/:id/items/:item/permissions/:permission': { needs: [FILES_WRITE] },

  // --- Organization -------------------------------------------------------------------------
  // docs: organization-list
  'GET organization': { needs: [['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All']] },
};
