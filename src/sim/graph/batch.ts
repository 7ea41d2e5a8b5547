/**
 * JSON batching (POST /v1.0/$batch) as Microsoft documents it: up to 20 requests, each with an
 * id, method, relative url, optional headers and body (a body needs a Content-Type) and optional
 * dependsOn. The batch answers 200 whenever it could be read, each response carrying its own
 * status: a throttled sub-request is an inner 429 with its own Retry-After, and a request whose
 * dependency failed is an inner 424 without being run. Graph may answer in any order; the sim
 * keeps request order and runs the requests one after another.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, errorBody } from './errors';
import type { GraphResponse } from './request';

export const MAX_BATCH_REQUESTS = 20;

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export interface BatchStep {
  id: string;
  method: string;
  /** Path and query under the service root, without a leading slash, e.g. users/{id}?$select=id. */
  relativeUrl: string;
  /** Header names lower-cased, as Node hands them to routes. */
  headers: Record<string, string>;
  rawBody: string;
  dependsOn: string[];
}

export interface StepAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function invalid(message: string): never {
  throw badRequest(message);
}

function stepHeaders(raw: unknown, id: string): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(`Headers of request id : ${id} must be a JSON object.`);
  return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

/** A JSON body travels as an object; any other body as base64, as the docs describe. */
function stepBody(body: unknown, contentType: string): string {
  if (body === undefined) return '';
  if (typeof body !== 'string') return JSON.stringify(body);
  return /json/i.test(contentType) ? body : Buffer.from(body, 'base64').toString('utf8');
}

function relative(url: string, id: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) invalid(`Invalid request URL for request id : ${id}. The url must be relative, e.g. /users.`);
  // Graph's SDKs strip an absolute URL down to its path, version included (/v1.0/me).
  return url.replace(/^\/+/, '').replace(/^v1\.0\//i, '');
}

/** Reads and checks the batch body; a malformed batch fails as a whole with 400, as Graph's does. */
export function readBatch(rawBody: string): BatchStep[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    parsed = undefined;
  }
  const requests = (parsed as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests)) invalid('Invalid batch payload format: the body must be {"requests":[...]}.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    invalid(`Number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  }
  const seen = new Set<string>();
  return requests.map((raw: unknown): BatchStep => {
    const request = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const id = typeof request.id === 'string' || typeof request.id === 'number' ? String(request.id) : '';
    if (id === '') invalid('Every request in a batch needs an id.');
    if (seen.has(id.toLowerCase())) invalid(`Request id : ${id} is not unique in the batch.`);
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
    if (!METHODS.includes(method)) invalid(`Request id : ${id} has an invalid method '${String(request.method)}'.`);
    if (typeof request.url !== 'string' || request.url === '') invalid(`Request id : ${id} needs a url.`);
    const headers = stepHeaders(request.headers, id);
    if (request.body !== undefined && !headers['content-type']) {
      invalid(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    const dependsOn = request.dependsOn ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string' && typeof d !== 'number')) {
      invalid(`dependsOn of request id : ${id} must be an array of request ids.`);
    }
    const dependencies = dependsOn.map(String);
    for (const dependency of dependencies) {
      // The sim runs requests in order, so a dependency must come earlier in the list.
      if (!seen.has(dependency.toLowerCase())) invalid(`Request id : ${id} depends on '${dependency}', which is not an earlier request of the batch.`);
    }
    seen.add(id.toLowerCase());
    return {
      id,
      method,
      relativeUrl: relative(request.url, id),
      headers,
      rawBody: stepBody(request.body, headers['content-type'] ?? ''),
      dependsOn: dependencies,
    };
  });
}

function failedDependency(dependency: string): StepAnswer {
  const requestId = randomUUID();
  return {
    status: 424,
    headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/json' },
    body: errorBody('FailedDependency', `The request depends on request '${dependency}', which failed.`, requestId, requestId),
  };
}

/** Runs each step through `run` (the same path a top-level call takes) and gathers the answers. */
export async function runBatch(steps: BatchStep[], run: (step: BatchStep) => Promise<StepAnswer>): Promise<GraphResponse> {
  const statusById = new Map<string, number>();
  const responses: Array<StepAnswer & { id: string }> = [];
  for (const step of steps) {
    const failed = step.dependsOn.find((d) => (statusById.get(d.toLowerCase()) ?? 0) >= 400);
    const answer = failed === undefined ? await run(step) : failedDependency(failed);
    statusById.set(step.id.toLowerCase(), answer.status);
    responses.push({ id: step.id, ...answer });
  }
  return { status: 200, body: { responses } };
}
