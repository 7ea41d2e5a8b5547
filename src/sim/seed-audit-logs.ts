/**
 * Jane's last days in Entra ID's logs: ordinary sign-ins from the office, then a risky one from a
 * place she never signs in from, and the directory changes made to her account. Dated relative to
 * when the tenant is seeded (seed-clock.ts), so they always fall within the app's 30-day look-back.
 */
import type { SimAuditTarget, SimDirectoryAudit, SimSignIn } from './audit-log-state';
import { daysBefore } from './seed-clock';

/** Who and what the audit entries name besides Jane. */
export interface AuditedIds {
  jane: string;
  alex: string;
  grady: string;
  vpnUsers: string;
  teamsAdministrator: string;
  bitLockerKeyRead: string;
  janesGuest: string;
}

const OUTLOOK_MOBILE = { appId: '27922004-5251-4030-b22d-91ecd9a37ea4', appDisplayName: 'Outlook Mobile' };
const TEAMS = { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', appDisplayName: 'Microsoft Teams' };
const OFFICE_HOME = { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', appDisplayName: 'OfficeHome' };
const REDMOND = { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' };
const LAGOS = { city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' };
const SUCCESS = { errorCode: 0, failureReason: null, additionalDetails: null };
const noRisk = (): Pick<SimSignIn, 'riskLevelDuringSignIn' | 'riskLevelAggregated' | 'riskState' | 'riskDetail' | 'riskEventTypes_v2'> => ({
  riskLevelDuringSignIn: 'none',
  riskLevelAggregated: 'none',
  riskState: 'none',
  riskDetail: 'none',
  riskEventTypes_v2: [],
});

export function janesSignIns(jane: string, seededAt: Date): SimSignIn[] {
  const at = (days: number, timeOfDay: string) => daysBefore(seededAt, days, timeOfDay);
  const by = { userId: jane, userDisplayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', isInteractive: true, conditionalAccessStatus: 'success' } as const;
  const laptop = { displayName: 'CONTOSO-JD-LT01', operatingSystem: 'Windows10', browser: 'Edge 131.0.0', isCompliant: true, isManaged: true, trustType: 'Azure AD joined' };
  const unknownPc = { displayName: '', operatingSystem: 'Linux', browser: 'Chrome 119.0.0', isCompliant: false, isManaged: false, trustType: '' };
  // Newest first, as the log lists them: yesterday from the office, the night before last from Lagos.
  return [
    {
      id: '66ea54eb-6301-4ee5-be62-ff5a759b0100', createdDateTime: at(1, '18:05:12'), ...by, ...OUTLOOK_MOBILE, ipAddress: '198.51.100.23', clientAppUsed: 'Mobile Apps and Desktop clients',
      ...noRisk(), status: SUCCESS, location: REDMOND,
      deviceDetail: { displayName: "Jane's iPhone", operatingSystem: 'Ios 17.6.1', browser: '', isCompliant: true, isManaged: true, trustType: '' },
    },
    {
      id: '66ea54eb-6301-4ee5-be62-ff5a759b0101', createdDateTime: at(1, '08:02:11'), ...by, ...TEAMS, ipAddress: '198.51.100.23', clientAppUsed: 'Mobile Apps and Desktop clients',
      ...noRisk(), status: SUCCESS, location: REDMOND, deviceDetail: laptop,
    },
    {
      // Signed in from an unfamiliar place and device, with the right password: Identity Protection flagged it.
      id: '66ea54eb-6301-4ee5-be62-ff5a759b0102', createdDateTime: at(2, '03:14:52'), ...by, ...OFFICE_HOME, ipAddress: '203.0.113.77', clientAppUsed: 'Browser',
      conditionalAccessStatus: 'notApplied', riskLevelDuringSignIn: 'high', riskLevelAggregated: 'high', riskState: 'atRisk', riskDetail: 'none',
      riskEventTypes_v2: ['unfamiliarFeatures'], status: SUCCESS, location: LAGOS, deviceDetail: unknownPc,
    },
    {
      id: '66ea54eb-6301-4ee5-be62-ff5a759b0103', createdDateTime: at(2, '03:12:40'), ...by, ...OFFICE_HOME, ipAddress: '203.0.113.77', clientAppUsed: 'Browser',
      conditionalAccessStatus: 'notApplied', ...noRisk(), location: LAGOS, deviceDetail: unknownPc,
      status: { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.', additionalDetails: null },
    },
  ];
}

export function janesDirectoryAudits(ids: AuditedIds, seededAt: Date): SimDirectoryAudit[] {
  const at = (days: number, timeOfDay: string) => daysBefore(seededAt, days, timeOfDay);
  const { jane, alex } = ids;
  const byAlex = { id: alex, displayName: 'Alex Wilber', userPrincipalName: 'alexw@contoso.com', ipAddress: '198.51.100.40' };
  const janeTarget: SimAuditTarget = { id: jane, displayName: 'Jane Doe', type: 'User', userPrincipalName: 'janed@contoso.com', modifiedProperties: [] };
  const audit = (a: Omit<SimDirectoryAudit, 'result' | 'resultReason' | 'additionalDetails'> & Partial<SimDirectoryAudit>): SimDirectoryAudit => ({
    result: 'success',
    resultReason: '',
    additionalDetails: [],
    ...a,
  });
  return [
    audit({
      // Helpdesk Administrator lets her read any device's BitLocker recovery key: the night her
      // customer files left her OneDrive, she read one. The log names the key, not its device.
      id: 'Directory_KeyManagement_3b7e9d21-8c4f-4a6b-9e2d-5f1a0c7b3e84_ZQ1X4_40166',
      activityDateTime: at(2, '22:58:31'),
      activityDisplayName: 'Read BitLocker key',
      category: 'KeyManagement',
      correlationId: 'f3a9c1e7-2b5d-4e8f-9a0c-7d6e5b4a3c21',
      loggedByService: 'Core Directory',
      operationType: 'Other',
      initiatedBy: { user: { id: jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', ipAddress: '203.0.113.77' }, app: null },
      targetResources: [{ id: ids.bitLockerKeyRead, displayName: ids.bitLockerKeyRead, type: 'Other', userPrincipalName: null, modifiedProperties: [] }],
    }),
    audit({
      // Minutes later she invited her own outlook.com address as a guest, and put it in her team.
      id: 'Directory_UserManagement_8d1f4a2c-6b3e-4f9a-a7c5-2e0d9b8c1f36_ZQ1X4_40172',
      activityDateTime: at(2, '23:04:12'),
      activityDisplayName: 'Invite external user',
      category: 'UserManagement',
      correlationId: 'a7b3c9d1-4e2f-4a8b-9c6d-1e0f2a3b4c5d',
      loggedByService: 'Invited Users',
      operationType: 'Add',
      initiatedBy: { user: { id: jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', ipAddress: '203.0.113.77' }, app: null },
      targetResources: [
        { id: ids.janesGuest, displayName: 'JD Consulting', type: 'User', userPrincipalName: 'jdoe.consulting_outlook.com#EXT#@contoso.onmicrosoft.com', modifiedProperties: [] },
      ],
      additionalDetails: [{ key: 'invitedUserEmailAddress', value: 'jdoe.consulting@outlook.com' }],
    }),
    audit({
      // Minutes after the risky sign-in: whoever signed in added their own way to pass MFA.
      id: 'Directory_6f2b1c9e-4d3a-4e8b-9a7c-2d1e0f3a4b5c_ZQ1X4_40211',
      activityDateTime: at(2, '03:20:05'),
      activityDisplayName: 'User registered security info',
      category: 'UserManagement',
      correlationId: 'b6e1a7c2-3f4d-4e5a-8b9c-0d1e2f3a4b5c',
      loggedByService: 'Authentication Methods',
      operationType: 'Add',
      resultReason: 'User registered Authenticator App with Notification and Code',
      initiatedBy: { user: { id: jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', ipAddress: '203.0.113.77' }, app: null },
      targetResources: [janeTarget],
    }),
    audit({
      id: 'Directory_0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d_ZQ1X4_38750',
      activityDateTime: at(4, '09:00:00'),
      activityDisplayName: 'Reset user password',
      category: 'UserManagement',
      correlationId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      loggedByService: 'Core Directory',
      operationType: 'Update',
      initiatedBy: { user: byAlex, app: null },
      targetResources: [{ id: ids.grady, displayName: 'Grady Archie', type: 'User', userPrincipalName: 'gradya@contoso.com', modifiedProperties: [] }],
    }),
    audit({
      id: 'Directory_5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b_ZQ1X4_37102',
      activityDateTime: at(5, '14:30:00'),
      activityDisplayName: 'Add member to group',
      category: 'GroupManagement',
      correlationId: 'd4c3b2a1-f0e9-4d8c-b7a6-958473625140',
      loggedByService: 'Core Directory',
      operationType: 'Assign',
      initiatedBy: { user: byAlex, app: null },
      targetResources: [
        janeTarget,
        { id: ids.vpnUsers, displayName: 'VPN Users', type: 'Group', userPrincipalName: null, modifiedProperties: [{ displayName: 'Group.DisplayName', oldValue: null, newValue: '"VPN Users"' }] },
      ],
    }),
    audit({
      // History, not recent activity: the day her PIM eligibility was created (its createdDateTime in
      // seed-workplace.ts), long outside any 30-day look-back, like her enrolment dates.
      id: 'Directory_9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b5a_ZQ1X4_21094',
      activityDateTime: '2024-09-02T10:15:00Z',
      activityDisplayName: 'Add eligible member to role in PIM completed (permanent)',
      category: 'RoleManagement',
      correlationId: 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9',
      loggedByService: 'PIM',
      operationType: 'Add',
      initiatedBy: { user: byAlex, app: null },
      targetResources: [
        { id: ids.teamsAdministrator, displayName: 'Teams Administrator', type: 'Other', userPrincipalName: null, modifiedProperties: [] },
        janeTarget,
      ],
    }),
  ];
}
