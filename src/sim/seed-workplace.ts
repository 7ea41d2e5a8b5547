/**
 * Jane Doe's working life in the Contoso tenant: what a realistic departing employee leaves
 * behind, so every offboarding step has something to do and every edge case shows up once.
 */
import { janesMeetings } from './calendar-state';
import { userMailbox } from './exchange/mailbox-state';
import { AUDIT_SEARCH_DEFAULTS, janesFileActivity } from './file-activity-state';
import { janesGroupEligibilities } from './group-eligibility-state';
import { janesScheduledAccess } from './scheduled-access-state';
import { janesDirectoryAudits, janesSignIns } from './seed-audit-logs';
import { daysAfter, daysBefore } from './seed-clock';
import { janesDriveItems } from './seed-onedrive';
import type { SeedGroup, SeedUser } from './state';
import type { Workplace } from './workplace';

export const WORKPLACE_IDS = {
  pradeep: '00000000-0000-0000-0000-000000000036',
  grady: '00000000-0000-0000-0000-000000000037',
  salesTeam: '00000000-0000-0000-0000-000000000045',
  salesDynamic: '00000000-0000-0000-0000-000000000046',
  salesAnnouncements: '00000000-0000-0000-0000-000000000047',
  emsLicensing: '00000000-0000-0000-0000-000000000048',
  vpnUsers: '00000000-0000-0000-0000-000000000049',
  salesLeadership: '00000000-0000-0000-0000-00000000004a',
  crmAdmins: '00000000-0000-0000-0000-00000000004b',
  projectFalcon: '00000000-0000-0000-0000-00000000004c',
  parisOffice: '00000000-0000-0000-0000-00000000004d',
  /** The security group a Conditional Access policy blocks from signing in (demo CA_BLOCK_GROUP_ID). */
  caBlockGroup: '00000000-0000-0000-0000-0000000000ca',
  /** Office 365 E3, assigned to Jane directly. */
  office365E3: '6fd2c87f-b296-42f0-b197-1e91e994b900',
  /** Enterprise Mobility + Security E3, inherited through the licensing group. */
  emsE3: 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e',
  /** The Offboarding app itself: the application (client) id its simulated tokens carry, and its service principal. */
  offboardingApp: '00000000-0000-0000-0000-0000000000a1',
  offboardingAppPrincipal: '00000000-0000-0000-0000-0000000000a2',
  /** The app registration Jane owns, and the client secret she gave it two nights ago. */
  salesSyncApp: '00000000-0000-0000-0000-0000000000b1',
  salesSyncAppId: '00000000-0000-0000-0000-0000000000b2',
  salesSyncNewSecret: '00000000-0000-0000-0000-0000000000b3',
  /** A BitLocker recovery key Jane read, as Helpdesk Administrator, that night too. */
  bitLockerKeyRead: '00000000-0000-0000-0000-0000000000b4',
  /** The guest Jane invited that night: her own outlook.com address, the one her mail is forwarded to. */
  janesGuest: '00000000-0000-0000-0000-0000000000b6',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  janeHelpdeskAssignment: 'lAPpYvVpN0KRkAEhdxReEOObmHIUnPVJu0iWCPFWu7gwAAAAAAAAAAAAAAAAAAA-1',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  janeTeamsAdminEligibility: '7d1f3a52-9c4e-4b8a-a6d0-3e5f7b9c1d2e',
  /** Her Groups Administrator assignment through PIM that starts next week (scheduled-access-state.ts). */
  janeGroupsAdminSchedule: '9e4b7c2a-1d6f-4a8e-b3c5-7f0d2e9a4b61',
  janeAuthenticator: '6f3c1e0a-2b4d-4c8e-9f1a-7d5e3b2c1a09',
  janeMobilePhone: '3179e48a-750b-4051-897c-87b9720928f7',
  janeSecurityKey: 'b2c4d6e8-1a3b-4c5d-8e7f-9a0b1c2d3e4f',
  passwordMethod: '28c10230-6103-485e-b985-444c60001490',
  janeLaptop: '1d4c7f2a-5b8e-4a3d-9c6f-2e1b0a9d8c7b',
  janePhone: '8e2a4c6b-0d1f-4e3a-b5c7-9f8e7d6c5b4a',
  forwardingRule: 'AQAAAJ5dZqA=',
  newsletterRule: 'AQAAAJ5dZqE=',
  expenseAppGrant: 'x8Q3R1Bc9Ea7aD0rV4yq5mEmNTIxMzY0LTk4ZjMtNDg1ZS1hOGYyLTVjM2QxZTBiNmE4MA',
  salesforceAssignment: 'x8Q3R1Bc9Ea7aD0rV4yq5kQzNzY1ZTI2LTBhOWItNGQ3Ny04NzE0LWIzNmQ1ZjMyYzk4MQ',
  janeMailbox: '5c7e9a1b-3d5f-4b7d-9e1f-2a4c6e8a0b2d',
  janeOutlookPhone: 'a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a5b',
  janeOldAndroid: 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b',
  janeDrive: 'b!Jx7Qm2Vd0kWb1c9Ea7aD0rV4yq5mEmNTIxMzY0LTk4ZjMtNDg1ZS1h',
  /** Meetings in Jane's calendar (calendar-state.ts); a series' occurrences are `${id}_${yyyymmdd}`. */
  pipelineReview: 'AAMkADJhNzE0ZmUzLTBhMjEtUGlwZWxpbmU',
  fabrikamCall: 'AAMkADJhNzE0ZmUzLTBhMjEtRmFicmlrYW0',
  salesWeekly: 'AAMkADJhNzE0ZmUzLTBhMjEtU2FsZXNXZWVr',
  dentist: 'AAMkADJhNzE0ZmUzLTBhMjEtRGVudGlzdA',
  /** Organized by Alex; Jane is invited. */
  accessReview: 'AAMkADc4YjE2ZWQxLTk5NDMtQWNjZXNzUmV2',
} as const;

