/**
 * PIM for Groups eligibilities, as Graph v1.0 documents them under
 * /identityGovernance/privilegedAccess/group: list the schedules (scoped by principal or group,
 * the group expandable) and remove one with an adminRemove eligibilityScheduleRequest.
 */
import { randomUUID } from 'node:crypto';
import type { SimGroupEligibility } from '../group-eligibility-state';
import type { TenantState } from '../state';
import { representGroup } from './directory-objects';
import { badRequest, GraphHttpError } from './errors';
import { applyQuery, parseSelect, pick, type Json } from './odata';
import type { EntitySchema } from './odata-filter';
import { sameId } from './plain-list';
import { contextUrl, jsonBody, ok, type GraphRequest } from './request';
import { eligibilityDoesNotExist, requiredText, stillEligible } from './role-eligibility';
import type { Route } from './router';

const SCHEDULES = 'identityGovernance/privilegedAccess/group/eligibilitySchedules';

const SCHEDULE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.privilegedAccessGroupEligibilitySchedule',
  resourceName: 'PrivilegedAccessGroupEligibilitySchedule',
  properties: ['id', 'accessId', 'createdDateTime', 'createdUsing', 'groupId', 'memberType', 'modifiedDateTime', 'principalId', 'scheduleInfo', 'status'],
  filterable: ['id', 'accessId', 'createdUsing', 'groupId', 'memberType', 'principalId', 'status'],
};

const ACTIONS = ['adminAssign', 'adminUpdate', 'adminRemove', 'selfActivate', 'selfDeactivate', 'adminExtend', 'adminRenew'];
const ACCESS_IDS = ['member', 'owner'];

function represent(e: SimGroupEligibility): Json {
  return {
    id: e.id,
    accessId: e.accessId,
    createdDateTime: e.createdDateTime,
    createdUsing: e.id.split('_').pop() ?? e.id,
    groupId: e.groupId,
    memberType: e.memberType ?? 'Direct',
    modifiedDateTime: null,
    principalId: e.principalId,
    scheduleInfo: {
      startDateTime: e.createdDateTime,
      recurrence: null,
      expiration: e.endDateTime ? { type: 'afterDateTime', endDateTime: e.endDateTime, duration: null } : { type: 'noExpiration', endDateTime: null, duration: null },
    },
    status: 'Provisioned',
  };
}

/**
 * The docs say this list requires a $filter (eq) on principalId or groupId; the wording of the
 * refusal is ours, since the docs do not give Graph's.
 */
function requireScope(req: GraphRequest): void {
  const filter = req.url.searchParams.get('$filter') ?? '';
  if (!/\b(principalId|groupId)\s+eq\s/i.test(filter)) {
    throw badRequest("The $filter query parameter must scope the request to a principalId or a groupId (eq).");
  }
}

function expandsGroup(raw: string | null): boolean {
  if (raw === null) return false;
  if (raw.trim() !== 'group') {
    throw new GraphHttpError(400, 'Request_UnsupportedQuery', `$expand=${raw} is not implemented by the simulated tenant (only group is).`);
  }
  return true;
}

function expandedGroup(state: TenantState, groupId: string): Json | null {
  const group = [...state.groups.values()].find((g) => sameId(g.id, groupId));
  return group ? representGroup(group) : null;
}

/** A case-insensitive enum value in Graph's spelling (the docs' own example sends "AdminAssign"). */
function enumValue(body: Json, name: string, allowed: readonly string[]): string {
  const raw = requiredText(body, name);
  const value = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!value) throw badRequest(`Requested value '${raw}' was not found.`);
  return value;
}

function adminRemove(req: GraphRequest, state: TenantState) {
  const body = jsonBody(req);
  const action = enumValue(body, 'action', ACTIONS);
  if (action !== 'adminRemove') throw new GraphHttpError(400, 'Request_UnsupportedQuery', `action '${action}' is not implemented by the simulated tenant (only adminRemove is).`);
  const accessId = enumValue(body, 'accessId', ACCESS_IDS);
  const principalId = requiredText(body, 'principalId');
  const groupId = requiredText(body, 'groupId');
  const index = state.groupEligibilities.findIndex(
    (e) => sameId(e.principalId, principalId) && sameId(e.groupId, groupId) && e.accessId === accessId && (e.memberType ?? 'Direct') === 'Direct' && stillEligible(e),
  );
  // PIM answers a removal of what the principal does not hold (nor holds only through a group, or
  // held until it expired) as it does for directory roles.
  if (index < 0) throw eligibilityDoesNotExist();
  state.groupEligibilities.splice(index, 1);
  const now = new Date().toISOString();
  return {
    status: 201,
    body: {
      '@odata.context': contextUrl(req, 'identityGovernance/privilegedAccess/group/eligibilityScheduleRequests/$entity'),
      id: randomUUID(),
      status: 'Revoked',
      createdDateTime: now,
      completedDateTime: now,
      approvalId: null,
      customData: null,
      action,
      isValidationOnly: false,
      justification: typeof body.justification === 'string' ? body.justification : null,
      principalId,
      accessId,
      groupId,
      targetScheduleId: null,
      scheduleInfo: null,
      createdBy: { application: null, device: null, user: null },
      ticketInfo: { ticketNumber: null, ticketSystem: null },
    },
  };
}

export const groupEligibilityRoutes: Route[] = [
  {
    method: 'GET',
    pattern: SCHEDULES,
    handle: (req, _params, state) => {
      requireScope(req);
      const expand = expandsGroup(req.url.searchParams.get('$expand'));
      const select = parseSelect(req.url.searchParams.get('$select'), SCHEDULE_SCHEMA);
      const found = applyQuery(req, state.groupEligibilities.filter((e) => stillEligible(e)).map(represent), SCHEDULE_SCHEMA);
      const value = found.map((e) => {
        const shown = select ? pick(e, select) : e;
        return expand ? { ...shown, group: expandedGroup(state, String(e.groupId)) } : shown;
      });
      return ok({ '@odata.context': contextUrl(req, select ? `${SCHEDULES}(${select.join(',')})` : SCHEDULES), value });
    },
  },
  {
    method: 'POST',
    pattern: 'identityGovernance/privilegedAccess/group/eligibilityScheduleRequests',
    handle: (req, _params, state) => adminRemove(req, state),
  },
];
