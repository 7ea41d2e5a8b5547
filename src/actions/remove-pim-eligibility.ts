import { M365Error } from '../m365/m365-error';
import { guidSegment, odataString } from '../m365/odata';
import { describeError } from './describe-error';
import { eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { groupAccessName, readGroupEligibilities, removeGroupEligibility, withPermissionHint, type GroupEligibility } from './pim-group-eligibility';

interface RoleEligibility {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: { displayName?: string } | null;
}

/** `name` is what the plan preview and the step's detail show. */
type PimEligibility =
  | { kind: 'role'; id: string; name: string; schedule: RoleEligibility }
  | { kind: 'group'; id: string; name: string; schedule: GroupEligibility };

const readRoleEligibilities = ({ graph, target }: ActionContext) =>
  readAll<RoleEligibility>(
    graph,
    `/roleManagement/directory/roleEligibilitySchedules?$filter=${encodeURIComponent(`principalId eq ${odataString(guidSegment(target.id))}`)}&$expand=roleDefinition`,
  );

const roleName = (e: RoleEligibility) => `${e.roleDefinition?.displayName ?? e.roleDefinitionId}${e.directoryScopeId === '/' ? '' : ` (scope ${e.directoryScopeId})`}`;

async function readEligibilities(ctx: ActionContext): Promise<PimEligibility[]> {
  const [roles, groups] = await Promise.all([readRoleEligibilities(ctx), readGroupEligibilities(ctx)]);
  return [
    ...roles.map((schedule) => ({ kind: 'role' as const, id: schedule.id, name: roleName(schedule), schedule })),
    ...groups.map((schedule) => ({ kind: 'group' as const, id: schedule.id, name: groupAccessName(schedule), schedule })),
  ];
}

/** Graph's answer when the eligibility is already gone: a repeated run reached the wanted state. */
const alreadyRemoved = (err: unknown) => err instanceof M365Error && err.code === 'RoleAssignmentDoesNotExist';

async function removeEligibility(ctx: ActionContext, e: PimEligibility): Promise<void> {
  const ticket = ctx.request.ticket ? `, ticket ${ctx.request.ticket}` : '';
  const justification = `Offboarding (case ${ctx.caseId}${ticket})`;
  try {
    if (e.kind === 'group') {
      await removeGroupEligibility(ctx, e.schedule, justification);
      return;
    }
    await ctx.graph.send('POST', '/roleManagement/directory/roleEligibilityScheduleRequests', {
      action: 'adminRemove',
      principalId: guidSegment(ctx.target.id),
      roleDefinitionId: e.schedule.roleDefinitionId,
      directoryScopeId: e.schedule.directoryScopeId,
      justification,
    });
  } catch (err) {
    if (!alreadyRemoved(err)) throw err;
  }
}

const names = (eligibilities: PimEligibility[]) => eligibilities.map((e) => e.name).join(', ');

/**
 * Removes the user's PIM eligibilities, right after the active roles: an eligible directory role,
 * or an eligible membership or ownership of a group (PIM for Groups), is one the user can activate
 * on their own at any moment, so it is as good as held until removed.
 * Permissions RoleEligibilitySchedule.ReadWrite.Directory and PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup.
 */
export const removePimEligibility: OffboardingAction<PimEligibility> = {
  name: 'removePimEligibility',
  async plan(ctx) {
    const eligibilities = await readEligibilities(ctx);
    const found = eligibilities.length === 0 ? 'the user is not eligible for any directory role, nor for membership or ownership of any group (PIM).' : names(eligibilities);
    return { changes: eligibilities, found };
  },
  async apply(ctx, plan) {
    const failures = await eachObject(
      plan.changes,
      (e) => removeEligibility(ctx, e),
      (e, err) => `Could not remove the eligibility for ${e.name}: ${describeError(e.kind === 'group' ? withPermissionHint(err) : err)}`,
    );
    const removed = plan.changes.length - failures.length;
    return { detail: `Removed ${removed} of ${plan.changes.length} PIM eligibility(ies): ${names(plan.changes)}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readEligibilities(ctx)).filter((e) => plan.changes.some((p) => p.kind === e.kind && p.id === e.id));
    return left.length === 0 ? { ok: true, detail: '(verified: none left)' } : { ok: false, detail: `Still eligible for: ${names(left)}.` };
  },
};
