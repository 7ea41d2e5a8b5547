/** Test helper: calls the simulated tenant the way any Graph client would, with a bearer token. */
import { simulatedTenantToken } from '../../src/m365/access-token';
import type { SimTenant } from '../../src/sim/server';

export interface SimAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export async function graph(
  sim: SimTenant,
  path: string,
  /** `token` defaults to the app's Graph token with every permission it needs; null sends none. */
  init: { method?: string; headers?: Record<string, string>; body?: unknown; token?: string | null } = {},
): Promise<SimAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? (await simulatedTenantToken.getToken())}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${sim.graphBaseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/** Percent-encodes a query value the way a careful caller would. */
export const q = encodeURIComponent;

export const EVENTUAL = { ConsistencyLevel: 'eventual' };
