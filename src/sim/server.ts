/**
 * The simulated Microsoft 365 tenant: a plain HTTP server that answers Graph v1.0 the way
 * Microsoft documents it (headers, error bodies, throttling), so the production Graph client
 * only needs a different base URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsedBody, withoutSecrets, type SimCall } from './calls';
import { handleControl } from './control';
import { answerExchange } from './exchange/invoke-command';
import { FaultInjector } from './faults';
import { errorBody, GraphHttpError } from './graph/errors';
import { appConsentRoutes } from './graph/app-consents';
import { auditLogRoutes } from './graph/audit-logs';
import { authMethodRoutes } from './graph/auth-methods';
import { readBatch, runBatch, type StepAnswer } from './graph/batch';
import { deviceRoutes } from './graph/devices';
import { findUser } from './graph/directory-objects';
import { driveRoutes } from './graph/drives';
import { groupOwnerRoutes } from './graph/group-owners';
import { groupRoutes } from './graph/groups';
import { licenceRoutes } from './graph/licences';
import { mailboxRuleRoutes } from './graph/mailbox-rules';
import { organizationRoutes } from './graph/organization';
import { roleManagementRoutes } from './graph/role-management';
import { userDeletionRoutes } from './graph/user-deletion';
import type { GraphResponse } from './graph/request';
import { dispatch, type Route } from './graph/router';
import { userUpdateRoutes } from './graph/user-updates';
import { userReadRoutes } from './graph/users';
import { createSimTenant, type SeedOverride, type TenantState } from './state';
import { ADMITTED, type Admission } from './throttling/admission';
import type { TenantLimits, WriteLimit } from './throttling/limits';
import { TenantThrottling } from './throttling/tenant-throttling';
import type { Clock } from './throttling/token-bucket';

export interface SimTenantOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  seed?: SeedOverride;
  /**
   * Throttling to enforce, per service (e.g. DOCUMENTED_LIMITS, or scaled-down values); none by
   * default. Can be changed later through `throttling.configure` or POST /_sim/limits.
   */
  limits?: TenantLimits;
  /** The clock the throttling buckets read (ms); tests pass their own to move time without sleeping. */
  clock?: Clock;
  /** Older spelling of `limits.directoryWrites` (e.g. GRAPH_DIRECTORY_WRITE_LIMIT). */
  writeLimit?: WriteLimit;
}

export interface SimTenant {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  /** `${url}/v1.0` */
  graphBaseUrl: string;
  state: TenantState;
  faults: FaultInjector;
  calls: SimCall[];
  throttling: TenantThrottling;
  close(): Promise<void>;
}

const ROUTES: Route[] = [
  ...userReadRoutes,
  ...userUpdateRoutes,
  ...userDeletionRoutes,
  ...groupRoutes,
  ...groupOwnerRoutes,
  ...roleManagementRoutes,
  ...auditLogRoutes,
  ...licenceRoutes,
  ...authMethodRoutes,
  ...mailboxRuleRoutes,
  ...deviceRoutes,
  ...appConsentRoutes,
  ...driveRoutes,
  ...organizationRoutes,
];
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

interface SimParts {
  state: TenantState;
  faults: FaultInjector;
  calls: SimCall[];
  throttling: TenantThrottling;
}

/** A Graph call, whether it came over HTTP or as a sub-request of a $batch. */
interface GraphCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Sub-requests of a $batch ride on the batch's bearer token. */
  inBatch: boolean;
}

/** A call's answer before it goes on the wire (or into a $batch response). */
interface Answered {
  answer: GraphResponse;
  /** Headers of this answer beyond the common ones, e.g. Retry-After or WWW-Authenticate. */
  headers: Record<string, string>;
  requestId: string;
  clientRequestId: string;
  /** Decoded path, as logged and as faults match it. */
  path: string;
  /** Ends the call's stay in flight (Outlook's concurrency limit); called once its answer is sent. */
  release(): void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function decodeSegments(pathname: string): string[] {
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

function requireBearer(headers: IncomingHttpHeaders): void {
  if (!/^Bearer\s+\S+/i.test(headers.authorization ?? '')) {
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    });
  }
}

