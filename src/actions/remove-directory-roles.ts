import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteIfPresent, eachObject } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { assignmentsOf, roleGroupsJoined, roleGroupsOwned, roleName, type RoleGroup } from './role-assignable-groups';

/** One way the user holds a role: an assignment to them, or membership of a role-assignable group. */
interface RoleHolding {
  via: 'assignment' | 'group';
  /** The assignment's id, or the group's. */
  id: string;
  name: string;
}

/** A role the group is eligible for counts too: any of its members can activate it. */
function heldRoles(g: RoleGroup): string {
  const roles = [...g.roles, ...g.eligibleRoles.map((r) => `${r} (eligible)`)];
  return roles.length > 0 ? roles.join(', ') : 'no active role now';
}

async function readHoldings({ graph, target }: ActionContext): Promise<RoleHolding[]> {
  const [assignments, groups] = await Promise.all([assignmentsOf(graph, target.id), roleGroupsJoined(graph, target.id)]);
  return [
    ...assignments.map((a): RoleHolding => ({ via: 'assignment', id: a.id, name: roleName(a) })),
    ...groups.map((g): RoleHolding => ({ via: 'group', id: g.id, name: `membership of '${g.displayName}' (${heldRoles(g)})` })),
  ];
}

/** The membership link, never the member: without /$ref Graph deletes the user object itself. */
const removalPath = (ctx: ActionContext, h: RoleHolding) =>
  h.via === 'assignment'
    ? `/roleManagement/directory/roleAssignments/${encodeURIComponent(h.id)}`
    : `/groups/${guidSegment(h.id)}/members/${guidSegment(ctx.target.id)}/$ref`;

const names = (holdings: RoleHolding[]) => holdings.map((h) => h.name).join(', ');

/**
 * Removes the user's directory roles, first of all changes: their active role assignments, and
 * their membership of role-assignable groups (the way to hold a role through a group). Until then
 * the account outranks the app: Graph refuses to block it or reset its password (403). A
 * role-assignable group is left whatever it holds today, since its members are protected anyway
 * and it may be given a role at any moment. Owning one protects the account too; that ownership
 * is left to a person, who can give the group another owner.
 * Permission RoleManagement.ReadWrite.Directory (also needed for a role-assignable group's members).
 */
export const removeDirectoryRoles: OffboardingAction<RoleHolding> = {
  name: 'removeDirectoryRoles',
  async plan(ctx) {
    const [holdings, owned] = await Promise.all([readHoldings(ctx), roleGroupsOwned(ctx.graph, ctx.target.id)]);
    const manual = owned.map(
      (g) => `Remove the user as owner of the role-assignable group '${g.displayName}' (${heldRoles(g)}); Graph refuses to block or reset an owner of such a group.`,
    );
    return {
      changes: holdings,
      manual,
      found: holdings.length === 0 ? 'no directory roles are assigned to the user, directly or through a role-assignable group.' : names(holdings),
    };
  },
  async apply(ctx, plan) {
    const failures = await eachObject(
      plan.changes,
      (h) => deleteIfPresent(ctx.graph, removalPath(ctx, h)),
      (h, err) => `Could not remove ${h.name}: ${describeError(err)}`,
    );
    const removed = plan.changes.length - failures.length;
    return { detail: `Removed ${removed} of ${plan.changes.length} role assignment(s) and role-assignable group membership(s): ${names(plan.changes)}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readHoldings(ctx)).filter((h) => plan.changes.some((p) => p.via === h.via && p.id === h.id));
    return left.length === 0 ? { ok: true, detail: '(verified: none left)' } : { ok: false, detail: `Still held: ${names(left)}.` };
  },
};
