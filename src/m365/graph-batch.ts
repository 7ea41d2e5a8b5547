/**
 * Graph JSON batching (POST /$batch) for many independent calls: fewer round trips, and each
 * call still gets its own answer. A batch answers 200 as soon as Graph could read it; every
 * sub-request carries its own status, and a throttled one is an inner 429 with its own
 * Retry-After that graph-client does not retry. So the caller re-sends those, and only those.
 */
import { STATUS_CODES } from 'node:http';
import { M365Error } from './m365-error';

export type BatchMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One call of a batch, with the same relative path as Graph.send takes, e.g. /users/{id}/memberOf. */
export interface BatchCall {
  method: BatchMethod;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * What became of one call: its answer, or the same M365Error Graph.send would have thrown.
 * `requestIds` holds every request-id met on the way (each round's batch, the failed inner
 * answer's), for the case's evidence.
 */
export type BatchOutcome =
  | { ok: true; status: number; body: unknown; requestId?: string; requestIds: string[] }
  | { ok: false; error: M365Error; requestIds: string[] };

export interface BatchRetryOptions {
  /** Rounds that re-send throttled sub-requests after the first; 0 leaves them to the caller. */
  retries: number;
  /** Longest total wait across rounds; a Retry-After beyond what is left ends the rounds. */
  maxWaitSeconds: number;
  /** Wait before a round when no throttled answer said how long (doubles each round). */
  backoffSeconds: number;
}

/** Graph's documented limit of requests per batch. */
export const MAX_BATCH_SIZE = 20;

/** Answers Graph may give again shortly: throttling and passing service faults. */
const RESEND = new Set([429, 503, 504]);

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

type PostBatch = (payload: unknown) => Promise<{ body: unknown; requestId?: string }>;

const sleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/** Inner headers are a plain JSON object; HTTP header names are read without regard to case. */
function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** One request of the JSON payload; a body travels as JSON and must say so. */
function request(id: string, call: BatchCall): Record<string, unknown> {
  const headers = { ...call.headers };
  if (call.body !== undefined && header(headers, 'content-type') === undefined) headers['Content-Type'] = 'application/json';
  return {
    id,
    method: call.method,
    // Relative to the version root, as the docs show: /users/{id}, never /v1.0/users/{id}.
    url: call.path.startsWith('/') ? call.path : `/${call.path}`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
  };
}

/** The error Graph.send would throw for this answer, with the inner request-id Graph puts in the body. */
function innerError(call: BatchCall, inner: InnerResponse): M365Error {
  const error = (inner.body as { error?: { code?: string; message?: string; innerError?: Record<string, string> } } | undefined)?.error;
  const retryAfter = Number(header(inner.headers, 'retry-after'));
  return new M365Error(
    inner.status,
    error?.code ?? `Http${inner.status}`,
    `${call.method} ${call.path.split('?')[0]} failed: ${error?.message ?? STATUS_CODES[inner.status] ?? 'no message'}`,
    error?.innerError?.['request-id'] ?? header(inner.headers, 'request-id'),
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** Sends one batch of at most 20 and settles each of its calls. */
async function sendChunk(post: PostBatch, chunk: Array<{ index: number; call: BatchCall }>): Promise<Map<number, BatchOutcome>> {
  const settled = new Map<number, BatchOutcome>();
  let answer: { body: unknown; requestId?: string };
  try {
    answer = await post({ requests: chunk.map(({ index, call }) => request(String(index), call)) });
  } catch (err) {
    // The batch as a whole failed (after graph-client's own retries): so did each of its calls.
    const error = err instanceof M365Error ? err : new M365Error(0, 'NetworkError', `POST /$batch failed: ${(err as Error).message}`, undefined);
    for (const { index } of chunk) settled.set(index, { ok: false, error, requestIds: error.requestId ? [error.requestId] : [] });
    return settled;
  }
  const outer = answer.requestId ? [answer.requestId] : [];
  const responses = (answer.body as { responses?: InnerResponse[] } | undefined)?.responses ?? [];
  // Graph may answer in any order: match by id.
  const byId = new Map(responses.map((r) => [String(r.id), r]));
  for (const { index, call } of chunk) {
    const inner = byId.get(String(index));
    if (!inner) {
      const error = new M365Error(0, 'BatchResponseMissing', `${call.method} ${call.path.split('?')[0]}: the batch answered without it.`, answer.requestId);
      settled.set(index, { ok: false, error, requestIds: outer });
    } else if (inner.status >= 200 && inner.status < 300) {
      // Graph gives inner successes no request-id of their own: the batch's stands for them.
      settled.set(index, { ok: true, status: inner.status, body: inner.body, requestId: header(inner.headers, 'request-id') ?? answer.requestId, requestIds: outer });
    } else {
      const error = innerError(call, inner);
      settled.set(index, { ok: false, error, requestIds: [...outer, ...(error.requestId ? [error.requestId] : [])] });
    }
  }
  return settled;
}

/**
 * Sends `calls` in batches of 20, one batch after another, and returns one outcome per call in
 * call order. After each round, only the calls that answered 429/503/504 go again, once the
 * longest Retry-After among them has passed; those still throttled after the last round (or
 * whose wait would exceed maxWaitSeconds) end as failed outcomes carrying their Retry-After, so
 * the engine can retry the step later.
 */
export async function sendInBatches(post: PostBatch, calls: readonly BatchCall[], retry: BatchRetryOptions): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = new Array(calls.length);
  const seen: string[][] = calls.map(() => []);
  let pending = calls.map((call, index) => ({ index, call }));
  let waited = 0;
  for (let round = 0; pending.length > 0; round++) {
    for (let start = 0; start < pending.length; start += MAX_BATCH_SIZE) {
      for (const [index, outcome] of await sendChunk(post, pending.slice(start, start + MAX_BATCH_SIZE))) {
        seen[index].push(...outcome.requestIds);
        outcomes[index] = { ...outcome, requestIds: seen[index] };
      }
    }
    pending = pending.filter(({ index }) => {
      const o = outcomes[index];
      return !o.ok && RESEND.has(o.error.status);
    });
    if (pending.length === 0 || round >= retry.retries) break;
    const asked = Math.max(0, ...pending.map(({ index }) => (outcomes[index] as { error: M365Error }).error.retryAfterSeconds ?? 0));
    const wait = asked > 0 ? asked : retry.backoffSeconds * 2 ** round;
    if (waited + wait > retry.maxWaitSeconds) break;
    await sleep(wait);
    waited += wait;
  }
  return outcomes;
}
