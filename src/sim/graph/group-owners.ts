/** Adding a group owner: POST /groups/{g}/owners/$ref, as Graph answers it. */
import { findGroup } from './directory-objects';
import { badRequest } from './errors';
import { referencedObjectId } from './groups';
import { jsonBody, noContent } from './request';
import type { Route } from './router';

export const groupOwnerRoutes: Route[] = [
  {
    method: 'POST',
    pattern: 'groups/:id/owners/$ref',
    handle: (req, params, state) => {
      const group = findGroup(state, params.id);
      // Exchange owns distribution lists and mail-enabled security groups (ManagedBy), not Graph.
      if (group.mailEnabled && !group.groupTypes.includes('Unified')) {
        throw badRequest('Cannot Update a mail-enabled security groups and or distribution list.', 'Request_BadRequest');
      }
      const ownerId = referencedObjectId(state, jsonBody(req)['@odata.id']);
      if (!state.users.has(ownerId)) throw badRequest('Only users and service principals can be owners of a group.', 'Request_BadRequest');
      if (group.ownerIds.includes(ownerId)) {
        throw badRequest("One or more added object references already exist for the following modified properties: 'owners'.", 'Request_BadRequest');
      }
      group.ownerIds.push(ownerId);
      return noContent();
    },
  },
];
