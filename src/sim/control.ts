/**
 * /_sim/...: a test fixture's back door, so an end-to-end test that runs the app as a separate
 * process can read the tenant and inject faults. Answers loopback callers only.
 */
import type { IncomingMessage } from 'node:http';
import type { SimCall } from './calls';
import type { FaultInjector } from './faults';
import { findGroup, findUser } from './graph/directory-objects';
import { badRequest, GraphHttpError } from './graph/errors';
import type { GraphResponse } from './graph/request';
import type { TenantState } from './state';
import { documentedLimits, limitsFromJson, type TenantLimits } from './throttling/limits';
import type { TenantThrottling } from './throttling/tenant-throttling';

export interface ControlContext {
  state: TenantState;
  faults: FaultInjector;
  calls: SimCall[];
  throttling: TenantThrottling;
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

function faultFromJson(raw: string): Parameters<FaultInjector['add']>[0] {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw badRequest('Fault must be JSON: {"path":"regex","status":429,"times":1,...}.');
  }
  if (typeof body.path !== 'string' || typeof body.status !== 'number') {
    throw badRequest('Fault needs "path" (a regular expression source) and a numeric "status".');
  }
  return {
    path: new RegExp(body.path, typeof body.flags === 'string' ? body.flags : undefined),
    status: body.status,
    method: typeof body.method === 'string' ? body.method : undefined,
    times: typeof body.times === 'number' ? body.times : undefined,
    retryAfterSeconds: typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined,
    code: typeof body.code === 'string' ? body.code : undefined,
    message: typeof body.message === 'string' ? body.message : undefined,
  };
}

/** {"preset":"documented"} for Microsoft's values (for this tenant's size), or limits in startSimTenant's shape. */
function limitsFromBody(raw: string, state: TenantState): TenantLimits {
  try {
    const body = JSON.parse(raw) as unknown;
    if ((body as { preset?: unknown } | null)?.preset === 'documented') return documentedLimits(state.users.size);
    return limitsFromJson(body);
  } catch (error) {
    throw badRequest(`Limits: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function handleControl(
  req: IncomingMessage,
  segments: string[],
  rawBody: string,
  ctx: ControlContext,
): GraphResponse {
  if (!isLoopback(req.socket.remoteAddress)) {
    throw new GraphHttpError(403, 'Forbidden', 'The /_sim endpoints answer loopback callers only.');
  }
  const [resource, id] = segments;
  const route = `${req.method} ${resource}${id === undefined ? '' : '/:id'}`;
  switch (route) {
    case 'GET users/:id':
      return { status: 200, body: findUser(ctx.state, id) };
    case 'GET groups/:id':
      return { status: 200, body: findGroup(ctx.state, id) };
    case 'GET calls':
      return { status: 200, body: ctx.calls };
    case 'POST faults':
      ctx.faults.add(faultFromJson(rawBody));
      return { status: 204 };
    case 'DELETE faults':
      ctx.faults.clear();
      return { status: 204 };
    case 'GET limits':
      return { status: 200, body: ctx.throttling.limits };
    case 'POST limits':
      ctx.throttling.configure(limitsFromBody(rawBody, ctx.state));
      return { status: 204 };
    case 'DELETE limits':
      ctx.throttling.configure({});
      return { status: 204 };
    default:
      throw new GraphHttpError(404, 'NotFound', `No sim control endpoint for ${req.method} /_sim/${segments.join('/')}.`);
  }
}
