/**
 * The simulated Microsoft 365 tenant: a plain HTTP server that answers Graph v1.0 the way
 * Microsoft documents it (headers, error bodies, throttling), so the production Graph client
 * only needs a different base URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsedBody, withoutSecrets, type SimCall } from './calls';
import { handleControl } from './control';
import { answerExchange } from './exchange/invoke-command';
import { FaultInjector } from './faults';
import { errorBody, GraphHttpError } from './graph/errors';
import { appConsentRoutes } from './graph/app-consents';
import { authMethodRoutes } from './graph/auth-methods';
import { deviceRoutes } from './graph/devices';
import { driveRoutes } from './graph/drives';
import { groupOwnerRoutes } from './graph/group-owners';
import { groupRoutes } from './graph/groups';
import { licenceRoutes } from './graph/licences';
import { mailboxRuleRoutes } from './graph/mailbox-rules';
import { roleManagementRoutes } from './graph/role-management';
import { userDeletionRoutes } from './graph/user-deletion';
import type { GraphResponse } from './graph/request';
import { dispatch, type Route } from './graph/router';
import { userUpdateRoutes } from './graph/user-updates';
import { userReadRoutes } from './graph/users';
import { createSimTenant, type SeedOverride, type TenantState } from './state';
import { WriteLimiter, type WriteLimit } from './write-limiter';

export interface SimTenantOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  seed?: SeedOverride;
  /** Enforce a directory write quota (e.g. GRAPH_DIRECTORY_WRITE_LIMIT); none by default. */
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
  close(): Promise<void>;
}

const ROUTES: Route[] = [
  ...userReadRoutes,
  ...userUpdateRoutes,
  ...userDeletionRoutes,
  ...groupRoutes,
  ...groupOwnerRoutes,
  ...roleManagementRoutes,
  ...licenceRoutes,
  ...authMethodRoutes,
  ...mailboxRuleRoutes,
  ...deviceRoutes,
  ...appConsentRoutes,
  ...driveRoutes,
];
const WRITE_METHODS = ['POST', 'PATCH', 'PUT', 'DELETE'];
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

interface SimParts {
  state: TenantState;
  faults: FaultInjector;
  calls: SimCall[];
  limiter?: WriteLimiter;
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

/** Everything a Graph call goes through before its route: auth, injected faults, write quota. */
function answerGraph(req: IncomingMessage, url: URL, segments: string[], rawBody: string, sim: SimParts): GraphResponse {
  const authorization = req.headers.authorization ?? '';
  if (!/^Bearer\s+\S+/i.test(authorization)) {
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    });
  }
  const method = req.method ?? 'GET';
  const fault = sim.faults.take(method, `/${segments.join('/')}`);
  if (fault) throw fault;
  if (segments[0] !== 'v1.0') {
    throw new GraphHttpError(400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}. The simulated tenant serves v1.0 only.`);
  }
  if (sim.limiter && WRITE_METHODS.includes(method)) {
    const refusal = sim.limiter.admit();
    if (refusal) throw refusal;
  }
  return dispatch(
    ROUTES,
    { method, url, segments: segments.slice(1), headers: req.headers, rawBody, serviceRoot: `${url.origin}/v1.0` },
    sim.state,
  );
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
  const requestId = randomUUID();
  const clientRequestId = String(req.headers['client-request-id'] ?? requestId);
  const commonHeaders = { 'request-id': requestId, 'client-request-id': clientRequestId, 'Cache-Control': 'no-cache' };
  let segments: string[] = [];
  let answer: GraphResponse;
  const extraHeaders: Record<string, string> = {};
  try {
    segments = decodeSegments(url.pathname);
    if (segments[0] !== '_sim' && sim.faults.takeReset(req.method ?? 'GET', `/${segments.join('/')}`)) {
      req.socket.destroy();
      return;
    }
    answer =
      segments[0] === '_sim'
        ? handleControl(req, segments.slice(1), rawBody, sim)
        : segments[0] === 'adminapi'
          ? answerExchange(req, url, segments, rawBody, sim, extraHeaders, requestId)
          : answerGraph(req, url, segments, rawBody, sim);
  } catch (error) {
    const known =
      error instanceof GraphHttpError
        ? error
        : new GraphHttpError(500, 'InternalServerError', error instanceof Error ? error.message : String(error));
    Object.assign(extraHeaders, known.headers);
    answer = { status: known.status, body: errorBody(known.code, known.message, requestId, clientRequestId) };
  }
  const latencyMs = segments[0] === '_sim' ? 0 : sim.faults.takeLatency(req.method ?? 'GET', `/${segments.join('/')}`);
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  send(res, answer, { ...commonHeaders, ...extraHeaders });
  if (segments[0] !== '_sim') {
    sim.calls.push({
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: `/${segments.join('/')}`,
      query: Object.fromEntries(url.searchParams),
      requestId,
      clientRequestId,
      status: answer.status,
      body: withoutSecrets(parsedBody(rawBody)),
    });
  }
}

export async function startSimTenant(options: SimTenantOptions = {}): Promise<SimTenant> {
  const host = options.host ?? '127.0.0.1';
  const sim: SimParts = {
    state: createSimTenant(options.seed),
    faults: new FaultInjector(),
    calls: [],
    limiter: options.writeLimit ? new WriteLimiter(options.writeLimit) : undefined,
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
