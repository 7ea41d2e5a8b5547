/**
 * PIM assignment schedules, as Graph v1.0 documents them: the directory's roleAssignmentSchedules
 * (every active role assignment, made through PIM or not, and those that start later) with
 * adminRemove roleAssignmentScheduleRequests; and PIM for Groups assignmentSchedules (memberships
 * and ownerships assigned through PIM that start later) with adminRemove assignmentScheduleRequests.
 * Memberships made outside PIM, and those a schedule has started (the simulator keeps them as
 * plain memberships), have no PIM for Groups schedule here. A tenant without Entra ID P2 answers
 * with 400 AadPremiumLicenseRequired: tests inject that with the fault injector.
 */
import type { SimScheduledGroupAssignment, SimScheduledRoleAssignment } from '../scheduled-access-state';
import { ACCOUNTS_CREATED_AT, type TenantState } from '../state';
import type { SimRoleAssignment } from '../workplace';
import { groupScheduleList, namesGroupAccess, readGroupRemoval, revokedGroupRequest } from './group-eligibility';
import { applyQuery, type Json } from './odata';
import type { EntitySchema } from './odata-filter';
import { contextUrl, ok } from './request';
import { expandsDefinition, roleDefinition } from './role-definitions';
import { eligibilityDoesNotExist, namesRole, readRoleRemoval, revokedRoleRequest, scheduleInfo, stillEligible } from './role-eligibility';
import type { Route } from './router';

const ROLE_SCHEDULES = 'roleManagement/directory/roleAssignmentSchedules';
const ROLE_REQUESTS = 'roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP_SCHEDULES = 'identityGovernance/privilegedAccess/group/assignmentSchedules';
const GROUP_REQUESTS = 'identityGovernance/privilegedAccess/group/assignmentScheduleRequests';

const ROLE_SCHEDULE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.unifiedRoleAssignmentSchedule',
  resourceName: 'UnifiedRoleAssignmentSchedule',
  properties: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'createdUsing', 'createdDateTime', 'modifiedDateTime', 'status', 'memberType', 'assignmentType', 'scheduleInfo'],
  filterable: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'memberType', 'assignmentType'],
};

const GROUP_SCHEDULE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.privilegedAccessGroupAssignmentSchedule',
  resourceName: 'PrivilegedAccessGroupAssignmentSchedule',
  properties: ['id', 'accessId', 'assignmentType', 'createdDateTime', 'createdUsing', 'groupId', 'memberType', 'modifiedDateTime', 'principalId', 'scheduleInfo', 'status'],
  filterable: ['id', 'accessId', 'assignmentType', 'createdUsing', 'groupId', 'memberType', 'principalId', 'status'],
};

/** A role schedule in Graph's shape, without its roleDefinition. */
function roleSchedule(id: string, r: Omit<SimRoleAssignment, 'id'>, created: string, start: string, end: string | null, memberType: string): Json {
  return {
    id,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    appScopeId: null,
    createdUsing: id,
    createdDateTime: created,
    modifiedDateTime: null,
    status: 'Provisioned',
    memberType,
    assignmentType: 'Assigned',
    scheduleInfo: scheduleInfo(start, end),
  };
}

/**
 * Every active assignment has a schedule, made through PIM or not; the simulator keeps no dates
 * for them, so each shows as running for good since the accounts were created.
 */
const activeSchedule = (a: SimRoleAssignment) => roleSchedule(a.id, a, ACCOUNTS_CREATED_AT, ACCOUNTS_CREATED_AT, null, 'Direct');

const laterSchedule = (a: SimScheduledRoleAssignment) => roleSchedule(a.id, a, a.createdDateTime, a.startDateTime, a.endDateTime, a.memberType ?? 'Direct');

function roleSchedules(state: TenantState): Json[] {
  const now = new Date();
  return [...state.roleAssignments.map(activeSchedule), ...state.scheduledRoleAssignments.filter((a) => stillEligible(a, now)).map(laterSchedule)];
}

function groupSchedule(a: SimScheduledGroupAssignment): Json {
  return {
    id: a.id,
    accessId: a.accessId,
    assignmentType: 'assigned',
    createdDateTime: a.createdDateTime,
    createdUsing: a.id.split('_').pop() ?? a.id,
    groupId: a.groupId,
    memberType: (a.memberType ?? 'Direct').toLowerCase(),
    modifiedDateTime: null,
    principalId: a.principalId,
    scheduleInfo: scheduleInfo(a.startDateTime, a.endDateTime),
    status: 'Provisioned',
  };
}

const isOwn = (a: { memberType?: string }) => (a.memberType ?? 'Direct') === 'Direct';

export const assignmentScheduleRoutes: Route[] = [
  {
    method: 'GET',
    pattern: ROLE_SCHEDULES,
    handle: (req, _params, state) => {
      const expand = expandsDefinition(req.url.searchParams.get('$expand'));
      const found = applyQuery(req, roleSchedules(state), ROLE_SCHEDULE_SCHEMA);
      const value = found.map((s) => (expand ? { ...s, roleDefinition: roleDefinition(state, String(s.roleDefinitionId)) } : s));
      return ok({ '@odata.context': contextUrl(req, ROLE_SCHEDULES), value });
    },
  },
  {
    method: 'POST',
    pattern: ROLE_REQUESTS,
    handle: (req, _params, state) => {
      const removal = readRoleRemoval(req);
      const named = namesRole(removal);
      const now = new Date();
      // Ends the principal's own assignment however it was made, active or starting later; one held
      // through a group is the group's, and PIM answers as for one the principal does not hold.
      const scheduled = state.scheduledRoleAssignments.filter((a) => named(a) && isOwn(a) && stillEligible(a, now));
      const active = state.roleAssignments.filter(named);
      if (scheduled.length === 0 && active.length === 0) throw eligibilityDoesNotExist();
      state.scheduledRoleAssignments = state.scheduledRoleAssignments.filter((a) => !scheduled.includes(a));
      state.roleAssignments = state.roleAssignments.filter((a) => !active.includes(a));
      return revokedRoleRequest(req, ROLE_REQUESTS, removal);
    },
  },
  {
    method: 'GET',
    pattern: GROUP_SCHEDULES,
    handle: (req, _params, state) => {
      const now = new Date();
      const running = state.scheduledGroupAssignments.filter((a) => stillEligible(a, now)).map(groupSchedule);
      return groupScheduleList(req, state, GROUP_SCHEDULES, GROUP_SCHEDULE_SCHEMA, running);
    },
  },
  {
    method: 'POST',
    pattern: GROUP_REQUESTS,
    handle: (req, _params, state) => {
      const removal = readGroupRemoval(req);
      const named = namesGroupAccess(removal);
      const now = new Date();
      const removed = state.scheduledGroupAssignments.filter((a) => named(a) && isOwn(a) && stillEligible(a, now));
      if (removed.length === 0) throw eligibilityDoesNotExist();
      state.scheduledGroupAssignments = state.scheduledGroupAssignments.filter((a) => !removed.includes(a));
      return revokedGroupRequest(req, GROUP_REQUESTS, removal);
    },
  },
];
