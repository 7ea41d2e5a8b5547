/** Reading directory roles: the assignments of a principal, and the role-assignable groups of a user. */
import { guidSegment } from '../m365/odata';
import { unlessTenantLacksPim } from '../m365/pim-licence';
import { readAll } from './graph-pages';
import type { GraphCalls } from './offboarding-action';

export interface RoleAssignment {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: {
    displayName?: string;
    templateId?: string | null;
    isBuiltIn?: boolean;
    rolePermissions?: Array<{ allowedResourceActions?: string[] }>;
  } | null;
}

interface DirectoryObject {
  '@odata.type': string;
  id: string;
  displayName: string;
  isAssignableToRole?: boolean | null;
}

/** A role-assignable group the user is in or owns, with the roles it holds now and those it is eligible for. */
export interface RoleGroup {
  id: string;
  displayName: string;
  roles: string[];
  eligibleRoles: string[];
}

export const roleName = (a: RoleAssignment) => `${a.roleDefinition?.displayName ?? a.roleDefinitionId}${a.directoryScopeId === '/' ? '' : ` (scope ${a.directoryScopeId})`}`;

/** Active directory role assignments of one principal (a user, or a role-assignable group). */
export const assignmentsOf = (graph: GraphCalls, principalId: string) =>
  readAll<RoleAssignment>(graph, `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${guidSegment(principalId)}'`)}&$expand=roleDefinition`);

/**
 * PIM eligibilities of one principal: a user, or a role-assignable group (Microsoft's recommended
 * PIM for Groups set-up makes the group eligible and its members active, so each member may
 * activate the role). None in a tenant without PIM (no Entra ID P2 licence).
 */
export const eligibilitiesOf = async (graph: GraphCalls, principalId: string) =>
  (await unlessTenantLacksPim(
    readAll<RoleAssignment>(graph, `/roleManagement/directory/roleEligibilitySchedules?$filter=${encodeURIComponent(`principalId eq '${guidSegment(principalId)}'`)}&$expand=roleDefinition`),
  )) ?? [];

/**
 * The role-assignable groups in one of the user's relations (memberOf or ownedObjects). Only such
 * groups can hold a directory role, and Graph refuses to disable or reset their members and owners.
 */
async function roleGroups(graph: GraphCalls, userId: string, relation: 'memberOf' | 'ownedObjects'): Promise<RoleGroup[]> {
  const objects = await readAll<DirectoryObject>(graph, `/users/${guidSegment(userId)}/${relation}?$select=id,displayName,isAssignableToRole`);
  const groups = objects.filter((o) => o['@odata.type'] === '#microsoft.graph.group' && o.isAssignableToRole === true);
  const [roles, eligible] = await Promise.all([Promise.all(groups.map((g) => assignmentsOf(graph, g.id))), Promise.all(groups.map((g) => eligibilitiesOf(graph, g.id)))]);
  return groups.map((g, i) => ({ id: g.id, displayName: g.displayName, roles: roles[i].map(roleName), eligibleRoles: eligible[i].map(roleName) }));
}

export const roleGroupsJoined = (graph: GraphCalls, userId: string) => roleGroups(graph, userId, 'memberOf');
export const roleGroupsOwned = (graph: GraphCalls, userId: string) => roleGroups(graph, userId, 'ownedObjects');
