import { decodeJwt } from 'jose';
import type { AccessTokenSource } from './access-token';

/**
 * The application permissions a token shows, with the app it was issued to (its application
 * (client) id, from `appid`, or `azp` in a v2 token), or why they could not be read.
 */
export type GrantedPermissions = { roles: ReadonlySet<string>; appId?: string } | { unreadable: string };

/**
 * Reads the application permissions (the `roles` claim) of the app's own app-only token. The token
 * is only decoded, never validated: it comes straight from Entra ID over TLS to this process, and
 * the permissions are reported, never used to decide anything. Real and simulated tokens take the
 * same path. Entra ID puts a permission in the token once admin consent is given, and a token is
 * reused until it expires (up to about an hour): a grant shows after that, or after a restart.
 */
export async function grantedPermissions(tokens: AccessTokenSource): Promise<GrantedPermissions> {
  let token: string;
  try {
    token = await tokens.getToken();
  } catch (err) {
    return { unreadable: `no token could be had from Entra ID (${(err as Error).message})` };
  }
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return { unreadable: 'the token is not a JWT' };
  }
  if (claims.roles === undefined) {
    // A delegated token carries scopes instead; an app-only token without any granted application
    // permission carries no roles claim at all.
    return {
      unreadable:
        typeof claims.scp === 'string'
          ? 'the token is a delegated (user) token, not the app-only token the offboarding runs with'
          : 'the token has no roles claim: no application permission has admin consent yet',
    };
  }
  if (!Array.isArray(claims.roles) || !claims.roles.every((r) => typeof r === 'string')) {
    return { unreadable: "the token's roles claim is not a list of permission names" };
  }
  const appId = typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : undefined;
  return { roles: new Set(claims.roles), ...(appId ? { appId } : {}) };
}
