/** Groups: list, get, members, and adding/removing a member reference. */
import type { SimGroup, TenantState } from '../state';
import { refreshLicences } from '../workplace';
import {
  GROUP_SCHEMA,
  USER_SCHEMA,
  directoryObject,
  findGroup,
  representDirectoryObject,
  representGroup,
} from './directory-objects';
import { badRequest, resourceNotFound } from './errors';
import { deleteUser } from './user-deletion';
import { listCollection, parseSelect } from './odata';
import { contextUrl, jsonBody, noContent, ok } from './request';
import type { Route } from './router';

export function referencedObjectId(state: TenantState, reference: unknown): string {
  const id = typeof reference === 'string' ? /\/(?:directoryObjects|users|groups)\/([^/?]+)$/i.exec(reference)?.[1] : undefined;
  const object = id ? directoryObject(state, decodeURIComponent(id).toLowerCase()) : undefined;
  if (!id) throw badRequest(`Invalid object identifier '${String(reference)}'.`, 'Request_BadRequest');
  if (!object) throw resourceNotFound(decodeURIComponent(id));
  return object.id;
}

/**
 * Graph cannot edit the members of dynamic groups, distribution lists or mail-enabled security groups.
 * A role-assignable group's members also need RoleManagement.ReadWrite.Directory, which the app
 * holds (docs/m365-api.md: role assignments), so the simulated tenant lets those changes through.
 */
function editableMembers(group: SimGroup): SimGroup {
  if (group.groupTypes.includes('DynamicMembership')) {
    throw badRequest('Cannot update membership of a group with dynamic membership; it follows the membership rule.', 'Request_BadRequest');
  }
  if (group.mailEnabled && !group.groupTypes.includes('Unified')) {
    throw badRequest('Cannot Update a mail-enabled security groups and or distribution list.', 'Request_BadRequest');
  }
  return group;
}

export const groupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'groups',
    handle: (req, _params, state) =>
      listCollection(req, [...state.groups.values()], { schema: GROUP_SCHEMA, entitySet: 'groups', represent: representGroup }),
  },
  {
    method: 'GET',
    pattern: 'groups/:id',
    handle: (req, params, state) => {
      const select = parseSelect(req.url.searchParams.get('$select'), GROUP_SCHEMA);
      const context = select ? `groups(${select.join(',')})/$entity` : 'groups/$entity';
      return ok({ '@odata.context': contextUrl(req, context), ...representGroup(findGroup(state, params.id), select) });
    },
  },
  {
    method: 'GET',
    pattern: 'groups/:id/members',
    handle: (req, params, state) => {
      const group = findGroup(state, params.id);
      const members = group.memberIds.flatMap((id) => directoryObject(state, id) ?? []);
      return listCollection(req, members, {
        schema: USER_SCHEMA,
        entitySet: 'directoryObjects',
        represent: representDirectoryObject,
      });
    },
  },
  {
    method: 'POST',
    pattern: 'groups/:id/members/$ref',
    handle: (req, params, state) => {
      const group = editableMembers(findGroup(state, params.id));
      const memberId = referencedObjectId(state, jsonBody(req)['@odata.id']);
      if (group.memberIds.includes(memberId)) {
        throw badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
          'Request_BadRequest',
        );
      }
      group.memberIds.push(memberId);
      refreshLicences(state);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: 'groups/:id/members/:memberId/$ref',
    handle: (_req, params, state) => {
      const group = editableMembers(findGroup(state, params.id));
      const index = group.memberIds.findIndex((id) => id.toLowerCase() === params.memberId.toLowerCase());
      if (index < 0) throw resourceNotFound(params.memberId);
      group.memberIds.splice(index, 1);
      refreshLicences(state);
      return noContent();
    },
  },
  {
    // Without /$ref this addresses the member object itself: Graph deletes the user from the
    // directory, not the membership. The sim does the same so a test can prove the app never sends it.
    method: 'DELETE',
    pattern: 'groups/:id/members/:memberId',
    handle: (_req, params, state) => {
      const group = findGroup(state, params.id);
      if (!group.memberIds.some((id) => id.toLowerCase() === params.memberId.toLowerCase())) throw resourceNotFound(params.memberId);
      deleteUser(state, params.memberId);
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: 'groups/:id/owners',
    handle: (req, params, state) => {
      const group = findGroup(state, params.id);
      const owners = group.ownerIds.flatMap((id) => directoryObject(state, id) ?? []);
      return listCollection(req, owners, { schema: USER_SCHEMA, entitySet: 'directoryObjects', represent: representDirectoryObject });
    },
  },
];
