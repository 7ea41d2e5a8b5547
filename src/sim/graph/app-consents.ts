/** Service principals, delegated permission grants a user consented to, and app roles assigned to the user. */
import { representApp } from './apps';
import { findGroup, findUser } from './directory-objects';
import { resourceNotFound } from './errors';
import type { SimServicePrincipal } from '../workplace';
import type { TenantState } from '../state';
import { applyQuery, type Json } from './odata';
import type { EntitySchema } from './odata-filter';
import { plainList, sameId } from './plain-list';
import { noContent, ok, type GraphRequest } from './request';
import type { Route } from './router';

const SERVICE_PRINCIPAL_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.servicePrincipal',
  resourceName: 'ServicePrincipal',
  properties: ['id', 'appId', 'displayName'],
  filterable: ['id', 'appId', 'displayName'],
};

/** A service principal as Graph lists it: its properties, not its owners (a relationship). */
function principal(sp: SimServicePrincipal): Json {
  const { '@odata.type': _type, ...properties } = representApp(sp, 'servicePrincipal');
  return properties;
}

/** The app role assignments of one user or group, as Graph lists them. */
function assignmentsOf(req: GraphRequest, state: TenantState, set: 'users' | 'groups', principalId: string) {
  const assignments = state.appRoleAssignments.filter((a) => a.principalId === principalId);
  return plainList(req, `${set}('${principalId}')/appRoleAssignments`, 'microsoft.graph.appRoleAssignment', assignments.map((a) => ({ ...a, deletedDateTime: null })));
}

export const appConsentRoutes: Route[] = [
  {
    // How an app finds its own service principal: ?$filter=appId eq '{client id}'.
    method: 'GET',
    pattern: 'servicePrincipals',
    handle: (req, _params, state) => {
      const found = applyQuery(req, state.servicePrincipals, SERVICE_PRINCIPAL_SCHEMA);
      return plainList(req, 'servicePrincipals', 'microsoft.graph.servicePrincipal', found.map(principal));
    },
  },
  {
    method: 'GET',
    pattern: 'servicePrincipals/:id',
    handle: (req, params, state) => {
      const sp = state.servicePrincipals.find((p) => sameId(p.id, params.id));
      if (!sp) throw resourceNotFound(params.id);
      const select = req.url.searchParams.get('$select')?.split(',').map((f) => f.trim());
      const fields = Object.entries(principal(sp)).filter(([k]) => !select || select.includes(k) || k === 'id');
      return ok({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity', ...Object.fromEntries(fields) });
    },
  },
  {
    method: 'GET',
    pattern: 'users/:id/oauth2PermissionGrants',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const grants = state.oauth2Grants.filter((g) => g.consentType === 'Principal' && g.principalId === user.id);
      return plainList(req, 'oauth2PermissionGrants', 'microsoft.graph.oAuth2PermissionGrant', grants.map((g) => ({ ...g })));
    },
  },
  {
    method: 'DELETE',
    pattern: 'oauth2PermissionGrants/:id',
    handle: (_req, params, state) => {
      const grant = state.oauth2Grants.find((g) => sameId(g.id, params.id));
      if (!grant) throw resourceNotFound(params.id);
      state.oauth2Grants = state.oauth2Grants.filter((g) => g !== grant);
      return noContent();
    },
  },
  {
    // docs: group-list-approleassignments: the apps a group's members are assigned through it
    method: 'GET',
    pattern: 'groups/:id/appRoleAssignments',
    handle: (req, params, state) => assignmentsOf(req, state, 'groups', findGroup(state, params.id).id),
  },
  {
    method: 'GET',
    pattern: 'users/:id/appRoleAssignments',
    handle: (req, params, state) => assignmentsOf(req, state, 'users', findUser(state, params.id).id),
  },
  {
    method: 'DELETE',
    pattern: 'users/:id/appRoleAssignments/:assignmentId',
    handle: (_req, params, state) => {
      const user = findUser(state, params.id);
      const assignment = state.appRoleAssignments.find((a) => a.principalId === user.id && sameId(a.id, params.assignmentId));
      if (!assignment) throw resourceNotFound(params.assignmentId);
      state.appRoleAssignments = state.appRoleAssignments.filter((a) => a !== assignment);
      return noContent();
    },
  },
];
