/**
 * PIM eligibilities: list the schedules (filtered by principal, a user's or a group's, definition
 * expandable) and remove one with an adminRemove request, as Graph v1.0 documents
 * roleEligibilityScheduleRequests. A tenant without Entra ID P2 answers these with 400
 * AadPremiumLicenseRequired: tests inject that with the fault injector. The request reading and
 * answering here serve roleAssignmentScheduleRequests too (assignment-schedules.ts).
 */
import { randomUUID } from 'node:crypto';
import type { TenantState } from '../state';
import type { SimRoleEligibility } from '../workplace';
import { badRequest, GraphHttpError } from './errors';
import type { Json } from './odata';
import { applyQuery } from './odata';
import type { EntitySchema } from './odata-filter';
import { sameId } from './plain-list';
import { contextUrl, jsonBody, ok, type GraphRequest, type GraphResponse } from './request';
import { expandsDefinition, roleDefinition } from './role-definitions';
import type { Route } from './router';

const SCHEDULE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.unifiedRoleEligibilitySchedule',
  resourceName: 'UnifiedRoleEligibilitySchedule',
  properties: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'createdDateTime', 'memberType'],
  filterable: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'memberType'],
};

/** unifiedRoleScheduleRequestActions: the same for eligibility and assignment schedule requests. */
const ACTIONS = ['adminAssign', 'adminUpdate', 'adminRemove', 'selfActivate', 'selfDeactivate', 'adminExtend', 'adminRenew', 'selfExtend', 'selfRenew'];

/** A schedule's scheduleInfo as Graph shows it: from its start, until its end or for good. */
export function scheduleInfo(startDateTime: string, endDateTime: string | null): Json {
  return {
    startDateTime,
    recurrence: null,
    expiration: endDateTime ? { type: 'afterDateTime', endDateTime, duration: null } : { type: 'noExpiration', endDateTime: null, duration: null },
  };
}

function represent(state: TenantState, e: SimRoleEligibility, expand: boolean): Json {
  const body: Json = {
    id: e.id,
    principalId: e.principalId,
    roleDefinitionId: e.roleDefinitionId,
    directoryScopeId: e.directoryScopeId,
    appScopeId: null,
    createdUsing: e.id,
    createdDateTime: e.createdDateTime,
    modifiedDateTime: null,
    status: 'Provisioned',
    memberType: e.memberType ?? 'Direct',
    scheduleInfo: scheduleInfo(e.createdDateTime, e.endDateTime),
  };
  if (expand) body.roleDefinition = roleDefinition(state, e.roleDefinitionId);
  return body;
}

/** An eligibility whose end has passed is over: PIM no longer lists it, nor can it be removed. */
export function stillEligible(e: { endDateTime: string | null }, now = new Date()): boolean {
  return e.endDateTime === null || Date.parse(e.endDateTime) > now.getTime();
}

/** What Graph lists: the eligibilities still running, each with its memberType. */
const currentEligibilities = (state: TenantState) =>
  state.roleEligibilities.filter((e) => stillEligible(e)).map((e) => ({ ...e, memberType: e.memberType ?? 'Direct' }));

export function requiredText(body: Json, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw badRequest(`The property '${name}' is required.`);
  return value;
}

/**
 * Graph answers an adminRemove of an eligibility the principal does not hold with 400
 * RoleAssignmentDoesNotExist: the code is the one PIM documents for a missing assignment and the
 * one reported for adminRemove in practice; the message text is our best guess of Graph's.
 */
export function eligibilityDoesNotExist(): GraphHttpError {
  return new GraphHttpError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
}

/** What an adminRemove request for a directory role schedule (eligibility or assignment) names. */
export interface RoleRemoval {
  action: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  justification: string | null;
}

/**
 * Reads a unifiedRoleEligibilityScheduleRequest or unifiedRoleAssignmentScheduleRequest body: an
 * unknown action is refused as Graph refuses an unknown enum value; a valid one other than
 * adminRemove is not implemented by the simulated tenant.
 */
export function readRoleRemoval(req: GraphRequest): RoleRemoval {
  const body = jsonBody(req);
  const action = requiredText(body, 'action');
  if (!ACTIONS.includes(action)) throw badRequest(`Requested value '${action}' was not found.`);
  if (action !== 'adminRemove') throw notImplementedAction(action);
  return {
    action,
    principalId: requiredText(body, 'principalId'),
    roleDefinitionId: requiredText(body, 'roleDefinitionId'),
    directoryScopeId: requiredText(body, 'directoryScopeId'),
    justification: typeof body.justification === 'string' ? body.justification : null,
  };
}

export function notImplementedAction(action: string): GraphHttpError {
  return new GraphHttpError(400, 'Request_UnsupportedQuery', `action '${action}' is not implemented by the simulated tenant (only adminRemove is).`);
}

/** Whether a role schedule or assignment is the one a removal names: same principal, role and scope. */
export const namesRole =
  (removal: RoleRemoval) =>
  (r: { principalId: string; roleDefinitionId: string; directoryScopeId: string }): boolean =>
    sameId(r.principalId, removal.principalId) && sameId(r.roleDefinitionId, removal.roleDefinitionId) && r.directoryScopeId === removal.directoryScopeId;

/**
 * Graph's 201 answer to an adminRemove schedule request (directory roles and PIM for Groups alike),
 * posted to `requests` (the request collection's path): `named` is what the request named.
 * PIM for Groups reports the request completed at once; the directory's leaves that null.
 */
export function revokedRequest(req: GraphRequest, requests: string, named: Json, completedAtOnce: boolean): GraphResponse {
  const now = new Date().toISOString();
  return {
    status: 201,
    body: {
      '@odata.context': contextUrl(req, `${requests}/$entity`),
      id: randomUUID(),
      status: 'Revoked',
      createdDateTime: now,
      completedDateTime: completedAtOnce ? now : null,
      approvalId: null,
      customData: null,
      isValidationOnly: false,
      targetScheduleId: null,
      scheduleInfo: null,
      createdBy: { application: null, device: null, user: null },
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      ...named,
    },
  };
}

/** The answer to a directory role schedule's adminRemove request. */
export const revokedRoleRequest = (req: GraphRequest, requests: string, removal: RoleRemoval): GraphResponse =>
  revokedRequest(req, requests, { ...removal, appScopeId: null }, false);

export const roleEligibilityRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'roleManagement/directory/roleEligibilitySchedules',
    handle: (req, _params, state) => {
      const expand = expandsDefinition(req.url.searchParams.get('$expand'));
      const found = applyQuery(req, currentEligibilities(state), SCHEDULE_SCHEMA);
      return ok({ '@odata.context': contextUrl(req, 'roleManagement/directory/roleEligibilitySchedules'), value: found.map((e) => represent(state, e, expand)) });
    },
  },
  {
    method: 'POST',
    pattern: 'roleManagement/directory/roleEligibilityScheduleRequests',
    handle: (req, _params, state) => {
      const removal = readRoleRemoval(req);
      // Only the principal's own (Direct) eligibility can be removed in its name; one it has through
      // a group is the group's, and PIM answers as for one it does not hold.
      const index = state.roleEligibilities.findIndex(
        (e) => namesRole(removal)(e) && (e.memberType ?? 'Direct') === 'Direct' && stillEligible(e),
      );
      if (index < 0) throw eligibilityDoesNotExist();
      state.roleEligibilities.splice(index, 1);
      return revokedRoleRequest(req, 'roleManagement/directory/roleEligibilityScheduleRequests', removal);
    },
  },
];