const W = WORKPLACE_IDS;
const DAY_ONE = '2022-03-01T08:30:00Z';

export function janesReports(janeId: string): SeedUser[] {
  const report = (id: string, given: string, surname: string, alias: string, jobTitle: string): SeedUser => ({
    id,
    displayName: `${given} ${surname}`,
    givenName: given,
    surname,
    userPrincipalName: `${alias}@contoso.com`,
    mail: `${alias}@contoso.com`,
    jobTitle,
    department: 'Sales',
    officeLocation: 'Redmond',
    managerId: janeId,
  });
  return [
    report(W.pradeep, 'Pradeep', 'Gupta', 'pradeepg', 'Sales Development Representative'),
    report(W.grady, 'Grady', 'Archie', 'gradya', 'Inside Sales Representative'),
  ];
}

/**
 * The guest Jane invited the night before she resigned, with the personal address her mailbox
 * forwards to. Invited through Entra B2B, as a guest's user principal name shows it.
 */
export function janesGuest(seededAt: Date): SeedUser {
  return {
    id: W.janesGuest,
    displayName: 'JD Consulting',
    userPrincipalName: 'jdoe.consulting_outlook.com#EXT#@contoso.onmicrosoft.com',
    mail: 'jdoe.consulting@outlook.com',
    mailNickname: 'jdoe.consulting_outlook.com#EXT#',
    userType: 'Guest',
    createdDateTime: daysBefore(seededAt, 2, '23:04:12'),
  };
}

