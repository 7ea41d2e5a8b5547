/** Matches /v1.0/... paths against route patterns such as 'users/:id/manager'. */
import type { TenantState } from '../state';
import { badRequest, GraphHttpError } from './errors';
import type { GraphRequest, GraphResponse } from './request';

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
    if (route.method === req.method) return route.handle(req, params, state);
  }
  if (pathMatched) {
    throw new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  }
  const last = req.segments[req.segments.length - 1] ?? '';
  throw badRequest(`Resource not found for the segment '${last}'.`);
}
