/** Role definitions as assignments and eligibilities show them with $expand=roleDefinition. */
import type { TenantState } from '../state';
import { GraphHttpError } from './errors';
import type { Json } from './odata';
import { sameId } from './plain-list';

export function roleDefinition(state: TenantState, id: string): Json | null {
  const definition = state.roleDefinitions.find((d) => sameId(d.id, id));
  // isPrivileged is beta-only in Graph; v1.0 shows the rest.
  return definition
    ? { id: definition.id, displayName: definition.displayName, isBuiltIn: definition.isBuiltIn, templateId: definition.id, rolePermissions: definition.rolePermissions ?? [] }
    : null;
}

export function expandsDefinition(raw: string | null): boolean {
  if (raw === null) return false;
  if (raw.trim() !== 'roleDefinition') {
    throw new GraphHttpError(400, 'Request_UnsupportedQuery', `$expand=${raw} is not implemented by the simulated tenant (only roleDefinition is).`);
  }
  return true;
}
