/** Matches /v1.0/... paths against route patterns such as 'users/:id/manager'. */
import type { TenantState } from '../state';
import { badRequest, GraphHttpError } from './errors';
import type { GraphRequest, GraphResponse } from './request';
import { ROUTE_PERMISSIONS } from './route-permissions';

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  pattern: string;
  handle(req: GraphRequest, params: Record<string, string>, state: TenantState): GraphResponse;
}

function match(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) {
      // A literal segment such as $count or $ref never stands for an id.
      if (segments[i].startsWith('$')) return undefined;
      params[parts[i].slice(1)] = segments[i];
    } else if (parts[i].toLowerCase() !== segments[i].toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

export function dispatch(routes: readonly Route[], req: GraphRequest, state: TenantState): GraphResponse {
  let pathMatched = false;
  for (const route of routes) {
    const params = match(route.pattern, req.segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method === req.method) {
      requirePermissions(route, req);
      return route.handle(req, params, state);
    }
  }
  if (pathMatched) {
    throw new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  }
  const last = req.segments[req.segments.length - 1] ?? '';
  throw badRequest(`Resource not found for the segment '${last}'.`);
}

/**
 * The permissions reference describes Directory.ReadWrite.All as reading everything
 * Directory.Read.All reads, though some pages' tables name only the latter.
 */
const IMPLIED_BY: Readonly<Record<string, readonly string[]>> = { 'Directory.Read.All': ['Directory.ReadWrite.All'] };

/**
 * Graph refuses a call whose token lacks every application permission its docs accept, before it
 * reads or changes anything. Mail and calendars answer in Exchange's words, the directory in Entra's.
 */
function requirePermissions(route: Route, req: GraphRequest): void {
  const rule = ROUTE_PERMISSIONS[`${route.method} ${route.pattern}`];
  if (!rule) throw new Error(`The simulated tenant has no permission rule for ${route.method} ${route.pattern}`);
  const needs = typeof rule.needs === 'function' ? rule.needs(req) : rule.needs;
  const held = (permission: string) => req.caller.roles.has(permission) || IMPLIED_BY[permission]?.some((p) => req.caller.roles.has(p)) === true;
  if (needs.every((anyOf) => anyOf.some(held))) return;
  if (/messageRules|calendarView/.test(route.pattern)) throw new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  throw new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
