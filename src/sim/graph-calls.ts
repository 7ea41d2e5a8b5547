/**
 * What every Graph call to the simulated tenant goes through, whether it came over HTTP or as a
 * sub-request of a $batch: auth, injected faults, throttling, its route, injected latency, and
 * the call log tests read.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GRAPH_AUDIENCES, readAppToken, type AppCaller } from './app-token';
import { parsedBody, withoutSecrets, type SimCall } from './calls';
import type { FaultInjector } from './faults';
import { appConsentRoutes } from './graph/app-consents';
import { appRoutes } from './graph/apps';
import { assignmentScheduleRoutes } from './graph/assignment-schedules';
import { auditLogQueryRoutes } from './graph/audit-log-queries';
import { auditLogRoutes } from './graph/audit-logs';
import { authMethodRoutes } from './graph/auth-methods';
import { readBatch, runBatch, type StepAnswer } from './graph/batch';
import { calendarViewRoutes } from './graph/calendar-view';
import { deviceRoutes } from './graph/devices';
import { driveRoutes } from './graph/drives';
import { errorBody, GraphHttpError } from './graph/errors';
import { groupEligibilityRoutes } from './graph/group-eligibility';
import { groupOwnerRoutes } from './graph/group-owners';
import { groupRoutes } from './graph/groups';
import { licenceRoutes } from './graph/licences';
import { mailboxRuleRoutes } from './graph/mailbox-rules';
import { organizationRoutes } from './graph/organization';
import type { GraphResponse } from './graph/request';
import { roleManagementRoutes } from './graph/role-management';
import { dispatch, type Route } from './graph/router';
import { userDeletionRoutes } from './graph/user-deletion';
import { userUpdateRoutes } from './graph/user-updates';
import { userReadRoutes } from './graph/users';
import { startDueAssignments } from './scheduled-access-state';
import type { TenantState } from './state';
import { ADMITTED, type Admission } from './throttling/admission';
import type { TenantThrottling } from './throttling/tenant-throttling';

export const ROUTES: readonly Route[] = [
  ...userReadRoutes,
  ...userUpdateRoutes,
  ...userDeletionRoutes,
  ...groupRoutes,
  ...groupOwnerRoutes,
  ...roleManagementRoutes,
  ...groupEligibilityRoutes,
  ...assignmentScheduleRoutes,
  ...auditLogRoutes,
  ...auditLogQueryRoutes,
  ...licenceRoutes,
  ...authMethodRoutes,
  ...mailboxRuleRoutes,
  ...calendarViewRoutes,
  ...deviceRoutes,
  ...appConsentRoutes,
  ...appRoutes,
  ...driveRoutes,
  ...organizationRoutes,
];
export const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface SimParts {
  state: TenantState;
  faults: FaultInjector;
  calls: SimCall[];
  throttling: TenantThrottling;
}

/** A Graph call, whether it came over HTTP or as a sub-request of a $batch. */
export interface GraphCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Sub-requests of a $batch ride on the batch's bearer token. */
  inBatch: boolean;
}

/** A call's answer before it goes on the wire (or into a $batch response). */
export interface Answered {
  answer: GraphResponse;
  /** Headers of this answer beyond the common ones, e.g. Retry-After or WWW-Authenticate. */
  headers: Record<string, string>;
  requestId: string;
  clientRequestId: string;
  /** Decoded path, as logged and as faults match it. */
  path: string;
  /** What a fault on the answer is matched against when not `path`: an Exchange call adds its cmdlet. */
  faultPath?: string;
  /** Ends the call's stay in flight (Outlook's concurrency limit); called once its answer is sent. */
  release(): void;
}

export function decodeSegments(pathname: string): string[] {
  let segments: string[];
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new GraphHttpError(400, 'BadRequest', 'The request URI is not valid.');
  }
  // graph-client treats only https:// URLs as absolute, so following one of our http nextLinks
  // (client.api(nextLink), PageIterator) arrives as /v1.0/http:/host/v1.0/users?... Real Graph
  // never sees this; unwrapping it keeps paging code identical for both.
  const embedded = segments.lastIndexOf('v1.0');
  if (segments[0] === 'v1.0' && /^https?:$/.test(segments[1] ?? '') && embedded > 1) {
    return segments.slice(embedded);
  }
  return segments;
}

