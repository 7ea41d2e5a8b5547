/** Deleting a user: gone from the directory, its memberships, ownerships and assignments with it. */
import type { TenantState } from '../state';
import { refreshLicences } from '../workplace';
import { findUser } from './directory-objects';
import { noContent } from './request';
import type { Route } from './router';

export function deleteUser(state: TenantState, idOrUpn: string): void {
  const user = findUser(state, idOrUpn);
  state.users.delete(user.id);
  state.deletedUsers.push(user);
  for (const group of state.groups.values()) {
    group.memberIds = group.memberIds.filter((id) => id !== user.id);
    group.ownerIds = group.ownerIds.filter((id) => id !== user.id);
  }
  state.roleAssignments = state.roleAssignments.filter((a) => a.principalId !== user.id);
  refreshLicences(state);
}

export const userDeletionRoutes: Route[] = [
  {
    method: 'DELETE',
    pattern: 'users/:id',
    handle: (_req, params, state) => {
      deleteUser(state, params.id);
      return noContent();
    },
  },
];