export function janesGroups(ids: { jane: string; danielBrown: string }): SeedGroup[] {
  const sales = [ids.jane, ids.danielBrown, W.pradeep, W.grady];
  return [
    {
      id: W.salesTeam,
      displayName: 'Sales Team',
      description: 'The Sales team in Teams.',
      mail: 'salesteam@contoso.com',
      mailEnabled: true,
      securityEnabled: false,
      groupTypes: ['Unified'],
      // The guest she invited two nights ago is in the team: its chats and files stay open to it.
      memberIds: [...sales, W.janesGuest],
      // Jane created the team and is its only owner: it needs a new owner before she leaves.
      ownerIds: [ids.jane],
    },
    {
      id: W.salesDynamic,
      displayName: 'Sales Department (dynamic)',
      description: 'Everyone whose department is Sales.',
      groupTypes: ['DynamicMembership'],
      membershipRule: 'user.department -eq "Sales"',
      membershipRuleProcessingState: 'On',
      memberIds: sales,
    },
    {
      id: W.salesAnnouncements,
      displayName: 'Sales Announcements',
      description: 'Distribution list for sales news.',
      mail: 'sales-announce@contoso.com',
      mailEnabled: true,
      securityEnabled: false,
      memberIds: sales,
    },
    {
      id: W.emsLicensing,
      displayName: 'Licensing - EMS E3',
      description: 'Members get Enterprise Mobility + Security E3.',
      memberIds: [ids.jane, ids.danielBrown],
      assignedLicenses: [{ skuId: W.emsE3, disabledPlans: [] }],
    },
    { id: W.vpnUsers, displayName: 'VPN Users', description: 'May connect to the corporate VPN.', memberIds: [ids.jane, ids.danielBrown] },
    { id: W.salesLeadership, displayName: 'Sales Leadership', description: 'Sales managers: pipeline reviews and pricing approvals.', memberIds: [ids.jane, ids.danielBrown] },
    { id: W.crmAdmins, displayName: 'CRM Administrators', description: 'Administer the Salesforce org.', memberIds: [ids.jane] },
    {
      id: W.projectFalcon,
      displayName: 'Project Falcon',
      description: 'Microsoft 365 group for the Falcon bid.',
      groupTypes: ['Unified'],
      mail: 'falcon@contoso.com',
      mailEnabled: true,
      memberIds: [ids.jane, ids.danielBrown],
      ownerIds: [ids.danielBrown],
    },
    {
      id: W.parisOffice,
      displayName: 'Paris Office',
      description: 'Building access in Paris.',
      memberIds: [ids.jane, ids.danielBrown],
    },
    // Not Jane's group yet: offboarding puts her in it, and must never take her out again.
    {
      id: W.caBlockGroup,
      displayName: 'Offboarding – block sign-in (CA)',
      description: 'A Conditional Access policy blocks every sign-in of its members.',
      memberIds: [],
    },
  ];
}

