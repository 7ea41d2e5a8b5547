/**
 * PIM assignments that start later (Graph's unifiedRoleAssignmentSchedule and
 * privilegedAccessGroupAssignmentSchedule with a future start): until their start they are neither
 * a role assignment, nor a membership, nor an eligibility, so removing those leaves them; at their
 * start PIM turns them into the access itself, whoever the principal has become by then.
 */
import { sameId } from './graph/plain-list';
import { daysAfter, daysBefore } from './seed-clock';
import type { TenantState } from './state';
import { refreshLicences } from './workplace';

/** A directory role assignment made through PIM that starts later (unifiedRoleAssignmentSchedule). */
export interface SimScheduledRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  createdDateTime: string;
  startDateTime: string;
  /** null for an assignment with no end. */
  endDateTime: string | null;
  /** Graph's memberType, 'Direct' when omitted; any other is held through something else and starts with it. */
  memberType?: 'Direct' | 'Group' | 'Inherited';
}

/** A PIM for Groups membership or ownership assignment that starts later (privilegedAccessGroupAssignmentSchedule). */
export interface SimScheduledGroupAssignment {
  /** Graph's form: {groupId}_{accessId}_{guid}. */
  id: string;
  principalId: string;
  groupId: string;
  accessId: 'member' | 'owner';
  createdDateTime: string;
  startDateTime: string;
  /** null for an assignment with no end. */
  endDateTime: string | null;
  /** Graph's memberType, 'Direct' when omitted; 'Group': held through a group the principal is in. */
  memberType?: 'Direct' | 'Group';
}

const isDirect = (a: { memberType?: string }) => (a.memberType ?? 'Direct') === 'Direct';
const hasStarted = (a: { startDateTime: string }, now: Date) => Date.parse(a.startDateTime) <= now.getTime();
/** One whose end has passed as well came and went while nobody looked: it gives nothing. */
const isOver = (a: { endDateTime: string | null }, now: Date) => a.endDateTime !== null && Date.parse(a.endDateTime) <= now.getTime();

/**
 * PIM turns a schedule into access at its start: each of the principal's own (Direct) schedules
 * that has started leaves the scheduled lists and becomes a role assignment (same id) or a
 * membership or ownership of the group. One held through something else starts with that
 * something, and is left alone. A started role assignment keeps no end: the simulator's role
 * assignments have none. Group-based licences follow a new membership at once.
 */
export function startDueAssignments(state: TenantState, now = new Date()): void {
  if (state.scheduledRoleAssignments.length === 0 && state.scheduledGroupAssignments.length === 0) return;
  const due = <T extends { startDateTime: string; memberType?: string }>(a: T) => isDirect(a) && hasStarted(a, now);

  const roles = state.scheduledRoleAssignments.filter(due);
  if (roles.length > 0) {
    state.scheduledRoleAssignments = state.scheduledRoleAssignments.filter((a) => !roles.includes(a));
    for (const a of roles.filter((r) => !isOver(r, now))) {
      state.roleAssignments.push({ id: a.id, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId });
    }
  }

  const groups = state.scheduledGroupAssignments.filter(due);
  if (groups.length === 0) return;
  state.scheduledGroupAssignments = state.scheduledGroupAssignments.filter((a) => !groups.includes(a));
  let membershipChanged = false;
  for (const a of groups.filter((g) => !isOver(g, now))) {
    const group = state.groups.get(a.groupId) ?? [...state.groups.values()].find((g) => sameId(g.id, a.groupId));
    if (!group) continue;
    const holders = a.accessId === 'member' ? group.memberIds : group.ownerIds;
    if (holders.includes(a.principalId)) continue;
    holders.push(a.principalId);
    membershipChanged ||= a.accessId === 'member';
  }
  if (membershipChanged) refreshLicences(state);
}

/**
 * Jane was to lead the clean-up of the company's groups: an admin assigned her Groups Administrator and a
 * membership of IT Operations through PIM, both from next week, for the months it would take.
 * Nobody cancelled them when she resigned: left in place, PIM would make her an administrator,
 * and a member of the group that approves offboarding, days after she has gone. PIM starts them by
 * the real clock, which the app reads too, so "next week" counts from when the tenant starts, even
 * when a test dates the tenant's recent activity from a fixed moment in the past.
 */
export function janesScheduledAccess(
  ids: { jane: string; itOperationsGroup: string; groupsAdministrator: string; janeGroupsAdminSchedule: string },
  seededAt: Date,
): { scheduledRoleAssignments: SimScheduledRoleAssignment[]; scheduledGroupAssignments: SimScheduledGroupAssignment[] } {
  const startsFrom = new Date(Math.max(seededAt.getTime(), Date.now()));
  return {
    scheduledRoleAssignments: [
      {
        id: ids.janeGroupsAdminSchedule,
        principalId: ids.jane,
        roleDefinitionId: ids.groupsAdministrator,
        directoryScopeId: '/',
        createdDateTime: daysBefore(seededAt, 41, '15:20:07'),
        startDateTime: daysAfter(startsFrom, 6),
        endDateTime: daysAfter(startsFrom, 96),
      },
    ],
    scheduledGroupAssignments: [
      {
        id: `${ids.itOperationsGroup}_member_c3a9e5d1-7f2b-4e8c-9a6d-0b4f1e2c8d57`,
        principalId: ids.jane,
        groupId: ids.itOperationsGroup,
        accessId: 'member',
        createdDateTime: daysBefore(seededAt, 41, '15:24:52'),
        startDateTime: daysAfter(startsFrom, 6),
        endDateTime: null,
      },
    ],
  };
}
