import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteIfPresent, eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface RoleAssignment {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: { displayName?: string } | null;
}

const readAssignments = ({ graph, target }: ActionContext) =>
  readAll<RoleAssignment>(graph, `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${guidSegment(target.id)}'`)}&$expand=roleDefinition`);

const roleName = (a: RoleAssignment) => `${a.roleDefinition?.displayName ?? a.roleDefinitionId}${a.directoryScopeId === '/' ? '' : ` (scope ${a.directoryScopeId})`}`;

/**
 * Removes the user's active directory role assignments, first of all changes: a privileged account
 * stays privileged until this runs, and the app cannot block or reset some role holders at all.
 * Roles held through a role-assignable group leave with that group membership.
 * Permission RoleManagement.ReadWrite.Directory.
 */
export const removeDirectoryRoles: OffboardingAction<RoleAssignment> = {
  name: 'removeDirectoryRoles',
  async plan(ctx) {
    const assignments = await readAssignments(ctx);
    return { changes: assignments, found: assignments.length === 0 ? 'no directory roles are assigned to the user directly.' : assignments.map(roleName).join(', ') };
  },
  async apply({ graph }, plan) {
    const failures = await eachObject(
      plan.changes,
      (a) => deleteIfPresent(graph, `/roleManagement/directory/roleAssignments/${encodeURIComponent(a.id)}`),
      (a, err) => `Could not remove ${roleName(a)}: ${describeError(err)}`,
    );
    const removed = plan.changes.length - failures.length;
    return { detail: `Removed ${removed} of ${plan.changes.length} role assignment(s): ${plan.changes.map(roleName).join(', ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readAssignments(ctx)).filter((a) => plan.changes.some((p) => p.id === a.id));
    return left.length === 0
      ? { ok: true, detail: '(verified: none left)' }
      : { ok: false, detail: `Still assigned: ${left.map(roleName).join(', ')}.` };
  },
};
