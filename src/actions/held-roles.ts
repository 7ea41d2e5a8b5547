/**
 * Which of some built-in directory roles the person held, or could activate through PIM, before
 * the run. Some risks only someone in a role could leave behind (an app secret, a device password
 * read), and the logs that show them are throttled hard, so they are read only for such people.
 */
import { parseSnapshot } from './take-evidence';
import type { ActionContext } from './offboarding-action';
import { assignmentsOf, eligibilitiesOf, type RoleAssignment } from './role-assignable-groups';

/** Roles by template id (a built-in role assignment's roleDefinitionId), with their names. */
export type RoleTable = Readonly<Record<string, string>>;

type RoleEntry = Pick<RoleAssignment, 'roleDefinitionId' | 'roleDefinition'>;

const namesIn = (entries: RoleEntry[], roles: RoleTable) => {
  const names = entries.map((e) => roles[(e.roleDefinition?.templateId ?? e.roleDefinitionId ?? '').toLowerCase()]);
  return [...new Set(names.filter((n): n is string => n !== undefined))];
};

/**
 * The names of the `roles` the person held or was eligible for: from the evidence snapshot once it
 * is taken (a run removes the roles early on), read from the tenant before that (the plan preview).
 * `undefined` when the snapshot could not record them: the caller must assume any may have been held.
 */
export async function rolesHeldBefore(ctx: ActionContext, roles: RoleTable): Promise<string[] | undefined> {
  const snapshot = parseSnapshot(ctx.evidence);
  if (!snapshot) {
    try {
      const [active, eligible] = await Promise.all([assignmentsOf(ctx.graph, ctx.target.id), eligibilitiesOf(ctx.graph, ctx.target.id)]);
      return namesIn([...active, ...eligible], roles);
    } catch {
      return undefined;
    }
  }
  const entries: RoleEntry[] = [];
  for (const name of ['directoryRoles', 'pimEligibility']) {
    const section = snapshot.sections[name];
    // A tenant without PIM has no eligibilities (pim-licence.ts).
    if (section && 'error' in section && section.error.code === 'AadPremiumLicenseRequired') continue;
    if (!section || !('value' in section) || !Array.isArray(section.value)) return undefined;
    entries.push(...(section.value as RoleEntry[]));
  }
  return namesIn(entries, roles);
}