/** `seededAt`: when the tenant is seeded; recent activity (device syncs, logs) is dated from it. */
export function contosoWorkplace(ids: { jane: string; breakGlass: string; alex: string; itOperationsGroup: string }, seededAt: Date): Workplace {
  const jane = ids.jane;
  return {
    skus: [
      {
        skuId: W.office365E3, skuPartNumber: 'ENTERPRISEPACK', prepaidUnits: 25,
        servicePlans: [
          { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE', appliesTo: 'User' },
          { servicePlanId: '5dbe027f-2339-4123-9542-606e4d348a72', servicePlanName: 'SHAREPOINTENTERPRISE', appliesTo: 'User' },
          { servicePlanId: '0feaeb32-d00e-4d66-bd5a-43b5b83db82c', servicePlanName: 'MCOSTANDARD', appliesTo: 'User' },
          { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1', appliesTo: 'User' },
        ],
      },
      {
        skuId: W.emsE3, skuPartNumber: 'EMS', prepaidUnits: 25,
        servicePlans: [
          { servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', servicePlanName: 'AAD_PREMIUM', appliesTo: 'User' },
          { servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', servicePlanName: 'INTUNE_A', appliesTo: 'User' },
        ],
      },
    ],
    roleDefinitions: [
      { id: W.globalAdministrator, displayName: 'Global Administrator', isBuiltIn: true, isPrivileged: true },
      { id: W.helpdeskAdministrator, displayName: 'Helpdesk Administrator', isBuiltIn: true, isPrivileged: true },
      { id: W.teamsAdministrator, displayName: 'Teams Administrator', isBuiltIn: true, isPrivileged: true },
      { id: W.userAdministrator, displayName: 'User Administrator', isBuiltIn: true, isPrivileged: true },
      { id: W.exchangeAdministrator, displayName: 'Exchange Administrator', isBuiltIn: true, isPrivileged: false },
      { id: W.groupsAdministrator, displayName: 'Groups Administrator', isBuiltIn: true, isPrivileged: false },
    ],
    roleAssignments: [
      { id: W.janeHelpdeskAssignment, principalId: jane, roleDefinitionId: W.helpdeskAdministrator, directoryScopeId: '/' },
      { id: 'lAPpYvVpN0KRkAEhdxReEJQDqmL1aTdCkZABIXcUXhA1AAAAAAAAAAAAAAAAAAA-1', principalId: ids.breakGlass, roleDefinitionId: W.globalAdministrator, directoryScopeId: '/' },
      // The roles the Offboarding app acts with (docs/m365-api.md), as an admin assigns them to it.
      { id: 'GJpU_u0qJUWqS9z4ZxwPkqIAAAAAAAAAAAAAAAAAAKI-1', principalId: W.offboardingAppPrincipal, roleDefinitionId: W.userAdministrator, directoryScopeId: '/' },
      { id: '3ywjKSOT_UKt4h0JevPkPqIAAAAAAAAAAAAAAAAAAKI-1', principalId: W.offboardingAppPrincipal, roleDefinitionId: W.exchangeAdministrator, directoryScopeId: '/' },
    ],
    // Jane may also activate Teams Administrator through PIM whenever she likes: an eligibility
    // is not an assignment, so removing her roles alone would leave it.
    roleEligibilities: [
      { id: W.janeTeamsAdminEligibility, principalId: jane, roleDefinitionId: W.teamsAdministrator, directoryScopeId: '/', createdDateTime: '2024-09-02T10:15:00Z', endDateTime: null },
    ],
    groupEligibilities: janesGroupEligibilities(ids),
    // Assigned for the directory migration she was to lead, from next week: left in place, PIM would
    // make her Groups Administrator, and a member of IT Operations, days after she has left.
    ...janesScheduledAccess({ ...ids, groupsAdministrator: W.groupsAdministrator, janeGroupsAdminSchedule: W.janeGroupsAdminSchedule }, seededAt),
    authMethods: [
      { id: W.passwordMethod, userId: jane, type: 'passwordAuthenticationMethod', isDefault: false, properties: { password: null, createdDateTime: DAY_ONE } },
      {
        id: W.janeAuthenticator,
        userId: jane,
        type: 'microsoftAuthenticatorAuthenticationMethod',
        isDefault: true,
        properties: { displayName: 'iPhone 14', deviceTag: 'SoftwareTokenActivated', phoneAppVersion: '6.8.11', createdDateTime: '2022-03-01T09:02:11Z' },
      },
      { id: W.janeMobilePhone, userId: jane, type: 'phoneAuthenticationMethod', isDefault: false, properties: { phoneNumber: '+1 4255550142', phoneType: 'mobile', smsSignInState: 'notEnabled' } },
      {
        id: W.janeSecurityKey,
        userId: jane,
        type: 'fido2AuthenticationMethod',
        isDefault: false,
        properties: { displayName: 'YubiKey 5 NFC', model: 'YubiKey 5 NFC', aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', attestationLevel: 'attested', createdDateTime: '2023-06-12T14:20:00Z' },
      },
    ],
    // Both checked in with Intune yesterday: devices still in use, as a departing employee's are.
    managedDevices: [
      {
        id: W.janeLaptop, userId: jane, deviceName: 'CONTOSO-JD-LT01', operatingSystem: 'Windows', osVersion: '10.0.22631.3447', model: 'Surface Laptop 5',
        serialNumber: '0F33ABCD2024', complianceState: 'compliant', managedDeviceOwnerType: 'company', enrolledDateTime: '2022-03-01T10:00:00Z', lastSyncDateTime: daysBefore(seededAt, 1, '07:45:12'),
      },
      {
        id: W.janePhone, userId: jane, deviceName: "Jane's iPhone", operatingSystem: 'iOS', osVersion: '17.6.1', model: 'iPhone 14',
        serialNumber: 'F2LZK0ABCDEF', complianceState: 'compliant', managedDeviceOwnerType: 'personal', enrolledDateTime: '2023-01-09T16:30:00Z', lastSyncDateTime: daysBefore(seededAt, 1, '18:02:40'),
      },
    ],
    messageRules: [
      {
        id: W.forwardingRule, userId: jane, displayName: 'Copy everything home', sequence: 1, isEnabled: true, conditions: {},
        actions: { forwardTo: [{ emailAddress: { name: 'Jane Doe', address: 'jane.doe.home@gmail.com' } }], stopProcessingRules: false },
      },
      {
        id: W.newsletterRule, userId: jane, displayName: 'Newsletters', sequence: 2, isEnabled: true, conditions: { senderContains: ['newsletter'] },
        actions: { moveToFolder: 'AAMkAGI2TG93AAA=', stopProcessingRules: true },
      },
    ],
    servicePrincipals: [
      { id: '5e521364-98f3-485e-a8f2-5c3d1e0b6a80', appId: 'b7e2f1c4-6d3a-4e8b-9f0a-2c1d3e4f5a6b', displayName: 'Expensify' },
      // Jane and Alex own the intranet's enterprise app; its certificate is years old.
      {
        id: '7c2d9e1f-3a4b-4c5d-9e8f-1a2b3c4d5e6f', appId: 'c8f3a2d5-7e4b-4f9c-8a1b-3d2e4f5a6b7c', displayName: 'Contoso Intranet', ownerIds: [jane, ids.alex],
        keyCredentials: [{ keyId: '00000000-0000-0000-0000-0000000000b4', displayName: 'CN=intranet.contoso.com', startDateTime: '2024-02-01T00:00:00Z', endDateTime: '2027-02-01T00:00:00Z' }],
      },
      { id: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
      // Single sign-on only: nobody set up provisioning, so Entra never closes a Salesforce account. Alex runs it.
      { id: '43765e26-0a9b-4d77-8714-b36d5f32c981', appId: 'd9a4b3e6-8f5c-4a0d-9b2c-4e3f5a6b7c8d', displayName: 'Salesforce', ownerIds: [ids.alex] },
      { id: W.offboardingAppPrincipal, appId: W.offboardingApp, displayName: 'Offboarding' },
    ],
    // Jane registered an app to sync the sales pipeline, and is its only owner. Two nights ago,
    // after the burst of downloads, she gave it a new client secret: it signs in without her.
    applications: [
      {
        id: W.salesSyncApp, appId: W.salesSyncAppId, displayName: 'Sales Pipeline Sync', ownerIds: [jane],
        passwordCredentials: [
          { keyId: '00000000-0000-0000-0000-0000000000b5', displayName: 'prod', startDateTime: daysBefore(seededAt, 200, '10:04:00'), endDateTime: daysAfter(seededAt, 530) },
          { keyId: W.salesSyncNewSecret, displayName: 'sync-2', startDateTime: daysBefore(seededAt, 2, '22:51:07'), endDateTime: daysAfter(seededAt, 728) },
        ],
      },
    ],
    oauth2Grants: [
      {
        id: W.expenseAppGrant, clientId: '5e521364-98f3-485e-a8f2-5c3d1e0b6a80', consentType: 'Principal', principalId: jane,
        resourceId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', scope: 'User.Read Mail.Read Files.Read.All offline_access',
      },
      // Admin consent for everyone: not Jane's to revoke.
      { id: 'x8Q3R1Bc9Ea7aD0rV4yq5n0AAAAAAAAAAAAAAAAAAAA', clientId: '7c2d9e1f-3a4b-4c5d-9e8f-1a2b3c4d5e6f', consentType: 'AllPrincipals', principalId: null, resourceId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', scope: 'User.Read' },
    ],
    appRoleAssignments: [
      {
        id: W.salesforceAssignment, appRoleId: '00000000-0000-0000-0000-000000000000', principalId: jane, principalDisplayName: 'Jane Doe', principalType: 'User',
        resourceId: '43765e26-0a9b-4d77-8714-b36d5f32c981', resourceDisplayName: 'Salesforce', createdDateTime: '2022-03-02T11:15:00Z',
      },
    ],
    // Jane's mailbox also forwards outside the company, set in Outlook on the web, not by a rule.
    // Pradeep has read her mailbox since he started covering her accounts.
    mailboxes: [
      userMailbox(jane, W.janeMailbox, {
        forwardingSmtpAddress: 'smtp:jdoe.consulting@outlook.com',
        deliverToMailboxAndForward: true,
        permissions: [{ userId: W.pradeep, accessRights: ['FullAccess'], autoMapping: true }],
      }),
    ],
    // Her meetings go on without her unless cancelled: attendees (a partner outside the company
    // among them) would keep meetings whose organizer no longer answers.
    meetings: janesMeetings({ ...W, jane, alex: ids.alex }, seededAt),
    mobileDevices: [
      {
        guid: W.janeOutlookPhone, userId: jane, deviceId: 'F2LZK0ABCDEF4711', friendlyName: "Jane's iPhone", deviceModel: 'iPhone 14', deviceOS: 'iOS 17.6.1',
        deviceType: 'Outlook', clientType: 'Outlook', deviceAccessState: 'Allowed', firstSyncTime: '2023-01-09T16:41:02Z',
      },
      {
        guid: W.janeOldAndroid, userId: jane, deviceId: 'androidc1298347', friendlyName: 'Galaxy S10', deviceModel: 'SM-G973F', deviceOS: 'Android 12',
        deviceType: 'Android', clientType: 'EAS', deviceAccessState: 'Allowed', firstSyncTime: '2020-06-02T08:12:45Z',
      },
    ],
    drives: [
      {
        id: W.janeDrive,
        userId: jane,
        webUrl: 'https://contoso-my.sharepoint.com/personal/janed_contoso_com/Documents',
        rootPermissions: [
          { id: 'aTowIy5mfG1lbWJlcnNoaXB8amFuZWRAY29udG9zby5jb20', roles: ['owner'], grantedToV2: { user: { id: jane, displayName: 'Jane Doe', email: 'janed@contoso.com' } } },
          // The whole drive shared with anyone who has the link, and with a guest outside the company.
          { id: 'a1b2c3d4anon', roles: ['read'], link: { scope: 'anonymous', type: 'view', webUrl: 'https://contoso-my.sharepoint.com/:f:/g/personal/janed_contoso_com/EaBcD1' } },
          { id: 'a1b2c3d4guest', roles: ['write'], grantedToV2: { user: { displayName: 'Sam Partner', email: 'sam@fabrikam.example' } }, invitation: { email: 'sam@fabrikam.example', signInRequired: true } },
        ],
        items: janesDriveItems({ alex: ids.alex }, seededAt),
      },
    ],
    signIns: janesSignIns(jane, seededAt),
    directoryAudits: janesDirectoryAudits({ ...W, jane, alex: ids.alex }, seededAt),
    // Two nights before she resigns, her customer files left her OneDrive from an unknown address.
    fileActivity: janesFileActivity(seededAt),
    auditLogQueries: [],
    ...AUDIT_SEARCH_DEFAULTS,
    exchangePageSize: 100,
  };
}
