/** What a Graph route receives and returns; the server turns a GraphResponse into HTTP. */
import type { IncomingHttpHeaders } from 'node:http';
import type { AppCaller } from '../app-token';
import { badRequest } from './errors';

export interface GraphRequest {
  method: string;
  url: URL;
  /** Decoded path segments after /v1.0, e.g. ['users', 'janed@contoso.com', 'manager']. */
  segments: string[];
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** e.g. http://127.0.0.1:1234/v1.0, used for @odata.context and @odata.nextLink. */
  serviceRoot: string;
  /** The app the bearer token was issued to, and the application permissions it carries. */
  caller: AppCaller;
}

export interface GraphResponse {
  status: number;
  body?: unknown;
  /** Set for non-JSON answers such as /users/$count. */
  text?: string;
}

export function isEventual(req: GraphRequest): boolean {
  return String(req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
}

export function jsonBody(req: GraphRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.rawBody);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest(
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  return parsed as Record<string, unknown>;
}

export function contextUrl(req: GraphRequest, fragment: string): string {
  return `${req.serviceRoot}/$metadata#${fragment}`;
}

export const ok = (body: unknown): GraphResponse => ({ status: 200, body });
export const noContent = (): GraphResponse => ({ status: 204 });
