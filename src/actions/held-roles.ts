/**
 * Which directory roles that allow something the person held, or could activate through PIM,
 * before the run. Some risks only someone in a role could leave behind (an app secret, a device
 * password read), and the logs that show them are throttled hard, so they are read only for such
 * people. A built-in role is known by its template id; a custom role by what it allows.
 */
import { parseSnapshot } from './take-evidence';
import type { ActionContext } from './offboarding-action';
import { assignmentsOf, eligibilitiesOf, type RoleAssignment } from './role-assignable-groups';

/** Roles by template id (a built-in role assignment's roleDefinitionId), with their names. */
export type RoleTable = Readonly<Record<string, string>>;

/** The roles that allow something: the built-in ones, and the resource actions a custom role would need. */
export interface RolesThatAllow {
  builtIn: RoleTable;
  /** Entra resource actions, as `microsoft.directory/{resource}/{property}/{verb}`. */
  actions: readonly string[];
}

type RoleEntry = Pick<RoleAssignment, 'roleDefinitionId' | 'roleDefinition'>;

/**
 * Whether a custom role's action grants `wanted`: the same action, or one covering it (all the
 * resource's properties, all tasks, or the resource limited to the organization's own objects).
 */
function grants(held: string, wanted: string): boolean {
  const [hNamespace, hResource, hProperty, hVerb] = held.toLowerCase().split('/');
  const [wNamespace, wResource, wProperty, wVerb] = wanted.toLowerCase().split('/');
  return (
    hNamespace === wNamespace &&
    (hResource === wResource || hResource === `${wResource}.myorganization`) &&
    (hProperty === wProperty || hProperty === 'allproperties') &&
    (hVerb === wVerb || hVerb === 'alltasks')
  );
}

function nameOf(entry: RoleEntry, roles: RolesThatAllow): string | undefined {
  const definition = entry.roleDefinition;
  const builtIn = roles.builtIn[(definition?.templateId ?? entry.roleDefinitionId ?? '').toLowerCase()];
  if (builtIn) return builtIn;
  if (definition?.isBuiltIn !== false) return undefined;
  const actions = (definition.rolePermissions ?? []).flatMap((p) => p.allowedResourceActions ?? []);
  return actions.some((held) => roles.actions.some((wanted) => grants(held, wanted))) ? `${definition.displayName ?? entry.roleDefinitionId} (a custom role)` : undefined;
}

const namesIn = (entries: RoleEntry[], roles: RolesThatAllow) => [...new Set(entries.map((e) => nameOf(e, roles)).filter((n): n is string => n !== undefined))];

/**
 * The names of the roles the person held or was eligible for that allow what `roles` describes:
 * from the evidence snapshot once it is taken (a run removes the roles early on), read from the
 * tenant before that (the plan preview). `undefined` when they could not be read: the caller must
 * then assume any may have been held.
 */
export async function rolesHeldBefore(ctx: ActionContext, roles: RolesThatAllow): Promise<string[] | undefined> {
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
