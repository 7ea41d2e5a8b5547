/**
 * A large tenant for load tests and benchmarks: the Contoso seed plus `count` staff, each with
 * what a departing employee typically leaves behind (a direct licence, memberships, sign-in
 * methods, a managed device, now and then a forwarding rule). Use as `startSimTenant({ seed: withStaff(200) })`.
 */
import { daysBefore } from './seed-clock';
import { WORKPLACE_IDS } from './seed-workplace';
import type { SeedGroup, SeedUser, TenantSeed } from './state';

const DEPARTMENTS = ['Sales', 'Finance', 'Engineering', 'Marketing', 'Operations'];
/** Every fifth person forwards mail somewhere, so the rule step has work in a realistic share of cases. */
const FORWARDER_EVERY = 5;

/** The object id of staff member `i` (0-based); also used as the stem of their other objects' ids. */
export function staffId(i: number): string {
  return `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

const groupId = (n: number) => `20000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function withStaff(count: number): (contoso: TenantSeed, seededAt: Date) => TenantSeed {
  return (contoso, seededAt) => {
    const users: SeedUser[] = [];
    const departmentGroups: SeedGroup[] = DEPARTMENTS.map((name, n) => ({ id: groupId(n + 1), displayName: `${name} (staff)`, memberIds: [] }));
    const allStaff: SeedGroup = { id: groupId(0), displayName: 'All Staff', memberIds: [] };
    const skus = (contoso.skus ?? []).map((s) => ({ ...s, prepaidUnits: s.prepaidUnits + count }));
    const authMethods = [...(contoso.authMethods ?? [])];
    const managedDevices = [...(contoso.managedDevices ?? [])];
    const messageRules = [...(contoso.messageRules ?? [])];
    for (let i = 0; i < count; i++) {
      const id = staffId(i);
      const alias = `staff${i}`;
      const department = DEPARTMENTS[i % DEPARTMENTS.length];
      users.push({
        id,
        displayName: `Staff Member ${i}`,
        givenName: 'Staff',
        surname: `Member ${i}`,
        userPrincipalName: `${alias}@contoso.com`,
        mail: `${alias}@contoso.com`,
        jobTitle: 'Associate',
        department,
        directLicenses: [WORKPLACE_IDS.office365E3],
      });
      allStaff.memberIds.push(id);
      departmentGroups[i % DEPARTMENTS.length].memberIds.push(id);
      authMethods.push(
        { id: `${id.slice(0, 24)}a${id.slice(25)}`, userId: id, type: 'passwordAuthenticationMethod', isDefault: false, properties: { password: null } },
        { id: `${id.slice(0, 24)}b${id.slice(25)}`, userId: id, type: 'phoneAuthenticationMethod', isDefault: true, properties: { phoneNumber: `+1 42555${String(i).padStart(5, '0')}`, phoneType: 'mobile', smsSignInState: 'notEnabled' } },
      );
      managedDevices.push({
        id: `${id.slice(0, 24)}d${id.slice(25)}`, userId: id, deviceName: `CONTOSO-${alias.toUpperCase()}`, operatingSystem: 'Windows', osVersion: '10.0.22631.3447',
        model: 'Surface Laptop 5', serialNumber: `SN${i}`, complianceState: 'compliant', managedDeviceOwnerType: 'company',
        // Synced yesterday, like Jane's laptop: a device still in use.
        enrolledDateTime: '2023-01-01T09:00:00Z', lastSyncDateTime: daysBefore(seededAt, 1, '07:45:12'),
      });
      if (i % FORWARDER_EVERY === 0) {
        messageRules.push({
          id: `AQAAAB${i}=`, userId: id, displayName: 'Forward to home', sequence: 1, isEnabled: true, conditions: {},
          actions: { forwardTo: [{ emailAddress: { name: alias, address: `${alias}.home@example.net` } }], stopProcessingRules: false },
        });
      }
    }
    return {
      ...contoso,
      skus,
      authMethods,
      managedDevices,
      messageRules,
      users: [...contoso.users, ...users],
      groups: [...contoso.groups, allStaff, ...departmentGroups],
    };
  };
}
