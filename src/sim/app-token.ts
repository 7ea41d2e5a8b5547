/**
 * Who is calling the simulated tenant, read from the bearer token the way Graph and Exchange
 * Online read an app-only token: the audience must be theirs, the token unexpired, and what the
 * app may do is the application permissions in its `roles` claim. The simulated tenant checks
 * no signature (its tokens are unsigned, access-token.ts), but trusts no other claim either.
 */
import { decodeJwt, type JWTPayload } from 'jose';

export interface AppCaller {
  /** The application (client) id the token was issued to (`appid`, or `azp` in v2 tokens). */
  appId: string;
  /** Application permissions granted with admin consent. */
  roles: ReadonlySet<string>;
}

export type TokenCheck = { caller: AppCaller } | { refused: string };

/** Graph's own ids and URIs for its audience, as Entra puts them in `aud`. */
export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'];
export const EXCHANGE_AUDIENCES = ['https://outlook.office365.com', 'https://outlook.office365.com/', '00000002-0000-0ff1-ce00-000000000000'];

/** Reads `Authorization: Bearer …`; `refused` says why the service would answer 401, in its words. */
export function readAppToken(authorization: string | undefined, audiences: readonly string[], nowMs = Date.now()): TokenCheck {
  const token = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
  if (!token) return { refused: 'Access token is empty.' };
  if (!token.includes('.')) return { refused: 'IDX14100: JWT is not well formed, there are no dots (.).' };
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return { refused: 'IDX14100: JWT is not well formed.' };
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => a !== undefined && audiences.includes(a))) return { refused: 'Invalid audience.' };
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs) return { refused: 'Lifetime validation failed, the token is expired.' };
  const roles = claims.roles;
  if (!Array.isArray(roles) && typeof claims.scp !== 'string') return { refused: 'Either scp or roles claim need to be present in the token.' };
  const appId = typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : '';
  return { caller: { appId, roles: new Set(Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : []) } };
}
