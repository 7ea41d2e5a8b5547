/**
 * Which directory roles that allow something the person held, or could activate through PIM,
 * before the run. Some risks only someone in a role could leave behind (an app secret, a device
 * password read), and the logs that show them are throttled hard, so they are read only for such
 * people. A built-in role is known by its template id; a custom role by what it allows.
 */
import { guidSegment } from '../m365/odata';
import { readAll } from './graph-pages';
import type { ActionContext } from './offboarding-action';
import { readGroupEligibilities, type GroupEligibility } from './pim-group-eligibility';
import { assignmentsOf, eligibilitiesOf, type RoleAssignment } from './role-assignable-groups';
import { parseSnapshot, recordedList, type EvidenceSnapshot } from './take-evidence';

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

/** A group whose roles are the person's: role-assignable and joined, or one they could join (or own) through PIM. */
interface RoleGroupRef {
  id: string;
  name: string;
}

interface GroupObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  isAssignableToRole?: boolean | null;
}

const joinedRoleGroups = (objects: GroupObject[]): RoleGroupRef[] =>
  objects.filter((o) => o['@odata.type'] === '#microsoft.graph.group' && o.isAssignableToRole === true).map((o) => ({ id: o.id, name: o.displayName ?? o.id }));

const eligibleGroups = (eligibilities: GroupEligibility[]): RoleGroupRef[] => eligibilities.map((e) => ({ id: e.groupId, name: e.group?.displayName ?? e.groupId }));

/** Who holds what: the person's own assignments and eligibilities, and each group's, named through it. */
async function namesWithGroups(ctx: ActionContext, own: RoleEntry[], groups: RoleGroupRef[], roles: RolesThatAllow): Promise<string[]> {
  const unique = [...new Map(groups.map((g) => [g.id.toLowerCase(), g])).values()];
  const throughGroups = await Promise.all(
    unique.map(async (g) => {
      const [active, eligible] = await Promise.all([assignmentsOf(ctx.graph, g.id), eligibilitiesOf(ctx.graph, g.id)]);
      return [...active, ...eligible].map((e) => nameOf(e, roles)).filter((n): n is string => n !== undefined).map((n) => `${n} through '${g.name}'`);
    }),
  );
  const names = [...own.map((e) => nameOf(e, roles)).filter((n): n is string => n !== undefined), ...throughGroups.flat()];
  return [...new Set(names)];
}

/** The evidence's record of a section, or undefined when it could not be read (a tenant without PIM has none to read). */
function recorded<T>(snapshot: EvidenceSnapshot, name: string): T[] | undefined {
  const section = snapshot.sections[name];
  if (section && 'error' in section && section.error.code === 'AadPremiumLicenseRequired') return [];
  return recordedList<T>(snapshot, name);
}

/**
 * The names of the roles the person held or was eligible for that allow what `roles` describes,
 * their own and those of the role-assignable groups they were in or could join through PIM: from
 * the evidence snapshot once it is taken (a run removes the roles and memberships early on; a
 * group keeps its roles, read then), from the tenant before that (the plan preview). `undefined`
 * when they could not be read: the caller must then assume any may have been held.
 */
export async function rolesHeldBefore(ctx: ActionContext, roles: RolesThatAllow): Promise<string[] | undefined> {
  try {
    const snapshot = parseSnapshot(ctx.evidence);
    if (!snapshot) {
      const [active, eligible, memberOf, groupEligibilities] = await Promise.all([
        assignmentsOf(ctx.graph, ctx.target.id),
        eligibilitiesOf(ctx.graph, ctx.target.id),
        readAll<GroupObject>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/memberOf?$select=id,displayName,isAssignableToRole`),
        readGroupEligibilities(ctx),
      ]);
      return await namesWithGroups(ctx, [...active, ...eligible], [...joinedRoleGroups(memberOf), ...eligibleGroups(groupEligibilities ?? [])], roles);
    }
    const [active, eligible, memberOf, groupEligibilities] = [
      recorded<RoleEntry>(snapshot, 'directoryRoles'),
      recorded<RoleEntry>(snapshot, 'pimEligibility'),
      recorded<GroupObject>(snapshot, 'memberOf'),
      recorded<GroupEligibility>(snapshot, 'pimGroupEligibility'),
    ];
    if (!active || !eligible || !memberOf || !groupEligibilities) return undefined;
    return await namesWithGroups(ctx, [...active, ...eligible], [...joinedRoleGroups(memberOf), ...eligibleGroups(groupEligibilities)], roles);
  } catch {
    return undefined;
  }
}
