/**
 * Which users the app may not disable or reset. The app acts with the User Administrator role
 * (docs/m365-api.md), and Entra decides from the target's roles at the moment of the call (Graph
 * docs, users.md: "Who can update sensitive attributes?"): a User Administrator may change users
 * with no role or only the roles below, and never a member or owner of a role-assignable group.
 */
import type { TenantState } from '../state';

/** Role template ids a User Administrator outranks. */
const BELOW_USER_ADMINISTRATOR = new Set([
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', // Directory Readers
  'fdd7a751-b60b-444a-984c-02652fe8fa1c', // Groups Administrator
  '95e79109-95c0-4d8e-aee3-d01accf2d47b', // Guest Inviter
  '729827e3-9c14-49f7-bb1b-9608f156bbb8', // Helpdesk Administrator
  '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', // Message Center Reader
  '966707d0-3269-4727-9be2-8c3a10f19b9d', // Password Administrator
  '4a5d8f65-41da-4de4-8968-e035b65339cf', // Reports Reader
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  '75934031-6c7e-415a-99d7-48dbd49e875e', // Usage Summary Reports Reader
]);

/**
 * True while the user holds an active role above the app's, or belongs to (or owns) a
 * role-assignable group: such a group is the only way to hold a role through a group, and Entra
 * protects its members whatever the group holds, so a role cannot be slipped past the check.
 */
export function outranksTheApp(state: TenantState, userId: string): boolean {
  const id = userId.toLowerCase();
  const holds = (ids: string[]) => ids.some((m) => m.toLowerCase() === id);
  const inRoleGroup = [...state.groups.values()].some((g) => g.isAssignableToRole === true && (holds(g.memberIds) || holds(g.ownerIds)));
  const aboveApp = state.roleAssignments.some((a) => a.principalId.toLowerCase() === id && !BELOW_USER_ADMINISTRATOR.has(a.roleDefinitionId.toLowerCase()));
  return inRoleGroup || aboveApp;
}
