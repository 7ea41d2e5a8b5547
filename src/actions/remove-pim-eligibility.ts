import { M365Error } from '../m365/m365-error';
import { guidSegment, odataString } from '../m365/odata';
import { unlessTenantLacksPim } from '../m365/pim-licence';
import { describeError } from './describe-error';
import { eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { roleName } from './role-assignable-groups';
import { groupAccessName, readGroupEligibilities, removeGroupEligibility, withPermissionHint, type GroupEligibility } from './pim-group-eligibility';

interface RoleEligibility {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  /** 'Direct', 'Group' or 'Inherited'. */
  memberType?: string | null;
  roleDefinition?: { displayName?: string } | null;
}

/** `name` is what the plan preview and the step's detail show. */
type PimEligibility =
  | { kind: 'role'; id: string; name: string; schedule: RoleEligibility }
  | { kind: 'group'; id: string; name: string; schedule: GroupEligibility };

/** null when the tenant has no PIM (no Entra ID P2 licence), so none can exist. */
const readRoleEligibilities = ({ graph, target }: ActionContext) =>
  unlessTenantLacksPim(
    readAll<RoleEligibility>(
      graph,
      `/roleManagement/directory/roleEligibilitySchedules?$filter=${encodeURIComponent(`principalId eq ${odataString(guidSegment(target.id))}`)}&$expand=roleDefinition`,
    ),
  );

/**
 * Only the user's own ('Direct') eligibility can be removed in their name. One they have through a
 * group ('Group', or 'Inherited') belongs to that group: an adminRemove naming the user cannot
 * remove it. A schedule without memberType counts as the user's own, so it is tried, not left.
 */
const isOwn = (e: PimEligibility) => !e.schedule.memberType || e.schedule.memberType.toLowerCase() === 'direct';

interface Eligibilities {
  own: PimEligibility[];
  inherited: PimEligibility[];
  /** Graph refused a PIM list with AadPremiumLicenseRequired. */
  noPim: boolean;
}

async function readEligibilities(ctx: ActionContext): Promise<Eligibilities> {
  const [roles, groups] = await Promise.all([readRoleEligibilities(ctx), readGroupEligibilities(ctx)]);
  const all: PimEligibility[] = [
    ...(roles ?? []).map((schedule) => ({ kind: 'role' as const, id: schedule.id, name: roleName(schedule), schedule })),
    ...(groups ?? []).map((schedule) => ({ kind: 'group' as const, id: schedule.id, name: groupAccessName(schedule), schedule })),
  ];
  return { own: all.filter(isOwn), inherited: all.filter((e) => !isOwn(e)), noPim: roles === null || groups === null };
}

const NO_PIM = 'No PIM in this tenant (no Entra ID P2 licence): nothing to remove.';

const names = (eligibilities: PimEligibility[]) => eligibilities.map((e) => e.name).join(', ');

/**
 * For the person following up. Graph's schedule does not say which group it comes through; PIM
 * shows it among the user's eligible assignments. The membership step usually ends it.
 */
const inheritedNote = (e: PimEligibility) =>
  e.schedule.memberType?.toLowerCase() === 'group'
    ? `Eligible for ${e.name} through a group, not removed here: it ends when the user leaves that group or when that group's eligibility is removed.`
    : `Eligible for ${e.name} by inheritance (memberType ${e.schedule.memberType}), not removed here: it ends when the eligibility it comes from is removed.`;

/** The preview shows this, so it names the inherited eligibilities too. */
function foundText({ own, inherited }: Eligibilities): string {
  const viaGroups = inherited.length > 0 ? `; through a group, not removed here: ${names(inherited)}` : '';
  if (own.length > 0) return `${names(own)}${viaGroups}`;
  if (inherited.length > 0) return `the user has no PIM eligibility of their own${viaGroups}.`;
  return 'the user is not eligible for any directory role, nor for membership or ownership of any group (PIM).';
}

/**
 * Graph's answer to an adminRemove of a PIM schedule (eligibility or assignment) that is already
 * gone: a repeated run reached the wanted state.
 */
export const pimRemovalFoundNothing = (err: unknown) => err instanceof M365Error && err.code === 'RoleAssignmentDoesNotExist';

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
    if (!pimRemovalFoundNothing(err)) throw err;
  }
}

/**
 * Removes the user's PIM eligibilities, right after the active roles: an eligible directory role,
 * or an eligible membership or ownership of a group (PIM for Groups), is one the user can activate
 * on their own at any moment, so it is as good as held until removed. Those through a group are
 * noted, not removed; a tenant without Entra ID P2 has none, and the step is skipped.
 * Permissions RoleEligibilitySchedule.ReadWrite.Directory and PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup.
 */
export const removePimEligibility: OffboardingAction<PimEligibility> = {
  name: 'removePimEligibility',
  async plan(ctx) {
    const eligibilities = await readEligibilities(ctx);
    const { own, inherited, noPim } = eligibilities;
    if (noPim && own.length === 0 && inherited.length === 0) return { changes: [], found: NO_PIM, stop: { status: 'skipped', reason: NO_PIM } };
    return { changes: own, found: foundText(eligibilities), notes: inherited.map(inheritedNote) };
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
    const left = (await readEligibilities(ctx)).own.filter((e) => plan.changes.some((p) => p.kind === e.kind && p.id === e.id));
    return left.length === 0 ? { ok: true, detail: '(verified: none left)' } : { ok: false, detail: `Still eligible for: ${names(left)}.` };
  },
};
