/**
 * Directory role assignments: list (filtered by principal), expand the definition, delete; and the
 * PIM eligibilities (role-eligibility.ts).
 */
import type { TenantState } from '../state';
import type { SimRoleAssignment } from '../workplace';
import { resourceNotFound } from './errors';
import type { Json } from './odata';
import { applyQuery } from './odata';
import type { EntitySchema } from './odata-filter';
import { sameId } from './plain-list';
import { contextUrl, noContent, ok } from './request';
import { expandsDefinition, roleDefinition } from './role-definitions';
import { roleEligibilityRoutes } from './role-eligibility';
import type { Route } from './router';

const ASSIGNMENT_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.unifiedRoleAssignment',
  resourceName: 'UnifiedRoleAssignment',
  properties: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId'],
  filterable: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId'],
};

function represent(state: TenantState, a: SimRoleAssignment, expand: boolean): Json {
  const body: Json = { id: a.id, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId, appScopeId: null, condition: null };
  if (expand) body.roleDefinition = roleDefinition(state, a.roleDefinitionId);
  return body;
}

export const roleManagementRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'roleManagement/directory/roleAssignments',
    handle: (req, _params, state) => {
      const expand = expandsDefinition(req.url.searchParams.get('$expand'));
      const found = applyQuery(req, state.roleAssignments, ASSIGNMENT_SCHEMA);
      return ok({ '@odata.context': contextUrl(req, 'roleManagement/directory/roleAssignments'), value: found.map((a) => represent(state, a, expand)) });
    },
  },
  {
    method: 'DELETE',
    pattern: 'roleManagement/directory/roleAssignments/:id',
    handle: (_req, params, state) => {
      const index = state.roleAssignments.findIndex((a) => sameId(a.id, params.id));
      if (index < 0) throw resourceNotFound(params.id);
      state.roleAssignments.splice(index, 1);
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: 'roleManagement/directory/roleDefinitions/:id',
    handle: (req, params, state) => {
      const definition = roleDefinition(state, params.id);
      if (!definition) throw resourceNotFound(params.id);
      return ok({ '@odata.context': contextUrl(req, 'roleManagement/directory/roleDefinitions/$entity'), ...definition });
    },
  },
  ...roleEligibilityRoutes,
];
