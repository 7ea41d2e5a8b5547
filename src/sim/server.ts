/**
 * The simulated Microsoft 365 tenant: a plain HTTP server that answers Graph v1.0 the way
 * Microsoft documents it (headers, error bodies, throttling), so the production Graph client
 * only needs a different base URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimCall } from './calls';
import { handleControl } from './control';
import { answerExchange, cmdletNameOf } from './exchange/invoke-command';
import { FaultInjector } from './faults';
import { answerGraphCall, decodeSegments, failure, JSON_TYPE, pause, record, type Answered, type SimParts } from './graph-calls';
import { findUser } from './graph/directory-objects';
import type { GraphResponse } from './graph/request';
import { createSimTenant, type SeedOverride, type TenantState } from './state';
import { ADMITTED } from './throttling/admission';
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
   * When the tenant is seeded (defaults to now): Jane's sign-ins, audits and device syncs are dated
   * relative to it. Tests pass a fixed moment to assert exact timestamps.
   */
  seededAt?: Date;
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
  /** The moment its recent activity is dated from (SimTenantOptions.seededAt). */
  seededAt: Date;
  faults: FaultInjector;
  calls: SimCall[];
  throttling: TenantThrottling;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
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
  const faultPath = segments[0] === 'adminapi' ? `${path}/${cmdletNameOf(rawBody)}` : path;
  return { answer, headers, requestId, clientRequestId, path, faultPath, release: ADMITTED.release };
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
  // The call was carried out; its answer is lost on the way back.
  if (!control && sim.faults.takeResetAfterApplying(method, answered.faultPath ?? answered.path)) {
    answered.release();
    record(sim, { method, url, rawBody }, answered);
    req.socket.destroy();
    return;
  }
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
  const seededAt = options.seededAt ?? new Date();
  const state = createSimTenant(options.seed, seededAt);
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
    seededAt,
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
