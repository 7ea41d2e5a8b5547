/** Group owners: POST /groups/{g}/owners/$ref and DELETE /groups/{g}/owners/{id}/$ref, as Graph answers them. */
import type { SimGroup, TenantState } from '../state';
import { refreshLicences } from '../workplace';
import { findGroup } from './directory-objects';
import { badRequest, resourceNotFound } from './errors';
import { referencedObjectId } from './groups';
import { jsonBody, noContent } from './request';
import type { Route } from './router';

/** Exchange owns distribution lists and mail-enabled security groups (ManagedBy), not Graph. */
function ownersEditableInGraph(group: SimGroup): SimGroup {
  if (group.mailEnabled && !group.groupTypes.includes('Unified')) {
    throw badRequest('Cannot Update a mail-enabled security groups and or distribution list.', 'Request_BadRequest');
  }
  return group;
}

/**
 * Graph docs (group-delete-owners): "Once owners are assigned to a group, the last owner (a user
 * object) of the group cannot be removed", for Microsoft 365 and security groups alike. Only user
 * owners count. The code and text are what Graph answers (microsoft-graph-docs-contrib issue 3741).
 */
function keepsAUserOwner(state: TenantState, group: SimGroup, leavingId: string): void {
  const users = group.ownerIds.filter((id) => id !== leavingId && state.users.has(id));
  if (users.length === 0) throw badRequest('The group must have at least one owner, hence this owner cannot be removed.', 'Request_BadRequest');
}

/**
 * Graph known issue "Removing a group owner also removes the user as a group member", linked from
 * group-delete-owners for groups with a team: the membership goes with the ownership, and with it
 * any licence the group gives.
 */
function leaveTeamToo(state: TenantState, group: SimGroup, ownerId: string): void {
  if (!group.resourceProvisioningOptions.includes('Team')) return;
  group.memberIds = group.memberIds.filter((id) => id !== ownerId);
  refreshLicences(state);
}

export const groupOwnerRoutes: Route[] = [
  {
    method: 'POST',
    pattern: 'groups/:id/owners/$ref',
    handle: (req, params, state) => {
      const group = ownersEditableInGraph(findGroup(state, params.id));
      const ownerId = referencedObjectId(state, jsonBody(req)['@odata.id']);
      if (!state.users.has(ownerId)) throw badRequest('Only users and service principals can be owners of a group.', 'Request_BadRequest');
      if (group.ownerIds.includes(ownerId)) {
        throw badRequest("One or more added object references already exist for the following modified properties: 'owners'.", 'Request_BadRequest');
      }
      group.ownerIds.push(ownerId);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: 'groups/:id/owners/:ownerId/$ref',
    handle: (_req, params, state) => {
      const group = ownersEditableInGraph(findGroup(state, params.id));
      const ownerId = group.ownerIds.find((id) => id.toLowerCase() === params.ownerId.toLowerCase());
      // Not (or no longer) an owner: the same 404 as removing a member twice.
      if (!ownerId) throw resourceNotFound(params.ownerId);
      keepsAUserOwner(state, group, ownerId);
      group.ownerIds = group.ownerIds.filter((id) => id !== ownerId);
      leaveTeamToo(state, group, ownerId);
      return noContent();
    },
  },
];
