/**
 * The directory roles an app holds in the simulated tenant: assigned to its service principal for
 * the whole directory, as Exchange Online and Entra's sensitive-attribute rules read them. A role
 * scoped to an administrative unit does not count for the tenant-wide work the app does.
 */
import type { TenantState } from './state';

// Microsoft's built-in role template ids.
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const EXCHANGE_ADMINISTRATOR = '29232cdf-9323-42fd-ade2-1d097af3e4de';
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/** Roles that may block sign-in and reset passwords of users below them. */
export const MAY_CHANGE_SENSITIVE_ATTRIBUTES = [USER_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR];
/** Roles whose Exchange role groups run the mailbox cmdlets the app uses (litigation hold included). */
export const MAY_RUN_EXCHANGE_CMDLETS = [EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR];

export function appHoldsAnyRole(state: TenantState, appId: string, roleTemplateIds: readonly string[]): boolean {
  const principal = state.servicePrincipals.find((sp) => sp.appId.toLowerCase() === appId.toLowerCase());
  if (!principal) return false;
  return state.roleAssignments.some(
    (a) => a.principalId.toLowerCase() === principal.id.toLowerCase() && a.directoryScopeId === '/' && roleTemplateIds.includes(a.roleDefinitionId.toLowerCase()),
  );
}
