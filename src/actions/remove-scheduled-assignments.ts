/**
 * PIM assignments that start later: a directory role, or a group's membership or ownership (PIM
 * for Groups), assigned to the user from a future date. Until that date they are neither an active
 * role nor a membership nor an eligibility, so the steps that remove those leave them, and PIM
 * would hand the access over on its own, weeks after the user has gone.
 * Permissions RoleAssignmentSchedule.ReadWrite.Directory (or RoleManagement.ReadWrite.Directory) and
 * PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup.
 */
import { guidSegment, odataString } from '../m365/odata';
import { unlessTenantLacksPim } from '../m365/pim-licence';
import { describeError } from './describe-error';
import { eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { groupAccessName, withPermissionHint } from './pim-group-eligibility';
import { pimRemovalFoundNothing } from './remove-pim-eligibility';
import { roleName } from './role-assignable-groups';

const ROLE_PERMISSION = 'RoleAssignmentSchedule.ReadWrite.Directory';
const GROUP_PERMISSION = 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup';

interface Schedule {
  id: string;
  /** 'Direct', or 'Group' / 'Inherited': through something else, which an adminRemove naming the user cannot end. */
  memberType?: string | null;
  scheduleInfo?: { startDateTime?: string | null } | null;
}

interface RoleSchedule extends Schedule {
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: { displayName?: string } | null;
}

interface GroupSchedule extends Schedule {
  groupId: string;
  accessId: 'member' | 'owner';
  group?: { displayName?: string } | null;
}

/** `name` is what the plan preview and the step's detail show, with the start date. */
type ScheduledAssignment = { kind: 'role'; id: string; name: string; schedule: RoleSchedule } | { kind: 'group'; id: string; name: string; schedule: GroupSchedule };

const principalFilter = (ctx: ActionContext) => encodeURIComponent(`principalId eq ${odataString(guidSegment(ctx.target.id))}`);

const WHAT = 'PIM assignments that start later';

async function hinted<T>(read: Promise<T>, permission: string): Promise<T> {
  try {
    return await read;
  } catch (err) {
    throw withPermissionHint(err, permission, WHAT);
  }
}

/** The role schedules list the active assignments too: those are the roles step's. null without PIM. */
const readRoleSchedules = (ctx: ActionContext) =>
  hinted(unlessTenantLacksPim(readAll<RoleSchedule>(ctx.graph, `/roleManagement/directory/roleAssignmentSchedules?$filter=${principalFilter(ctx)}&$expand=roleDefinition`)), ROLE_PERMISSION);

const readGroupSchedules = (ctx: ActionContext) =>
  hinted(unlessTenantLacksPim(readAll<GroupSchedule>(ctx.graph, `/identityGovernance/privilegedAccess/group/assignmentSchedules?$filter=${principalFilter(ctx)}&$expand=group`)), GROUP_PERMISSION);

const startOf = (s: Schedule) => s.scheduleInfo?.startDateTime ?? null;

/** Starts after `now`: an assignment already running is an active role or a membership, which other steps end. */
const startsLater = (now: Date) => (s: Schedule) => {
  const start = startOf(s);
  return start !== null && Date.parse(start) > now.getTime();
};

const isOwn = (s: Schedule) => !s.memberType || s.memberType.toLowerCase() === 'direct';

const fromDate = (s: Schedule) => ` from ${(startOf(s) ?? '').slice(0, 10)}`;

interface Found {
  own: ScheduledAssignment[];
  /** Through a group the user is in: they end with that membership. */
  inherited: ScheduledAssignment[];
  noPim: boolean;
}

async function readScheduled(ctx: ActionContext, now = new Date()): Promise<Found> {
  const [roles, groups] = await Promise.all([readRoleSchedules(ctx), readGroupSchedules(ctx)]);
  const later = startsLater(now);
  const all: ScheduledAssignment[] = [
    ...(roles ?? []).filter(later).map((s) => ({ kind: 'role' as const, id: s.id, name: `${roleName(s)}${fromDate(s)}`, schedule: s })),
    ...(groups ?? []).filter(later).map((s) => ({ kind: 'group' as const, id: s.id, name: `${groupAccessName(s)}${fromDate(s)}`, schedule: s })),
  ];
  return { own: all.filter((a) => isOwn(a.schedule)), inherited: all.filter((a) => !isOwn(a.schedule)), noPim: roles === null || groups === null };
}

const NO_PIM = 'No PIM in this tenant (no Entra ID P2 licence): nothing can be scheduled.';

const names = (assignments: ScheduledAssignment[]) => assignments.map((a) => a.name).join(', ');

function foundText({ own, inherited }: Found): string {
  const viaGroups = inherited.length > 0 ? `; through a group, not removed here: ${names(inherited)}` : '';
  if (own.length > 0) return `${names(own)}${viaGroups}`;
  if (inherited.length > 0) return `no assignment of the user's own starts later${viaGroups}.`;
  return 'no directory role, group membership or group ownership is assigned to the user from a later date (PIM).';
}

async function cancel(ctx: ActionContext, a: ScheduledAssignment): Promise<void> {
  const ticket = ctx.request.ticket ? `, ticket ${ctx.request.ticket}` : '';
  const common = { action: 'adminRemove', principalId: guidSegment(ctx.target.id), justification: `Offboarding (case ${ctx.caseId}${ticket})` };
  try {
    if (a.kind === 'role') {
      await ctx.graph.send('POST', '/roleManagement/directory/roleAssignmentScheduleRequests', {
        ...common,
        roleDefinitionId: a.schedule.roleDefinitionId,
        directoryScopeId: a.schedule.directoryScopeId,
      });
    } else {
      await ctx.graph.send('POST', '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests', {
        ...common,
        groupId: guidSegment(a.schedule.groupId),
        accessId: a.schedule.accessId,
      });
    }
  } catch (err) {
    if (!pimRemovalFoundNothing(err)) throw withPermissionHint(err, a.kind === 'role' ? ROLE_PERMISSION : GROUP_PERMISSION, WHAT);
  }
}

/**
 * Cancels the user's PIM assignments that start later, directory roles and PIM for Groups alike,
 * with an adminRemove request each. One through a group the user is in is noted, not removed: it
 * is the group's, and ends with the membership. A tenant without Entra ID P2 has none: skipped.
 */
export const removeScheduledAssignments: OffboardingAction<ScheduledAssignment> = {
  name: 'removeScheduledAssignments',
  async plan(ctx) {
    const found = await readScheduled(ctx);
    const { own, inherited, noPim } = found;
    if (noPim && own.length === 0 && inherited.length === 0) return { changes: [], found: NO_PIM, stop: { status: 'skipped', reason: NO_PIM } };
    const notes = inherited.map((a) => `Assigned ${a.name} through a group, not removed here: it ends when the user leaves that group.`);
    return { changes: own, found: foundText(found), notes };
  },
  async apply(ctx, plan) {
    const failures = await eachObject(
      plan.changes,
      (a) => cancel(ctx, a),
      (a, err) => `Could not cancel ${a.name}: ${describeError(err)}`,
    );
    const cancelled = plan.changes.length - failures.length;
    return { detail: `Cancelled ${cancelled} of ${plan.changes.length} assignment(s) that would start later: ${names(plan.changes)}.`, failures };
  },
  async verify(ctx, plan) {
    // Read with the start dates as planned: one that started since is now an active role or a
    // membership, and must still count as left.
    const { own } = await readScheduled(ctx, new Date(0));
    const left = own.filter((a) => plan.changes.some((p) => p.kind === a.kind && p.id === a.id));
    return left.length === 0 ? { ok: true, detail: '(verified: none left)' } : { ok: false, detail: `Still assigned: ${names(left)}.` };
  },
};
