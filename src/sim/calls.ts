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

/**
 * The call log keeps request bodies for tests, but never a password: a reset password must exist
 * only in the one request that sets it, here as in Microsoft's own logs.
 */
export function withoutSecrets(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const profile = (body as { passwordProfile?: unknown }).passwordProfile;
  if (typeof profile !== 'object' || profile === null || !('password' in profile)) return body;
  return { ...body, passwordProfile: { ...profile, password: '[redacted]' } };
}
