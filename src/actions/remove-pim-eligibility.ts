import { M365Error } from '../m365/m365-error';
import { guidSegment, odataString } from '../m365/odata';
import { describeError } from './describe-error';
import { eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface RoleEligibility {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: { displayName?: string } | null;
}

const readEligibilities = ({ graph, target }: ActionContext) =>
  readAll<RoleEligibility>(
    graph,
    `/roleManagement/directory/roleEligibilitySchedules?$filter=${encodeURIComponent(`principalId eq ${odataString(guidSegment(target.id))}`)}&$expand=roleDefinition`,
  );

const roleName = (e: RoleEligibility) => `${e.roleDefinition?.displayName ?? e.roleDefinitionId}${e.directoryScopeId === '/' ? '' : ` (scope ${e.directoryScopeId})`}`;

/** Graph's answer when the eligibility is already gone: a repeated run reached the wanted state. */
const alreadyRemoved = (err: unknown) => err instanceof M365Error && err.code === 'RoleAssignmentDoesNotExist';

async function removeEligibility(ctx: ActionContext, e: RoleEligibility): Promise<void> {
  const ticket = ctx.request.ticket ? `, ticket ${ctx.request.ticket}` : '';
  try {
    await ctx.graph.send('POST', '/roleManagement/directory/roleEligibilityScheduleRequests', {
      action: 'adminRemove',
      principalId: guidSegment(ctx.target.id),
      roleDefinitionId: e.roleDefinitionId,
      directoryScopeId: e.directoryScopeId,
      justification: `Offboarding (case ${ctx.caseId}${ticket})`,
    });
  } catch (err) {
    if (!alreadyRemoved(err)) throw err;
  }
}

/**
 * Removes the user's PIM eligibilities, right after the active roles: an eligible role is one the
 * user can activate on their own at any moment, so it is as good as held until removed.
 * Permission RoleEligibilitySchedule.ReadWrite.Directory.
 */
export const removePimEligibility: OffboardingAction<RoleEligibility> = {
  name: 'removePimEligibility',
  async plan(ctx) {
    const eligibilities = await readEligibilities(ctx);
    return { changes: eligibilities, found: eligibilities.length === 0 ? 'the user is not eligible for any directory role (PIM).' : eligibilities.map(roleName).join(', ') };
  },
  async apply(ctx, plan) {
    const failures = await eachObject(plan.changes, (e) => removeEligibility(ctx, e), (e, err) => `Could not remove the eligibility for ${roleName(e)}: ${describeError(err)}`);
    const removed = plan.changes.length - failures.length;
    return { detail: `Removed ${removed} of ${plan.changes.length} PIM eligibility(ies): ${plan.changes.map(roleName).join(', ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readEligibilities(ctx)).filter((e) => plan.changes.some((p) => p.id === e.id));
    return left.length === 0 ? { ok: true, detail: '(verified: none left)' } : { ok: false, detail: `Still eligible for: ${left.map(roleName).join(', ')}.` };
  },
};