function failure(error: unknown, requestId: string, clientRequestId: string): { answer: GraphResponse; headers: Record<string, string> } {
  const known =
    error instanceof GraphHttpError
      ? error
      : new GraphHttpError(500, 'InternalServerError', error instanceof Error ? error.message : String(error));
  return {
    answer: { status: known.status, body: errorBody(known.code, known.message, requestId, clientRequestId) },
    headers: known.headers,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Everything a Graph call goes through, top-level or inside a $batch: auth, injected faults,
 * throttling, its route, and injected latency. A throttled call holds nothing; an admitted one
 * holds its throttling slot until the caller releases it.
 */
async function answerGraphCall(call: GraphCall, sim: SimParts): Promise<Answered> {
  const requestId = randomUUID();
  const clientRequestId = String(call.headers['client-request-id'] ?? requestId);
  let path = '/';
  let admission: Admission = ADMITTED;
  let answer: GraphResponse;
  let headers: Record<string, string> = {};
  try {
    const segments = decodeSegments(call.url.pathname);
    path = `/${segments.join('/')}`;
    if (!call.inBatch) requireBearer(call.headers);
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
      answer = dispatch(
        ROUTES,
        { method: call.method, url: call.url, segments: rest, headers: call.headers, rawBody: call.rawBody, serviceRoot: `${call.url.origin}/v1.0` },
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

function record(sim: SimParts, call: Pick<GraphCall, 'method' | 'url' | 'rawBody'>, answered: Answered): void {
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

/** /_sim controls and the Exchange admin endpoint: no Graph throttling or batching. */
async function answerOther(req: IncomingMessage, url: URL, segments: string[], rawBody: string, sim: SimParts): Promise<Answered> {
  const requestId = randomUUID();
  const clientRequestId = String(req.headers['client-request-id'] ?? requestId);
  const path = `/${segments.join('/')}`;
  let answer: GraphResponse;
  let headers: Record<string, string> = {};
  try {
    answer =
      segments[0] === '_sim'
        ? handleControl(req, segments.slice(1), rawBody, sim)
        : answerExchange(req, url, segments, rawBody, sim, headers, requestId);
  } catch (error) {
    const failed = failure(error, requestId, clientRequestId);
    answer = failed.answer;
    headers = { ...headers, ...failed.headers };
  }
  const latencyMs = segments[0] === '_sim' ? 0 : sim.faults.takeLatency(req.method ?? 'GET', path);
  if (latencyMs > 0) await pause(latencyMs);
  return { answer, headers, requestId, clientRequestId, path, release: ADMITTED.release };
}

// No chaining on writeHead: restify, loaded in the same process by the app, patches
// http.ServerResponse.prototype.writeHead and its version does not return the response.
function send(res: ServerResponse, answer: GraphResponse, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (answer.text !== undefined) {
    res.writeHead(answer.status, { 'Content-Type': 'text/plain;charset=utf-8' });
    res.end(answer.text);
  } else if (answer.body === undefined) {
    res.writeHead(answer.status);
    res.end();
  } else {
    res.writeHead(answer.status, { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0' });
    res.end(JSON.stringify(answer.body));
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, sim: SimParts): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const rawBody = await readBody(req);
  const method = req.method ?? 'GET';
  let segments: string[] | undefined;
  try {
    segments = decodeSegments(url.pathname);
  } catch {
    segments = undefined; // answered as a Graph call, which reports the bad URI
  }
  const control = segments?.[0] === '_sim';
  // An injected connection reset drops the whole HTTP call, never a sub-request of a batch.
  if (!control && sim.faults.takeReset(method, `/${(segments ?? []).join('/')}`)) {
    req.socket.destroy();
    return;
  }
  const answered =
    segments !== undefined && (control || segments[0] === 'adminapi')
      ? await answerOther(req, url, segments, rawBody, sim)
      : await answerGraphCall({ method, url, headers: req.headers, rawBody, inBatch: false }, sim);
  try {
    send(res, answered.answer, {
      'request-id': answered.requestId,
      'client-request-id': answered.clientRequestId,
      'Cache-Control': 'no-cache',
      ...answered.headers,
    });
  } finally {
    answered.release();
  }
  if (!control) record(sim, { method, url, rawBody }, answered);
}

export async function startSimTenant(options: SimTenantOptions = {}): Promise<SimTenant> {
  const host = options.host ?? '127.0.0.1';
  const state = createSimTenant(options.seed);
  const limits: TenantLimits = {
    ...(options.writeLimit && { directoryWrites: { max: options.writeLimit.maxWrites, windowSeconds: options.writeLimit.windowSeconds } }),
    ...options.limits,
  };
  // One Outlook key per mailbox, whether a path names the user by id or by UPN.
  const mailboxKey = (idOrUpn: string): string => {
    try {
      return findUser(state, idOrUpn).id;
    } catch {
      return idOrUpn.toLowerCase();
    }
  };
  const sim: SimParts = {
    state,
    faults: new FaultInjector(),
    calls: [],
    throttling: new TenantThrottling(limits, options.clock, mailboxKey),
  };
  const server = createServer((req, res) => {
    handle(req, res, sim).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    graphBaseUrl: `${url}/v1.0`,
    state: sim.state,
    faults: sim.faults,
    calls: sim.calls,
    throttling: sim.throttling,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
