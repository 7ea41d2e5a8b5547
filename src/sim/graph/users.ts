/** Reading people: list/search, get with manager, manager, direct reports and memberships. */
import type { SimGroup, SimUser, TenantState } from '../state';
import { ownedApps, representApp } from './apps';
import {
  USER_SCHEMA,
  GROUP_SCHEMA,
  findUser,
  groupsOf,
  representDirectoryObject,
  representUser,
} from './directory-objects';
import { GraphHttpError, resourceNotFound } from './errors';
import { applyQuery, listCollection, parseSelect, type Json } from './odata';
import { contextUrl, isEventual, ok, type GraphRequest, type GraphResponse } from './request';
import type { Route } from './router';

/** What a user owns: groups, and apps (already in Graph's shape). */
type Owned = { group: SimGroup } | { app: Json };

function selectionContext(set: string, select: string[] | undefined, expand?: string): string {
  const parts = [...(select ?? []), ...(expand && select ? [expand] : [])];
  return parts.length > 0 ? `${set}(${parts.join(',')})/$entity` : `${set}/$entity`;
}

/** Supports exactly what the bot needs: $expand=manager, optionally with a nested $select. */
function parseManagerExpand(raw: string | null): { select?: string[] } | undefined {
  if (raw === null) return undefined;
  const expand = /^manager(?:\(\$select=([^)]*)\))?$/i.exec(raw.trim());
  if (!expand) {
    throw new GraphHttpError(
      400,
      'Request_UnsupportedQuery',
      `$expand=${raw} is not implemented by the simulated tenant (only manager is).`,
    );
  }
  return { select: parseSelect(expand[1] ?? null, USER_SCHEMA) };
}

function getUser(req: GraphRequest, params: Record<string, string>, state: TenantState): GraphResponse {
  const user = findUser(state, params.id);
  const query = req.url.searchParams;
  const select = parseSelect(query.get('$select'), USER_SCHEMA);
  const expand = parseManagerExpand(query.get('$expand'));
  const body: Json = {
    '@odata.context': contextUrl(
      req,
      selectionContext('users', select, expand ? `manager(${expand.select?.join(',') ?? ''})` : undefined),
    ),
    ...representUser(user, select),
  };
  const manager = user.managerId ? state.users.get(user.managerId) : undefined;
  if (expand && manager) body.manager = representDirectoryObject(manager, expand.select);
  return ok(body);
}

function managerOf(user: SimUser, state: TenantState): SimUser {
  const manager = user.managerId ? state.users.get(user.managerId) : undefined;
  if (!manager) throw resourceNotFound('manager');
  return manager;
}

function memberships(transitive: boolean): Route['handle'] {
  return (req, params, state) => {
    const user = findUser(state, params.id);
    return listCollection(req, groupsOf(state, user.id, transitive), {
      schema: GROUP_SCHEMA,
      entitySet: 'directoryObjects',
      represent: representDirectoryObject,
    });
  };
}

export const userReadRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users',
    handle: (req, _params, state) =>
      listCollection(req, [...state.users.values()], { schema: USER_SCHEMA, entitySet: 'users', represent: representUser }),
  },
  {
    method: 'GET',
    pattern: 'users/$count',
    handle: (req, _params, state) => {
      if (!isEventual(req)) {
        throw new GraphHttpError(400, 'Request_BadRequest', '$count is not currently supported.');
      }
      return { status: 200, text: String(applyQuery(req, [...state.users.values()], USER_SCHEMA).length) };
    },
  },
  { method: 'GET', pattern: 'users/:id', handle: getUser },
  {
    method: 'GET',
    pattern: 'users/:id/manager',
    handle: (req, params, state) => {
      const manager = managerOf(findUser(state, params.id), state);
      const select = parseSelect(req.url.searchParams.get('$select'), USER_SCHEMA);
      return ok({
        '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
        ...representDirectoryObject(manager, select),
      });
    },
  },
  {
    method: 'GET',
    pattern: 'users/:id/directReports',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const reports = [...state.users.values()].filter((u) => u.managerId === user.id);
      return listCollection(req, reports, {
        schema: USER_SCHEMA,
        entitySet: 'directoryObjects',
        represent: representDirectoryObject,
      });
    },
  },
  { method: 'GET', pattern: 'users/:id/memberOf', handle: memberships(false) },
  {
    method: 'GET',
    pattern: 'users/:id/ownedObjects',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const groups: Owned[] = [...state.groups.values()].filter((g) => g.ownerIds.includes(user.id)).map((g) => ({ group: g }));
      const apps: Owned[] = (['application', 'servicePrincipal'] as const).flatMap((kind) => ownedApps(state, kind, user.id).map((app) => ({ app: representApp(app, kind) })));
      // A mixed collection: each object answers the selected properties its own type has.
      return listCollection(req, [...groups, ...apps], {
        schema: GROUP_SCHEMA,
        entitySet: 'directoryObjects',
        represent: (o, select) => ('group' in o ? representDirectoryObject(o.group, select) : Object.fromEntries(Object.entries(o.app).filter(([k]) => k === '@odata.type' || k === 'id' || !select || select.includes(k)))),
      });
    },
  },
  { method: 'GET', pattern: 'users/:id/transitiveMemberOf', handle: memberships(true) },
];
