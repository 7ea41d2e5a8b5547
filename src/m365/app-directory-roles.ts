import type { Graph } from './graph';
import { guidSegment, odataString } from './odata';

/** The directory roles assigned to the app itself, or why they could not be read. */
export type AppDirectoryRoles = { roleIds: ReadonlySet<string> } | { unreadable: string };

/**
 * Role definition ids (for built-in roles, the template id) of the directory roles assigned to the
 * app's service principal for the whole directory. A role scoped to an administrative unit covers
 * only that unit's people, so it does not count. No token carries these roles: they are read from
 * the app's own role assignments (Application.Read.All and RoleManagement.Read.Directory).
 */
export async function appDirectoryRoles(graph: Graph, appId: string): Promise<AppDirectoryRoles> {
  try {
    const sp = await graph.get<{ value: { id: string }[] }>(`/servicePrincipals?$filter=${encodeURIComponent(`appId eq ${odataString(appId)}`)}&$select=id`);
    const principalId = sp.body.value[0]?.id;
    if (!principalId) return { unreadable: `the tenant has no service principal for the app ${appId}` };
    const assigned = await graph.get<{ value: { roleDefinitionId: string; directoryScopeId: string }[] }>(
      `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq ${odataString(guidSegment(principalId))}`)}&$select=roleDefinitionId,directoryScopeId`,
    );
    return { roleIds: new Set(assigned.body.value.filter((a) => a.directoryScopeId === '/').map((a) => a.roleDefinitionId.toLowerCase())) };
  } catch (err) {
    return { unreadable: (err as Error).message };
  }
}
