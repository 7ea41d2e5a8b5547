/** Groups: list, get, members, and adding/removing a member reference. */
import type { TenantState } from '../state';
import {
  GROUP_SCHEMA,
  USER_SCHEMA,
  directoryObject,
  findGroup,
  representDirectoryObject,
  representGroup,
} from './directory-objects';
import { badRequest, resourceNotFound } from './errors';
import { listCollection, parseSelect } from './odata';
import { contextUrl, jsonBody, noContent, ok } from './request';
import type { Route } from './router';

function referencedObjectId(state: TenantState, reference: unknown): string {
  const id = typeof reference === 'string' ? /\/(?:directoryObjects|users|groups)\/([^/?]+)$/i.exec(reference)?.[1] : undefined;
  const object = id ? directoryObject(state, decodeURIComponent(id).toLowerCase()) : undefined;
  if (!id) throw badRequest(`Invalid object identifier '${String(reference)}'.`, 'Request_BadRequest');
  if (!object) throw resourceNotFound(decodeURIComponent(id));
  return object.id;
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
      const group = findGroup(state, params.id);
      const memberId = referencedObjectId(state, jsonBody(req)['@odata.id']);
      if (group.memberIds.includes(memberId)) {
        throw badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
          'Request_BadRequest',
        );
      }
      group.memberIds.push(memberId);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: 'groups/:id/members/:memberId/$ref',
    handle: (_req, params, state) => {
      const group = findGroup(state, params.id);
      const index = group.memberIds.findIndex((id) => id.toLowerCase() === params.memberId.toLowerCase());
      if (index < 0) throw resourceNotFound(params.memberId);
      group.memberIds.splice(index, 1);
      return noContent();
    },
  },
];
