/** The record of every Graph call the sim answered, for tests that assert on traffic. */

export interface SimCall {
  at: string;
  method: string;
  /** Decoded path, e.g. /v1.0/users/janed@contoso.com. */
  path: string;
  query: Record<string, string>;
  requestId: string;
  clientRequestId: string;
  status: number;
  /** Parsed JSON request body, when one was sent. */
  body?: unknown;
}

export function parsedBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
