import { randomUUID } from 'node:crypto';
import {
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type { AccessTokenSource } from './access-token';
import { sendInBatches, type BatchCall, type BatchOutcome, type BatchRetryOptions } from './graph-batch';
import { M365Error } from './m365-error';

export interface GraphResponse<T> {
  status: number;
  body: T;
  requestId?: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Adds the bearer token and a client-request-id to every call. graph-client's own
 * AuthenticationHandler only does this for https Graph hosts; ours does it for whatever base URL
 * is configured, so the real and the simulated tenant go through the very same middleware chain.
 */
class BearerTokenHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly tokens: AccessTokenSource) {}

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as HeadersInit | undefined);
    headers.set('Authorization', `Bearer ${await this.tokens.getToken()}`);
    if (!headers.has('client-request-id')) headers.set('client-request-id', randomUUID());
    options.headers = Object.fromEntries(headers.entries());
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Microsoft Graph over @microsoft/microsoft-graph-client, answering with the status, the parsed
 * body and Graph's request-id (kept as evidence), and failing with one error type, M365Error.
 * Throttling (429 with Retry-After) and 503/504 are retried by graph-client's RetryHandler.
 */
export class Graph {
  private constructor(
    private readonly client: Client,
    private readonly batchRetry: BatchRetryOptions,
  ) {}

  /**
   * `batchRetries` (default: maxRetries) rounds re-send a batch's throttled sub-requests, waiting
   * at most `batchMaxWaitSeconds` (default 30) in all; graph-client retries only whole calls.
   */
  static connect(opts: {
    baseUrl: string;
    tokens: AccessTokenSource;
    retryDelaySeconds?: number;
    maxRetries?: number;
    batchRetries?: number;
    batchMaxWaitSeconds?: number;
    /** false: a 429 goes straight to the caller (the engine's pacers wait it out); 503/504 are still retried. */
    retryThrottled?: boolean;
  }): Graph {
    const auth = new BearerTokenHandler(opts.tokens);
    const retryThrottled = opts.retryThrottled ?? true;
    const retry = new RetryHandler(
      new RetryHandlerOptions(opts.retryDelaySeconds ?? 3, opts.maxRetries ?? 3, (_delay, _attempt, _request, _options, response) => retryThrottled || response.status !== 429),
    );
    auth.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    const client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      defaultVersion: 'v1.0',
    });
    return new Graph(client, {
      retries: opts.batchRetries ?? opts.maxRetries ?? 3,
      maxWaitSeconds: opts.batchMaxWaitSeconds ?? 30,
      backoffSeconds: opts.retryDelaySeconds ?? 3,
    });
  }

  /**
   * Independent calls through JSON batching (src/m365/graph-batch.ts): one settled outcome per
   * call, in order. Each batch goes through send, so it gets the bearer, a client-request-id and
   * graph-client's retries when the batch as a whole is throttled.
   */
  batch(calls: readonly BatchCall[]): Promise<BatchOutcome[]> {
    return sendInBatches((payload) => this.send('POST', '/$batch', payload), calls, this.batchRetry);
  }

  get<T>(path: string, headers?: Record<string, string>): Promise<GraphResponse<T>> {
    return this.send<T>('GET', path, undefined, headers);
  }

  async send<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<GraphResponse<T>> {
    const request = this.client.api(path).responseType(ResponseType.RAW);
    if (headers) request.headers(headers);
    let res: Response;
    try {
      res = await (method === 'GET'
        ? request.get()
        : method === 'POST'
          ? request.post(body ?? null)
          : method === 'PATCH'
            ? request.patch(body)
            : method === 'PUT'
              ? request.put(body)
              : request.delete());
    } catch (err) {
      throw new M365Error(0, 'NetworkError', `${method} ${path} could not reach Microsoft 365: ${(err as Error).message}`, undefined);
    }
    const requestId = res.headers.get('request-id') ?? undefined;
    const text = res.status === 204 ? '' : await res.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new M365Error(
        res.status,
        error?.code ?? `Http${res.status}`,
        `${method} ${path.split('?')[0]} failed: ${error?.message ?? res.statusText}`,
        requestId,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      );
    }
    return { status: res.status, body: parsed as T, requestId };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