/** Graph's 401 for a token it cannot accept, with the challenge Graph sends. */
function callerOf(headers: IncomingHttpHeaders): AppCaller {
  const check = readAppToken(headers.authorization, GRAPH_AUDIENCES);
  if ('caller' in check) return check.caller;
  throw new GraphHttpError(401, 'InvalidAuthenticationToken', check.refused, {
    'WWW-Authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
}

export function failure(error: unknown, requestId: string, clientRequestId: string): { answer: GraphResponse; headers: Record<string, string> } {
  const known =
    error instanceof GraphHttpError
      ? error
      : new GraphHttpError(500, 'InternalServerError', error instanceof Error ? error.message : String(error));
  return {
    answer: { status: known.status, body: errorBody(known.code, known.message, requestId, clientRequestId) },
    headers: known.headers,
  };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Everything a Graph call goes through, top-level or inside a $batch: auth, injected faults,
 * throttling, its route, and injected latency. A throttled call holds nothing; an admitted one
 * holds its throttling slot until the caller releases it.
 */
export async function answerGraphCall(call: GraphCall, sim: SimParts): Promise<Answered> {
  const requestId = randomUUID();
  const clientRequestId = String(call.headers['client-request-id'] ?? requestId);
  let path = '/';
  let admission: Admission = ADMITTED;
  let answer: GraphResponse;
  let headers: Record<string, string> = {};
  try {
    const segments = decodeSegments(call.url.pathname);
    path = `/${segments.join('/')}`;
    // A batch's sub-requests carry the batch's token, so they are refused with the batch.
    const caller = callerOf(call.headers);
    const fault = sim.faults.take(call.method, path);
    if (fault) throw fault;
    if (segments[0] !== 'v1.0') {
      throw new GraphHttpError(400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}. The simulated tenant serves v1.0 only.`);
    }
    const rest = segments.slice(1);
    if (rest.length === 1 && rest[0].toLowerCase() === '$batch') {
      answer = await answerBatch(call, sim);
    } else {
      admission = sim.throttling.admit({ method: call.method, segments: rest, query: call.url.searchParams });
      if (admission.refusal) throw admission.refusal;
      // PIM hands over what was scheduled to start by now, before the call sees the tenant.
      startDueAssignments(sim.state);
      answer = dispatch(
        ROUTES,
        { method: call.method, url: call.url, segments: rest, headers: call.headers, rawBody: call.rawBody, serviceRoot: `${call.url.origin}/v1.0`, caller },
        sim.state,
      );
    }
  } catch (error) {
    ({ answer, headers } = failure(error, requestId, clientRequestId));
  }
  const latencyMs = sim.faults.takeLatency(call.method, path);
  if (latencyMs > 0) await pause(latencyMs);
  return { answer, headers, requestId, clientRequestId, path, release: admission.release };
}

/** POST /v1.0/$batch: each sub-request takes the same path as a top-level call and is logged on its own. */
async function answerBatch(call: GraphCall, sim: SimParts): Promise<GraphResponse> {
  if (call.inBatch) throw new GraphHttpError(400, 'BadRequest', 'A batch cannot contain another $batch request.');
  if (call.method !== 'POST') {
    throw new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  }
  const steps = readBatch(call.rawBody);
  return runBatch(steps, async (step) => {
    const sub: GraphCall = {
      method: step.method,
      url: new URL(`${call.url.origin}/v1.0/${step.relativeUrl}`),
      headers: { ...step.headers, authorization: call.headers.authorization, host: call.headers.host },
      rawBody: step.rawBody,
      inBatch: true,
    };
    const answered = await answerGraphCall(sub, sim);
    // Outlook runs a batch's sub-requests at most four at a time, so each holds its slot only while it runs.
    answered.release();
    record(sim, sub, answered);
    return stepAnswer(answered);
  });
}

/** A sub-request's entry in the batch response: Graph puts the inner headers beside status and body. */
function stepAnswer({ answer, headers }: Answered): StepAnswer {
  const inner: Record<string, string> = { 'Cache-Control': 'no-cache', ...headers };
  if (answer.text !== undefined) return { status: answer.status, headers: { ...inner, 'Content-Type': 'text/plain;charset=utf-8' }, body: answer.text };
  if (answer.body === undefined) return { status: answer.status, headers: inner };
  return { status: answer.status, headers: { ...inner, 'OData-Version': '4.0', 'Content-Type': JSON_TYPE }, body: answer.body };
}

/** A batch carries its sub-requests' bodies: a password set inside one stays out of the log too. */
function loggedBody(rawBody: string): unknown {
  const body = parsedBody(rawBody);
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests)) return withoutSecrets(body);
  return {
    ...(body as object),
    requests: requests.map((r: unknown) =>
      typeof r === 'object' && r !== null && 'body' in r ? { ...r, body: withoutSecrets((r as { body: unknown }).body) } : r,
    ),
  };
}

export function record(sim: SimParts, call: Pick<GraphCall, 'method' | 'url' | 'rawBody'>, answered: Answered): void {
  sim.calls.push({
    at: new Date().toISOString(),
    method: call.method,
    path: answered.path,
    query: Object.fromEntries(call.url.searchParams),
    requestId: answered.requestId,
    clientRequestId: answered.clientRequestId,
    status: answered.answer.status,
    body: loggedBody(call.rawBody),
  });
}
