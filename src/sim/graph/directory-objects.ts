/** How users and groups look on the wire: their schemas, default properties and lookups. */
import type { SimGroup, SimUser, TenantState } from '../state';
import { resourceNotFound } from './errors';
import type { EntitySchema } from './odata-filter';
import { pick, type Json } from './odata';

export const USER_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.user',
  resourceName: 'User',
  properties: [
    'id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'mailNickname',
    'jobTitle', 'department', 'officeLocation', 'mobilePhone', 'businessPhones', 'preferredLanguage',
    'usageLocation', 'employeeId', 'userType', 'accountEnabled', 'createdDateTime',
    'signInSessionsValidFromDateTime', 'lastPasswordChangeDateTime', 'passwordProfile', 'onPremisesSyncEnabled',
    'assignedLicenses', 'licenseAssignmentStates',
  ],
  filterable: [
    'id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'mailNickname',
    'jobTitle', 'department', 'employeeId', 'userType', 'accountEnabled', 'usageLocation',
  ],
};

/** What GET /users returns when no $select is given (accountEnabled is not among them). */
const USER_DEFAULTS = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone',
  'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id',
];

export const GROUP_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.group',
  resourceName: 'Group',
  properties: [
    'id', 'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled',
    'groupTypes', 'createdDateTime', 'membershipRule', 'membershipRuleProcessingState', 'assignedLicenses',
    'isAssignableToRole', 'resourceProvisioningOptions',
  ],
  filterable: ['id', 'displayName', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'isAssignableToRole'],
};

export function representUser(user: SimUser, select?: string[]): Json {
  // Graph never reads a password back; the profile always comes back as null.
  return pick({ ...user, passwordProfile: null } as unknown as Json, select ?? USER_DEFAULTS);
}

export function representGroup(group: SimGroup, select?: string[]): Json {
  return pick(group as unknown as Json, select ?? GROUP_SCHEMA.properties);
}

/** Members and memberships are directoryObjects, so each one says what it is. */
export function representDirectoryObject(object: SimUser | SimGroup, select?: string[]): Json {
  return 'userPrincipalName' in object
    ? { '@odata.type': '#microsoft.graph.user', ...representUser(object, select) }
    : { '@odata.type': '#microsoft.graph.group', ...representGroup(object, select) };
}

/** Graph accepts either the object id or the userPrincipalName, both case-insensitive. */
export function findUser(state: TenantState, idOrUpn: string): SimUser {
  const wanted = idOrUpn.toLowerCase();
  for (const user of state.users.values()) {
    if (user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted) return user;
  }
  throw resourceNotFound(idOrUpn);
}

export function findGroup(state: TenantState, id: string): SimGroup {
  const wanted = id.toLowerCase();
  for (const group of state.groups.values()) if (group.id.toLowerCase() === wanted) return group;
  throw resourceNotFound(id);
}

export function directoryObject(state: TenantState, id: string): SimUser | SimGroup | undefined {
  return state.users.get(id) ?? state.groups.get(id);
}

/** Groups that list the object directly, or (transitive) through nested groups. */
export function groupsOf(state: TenantState, objectId: string, transitive: boolean): SimGroup[] {
  const found = new Set<string>();
  const pending = [objectId];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const group of state.groups.values()) {
      if (group.memberIds.includes(current) && !found.has(group.id)) {
        found.add(group.id);
        if (transitive) pending.push(group.id);
      }
    }
  }
  return [...state.groups.values()].filter((g) => found.has(g.id));
}
