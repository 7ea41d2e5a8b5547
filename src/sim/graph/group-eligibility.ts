/**
 * PIM for Groups eligibilities, as Graph v1.0 documents them under
 * /identityGovernance/privilegedAccess/group: list the schedules (scoped by principal or group,
 * the group expandable) and remove one with an adminRemove eligibilityScheduleRequest. The listing
 * and request handling here serve PIM for Groups assignment schedules too (assignment-schedules.ts).
 */
import type { SimGroupEligibility } from '../group-eligibility-state';
import type { TenantState } from '../state';
import { representGroup } from './directory-objects';
import { badRequest, GraphHttpError } from './errors';
import { applyQuery, parseSelect, pick, type Json } from './odata';
import type { EntitySchema } from './odata-filter';
import { sameId } from './plain-list';
import { contextUrl, jsonBody, ok, type GraphRequest, type GraphResponse } from './request';
import { eligibilityDoesNotExist, notImplementedAction, requiredText, revokedRequest, scheduleInfo, stillEligible } from './role-eligibility';
import type { Route } from './router';

const SCHEDULES = 'identityGovernance/privilegedAccess/group/eligibilitySchedules';

const SCHEDULE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.privilegedAccessGroupEligibilitySchedule',
  resourceName: 'PrivilegedAccessGroupEligibilitySchedule',
  properties: ['id', 'accessId', 'createdDateTime', 'createdUsing', 'groupId', 'memberType', 'modifiedDateTime', 'principalId', 'scheduleInfo', 'status'],
  filterable: ['id', 'accessId', 'createdUsing', 'groupId', 'memberType', 'principalId', 'status'],
};

/** The actions of a PIM for Groups request, eligibility or assignment alike. */
const ACTIONS = ['adminAssign', 'adminUpdate', 'adminRemove', 'selfActivate', 'selfDeactivate', 'adminExtend', 'adminRenew'];
const ACCESS_IDS = ['member', 'owner'] as const;

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
    scheduleInfo: scheduleInfo(e.createdDateTime, e.endDateTime),
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

/** What an adminRemove request for a PIM for Groups schedule (eligibility or assignment) names. */
export interface GroupRemoval {
  action: string;
  accessId: (typeof ACCESS_IDS)[number];
  principalId: string;
  groupId: string;
  justification: string | null;
}

/** Reads a PIM for Groups eligibility or assignment schedule request; only adminRemove is implemented. */
export function readGroupRemoval(req: GraphRequest): GroupRemoval {
  const body = jsonBody(req);
  const action = enumValue(body, 'action', ACTIONS);
  if (action !== 'adminRemove') throw notImplementedAction(action);
  return {
    action,
    accessId: enumValue(body, 'accessId', ACCESS_IDS) as GroupRemoval['accessId'],
    principalId: requiredText(body, 'principalId'),
    groupId: requiredText(body, 'groupId'),
    justification: typeof body.justification === 'string' ? body.justification : null,
  };
}

/** Whether a group schedule is the one a removal names: same principal, group and access. */
export const namesGroupAccess =
  (removal: GroupRemoval) =>
  (s: { principalId: string; groupId: string; accessId: string }): boolean =>
    sameId(s.principalId, removal.principalId) && sameId(s.groupId, removal.groupId) && s.accessId === removal.accessId;

/** The answer to a PIM for Groups schedule's adminRemove request, posted to `requests`. */
export const revokedGroupRequest = (req: GraphRequest, requests: string, removal: GroupRemoval): GraphResponse =>
  revokedRequest(req, requests, { ...removal }, true);

/**
 * A PIM for Groups schedule list at `entitySet`: scoped by principal or group, filtered, the group
 * expandable, the properties selectable.
 */
export function groupScheduleList(req: GraphRequest, state: TenantState, entitySet: string, schema: EntitySchema, schedules: Json[]): GraphResponse {
  requireScope(req);
  const expand = expandsGroup(req.url.searchParams.get('$expand'));
  const select = parseSelect(req.url.searchParams.get('$select'), schema);
  const found = applyQuery(req, schedules, schema);
  const value = found.map((e) => {
    const shown = select ? pick(e, select) : e;
    return expand ? { ...shown, group: expandedGroup(state, String(e.groupId)) } : shown;
  });
  return ok({ '@odata.context': contextUrl(req, select ? `${entitySet}(${select.join(',')})` : entitySet), value });
}

const REQUESTS = 'identityGovernance/privilegedAccess/group/eligibilityScheduleRequests';

function adminRemove(req: GraphRequest, state: TenantState): GraphResponse {
  const removal = readGroupRemoval(req);
  const index = state.groupEligibilities.findIndex((e) => namesGroupAccess(removal)(e) && (e.memberType ?? 'Direct') === 'Direct' && stillEligible(e));
  // PIM answers a removal of what the principal does not hold (nor holds only through a group, or
  // held until it expired) as it does for directory roles.
  if (index < 0) throw eligibilityDoesNotExist();
  state.groupEligibilities.splice(index, 1);
  return revokedGroupRequest(req, REQUESTS, removal);
}

export const groupEligibilityRoutes: Route[] = [
  {
    method: 'GET',
    pattern: SCHEDULES,
    handle: (req, _params, state) =>
      groupScheduleList(req, state, SCHEDULES, SCHEDULE_SCHEMA, state.groupEligibilities.filter((e) => stillEligible(e)).map(represent)),
  },
  {
    method: 'POST',
    pattern: REQUESTS,
    handle: (req, _params, state) => adminRemove(req, state),
  },
];
