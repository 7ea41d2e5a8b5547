import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** Who is calling the dashboard API, as established from a validated token or the demo sign-in. */
export interface TabCaller {
  /** Entra object id (`oid`). */
  id: string;
  name: string;
}

export interface TeamsTokenSettings {
  /** The tenant whose users may use the tab; tokens from any other tenant are refused. */
  tenantId: string;
  /** The Entra app id named in the manifest's webApplicationInfo (the bot id). */
  clientId: string;
  /** The host in the manifest's `api://<domain>/<clientId>` resource; without it only the bare client id is accepted. */
  domain?: string;
  /** Where the signing keys are published; tests point this at a local JWKS server. */
  jwksUrl?: string;
}

/** A token the API will not accept; `reason` goes to the log, never to the caller. */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

const REQUIRED_SCOPE = 'access_as_user';
/** Teams clocks and ours drift a little; a minute is what Microsoft's own middleware allows. */
const CLOCK_TOLERANCE_S = 60;

export const tenantJwksUrl = (tenantId: string) => `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;

/**
 * Validates the SSO token Teams hands the tab (`authentication.getAuthToken()`): signed by one of
 * the tenant's keys, current, issued by our tenant, meant for our app, with the tab's scope.
 */
export class TeamsTokenValidator {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly settings: TeamsTokenSettings) {
    // createRemoteJWKSet caches keys and refetches when a token names an unknown kid (key rollover).
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl ?? tenantJwksUrl(settings.tenantId)));
  }

  async validate(token: string): Promise<TabCaller> {
    const tid = this.settings.tenantId.toLowerCase();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
        audience: this.audiences(),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'oid'],
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError) throw new TokenRejected(`${err.code}: ${err.message}`);
      throw err;
    }
    if (typeof payload.tid === 'string' && payload.tid.toLowerCase() !== tid) throw new TokenRejected('tid is another tenant');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw new TokenRejected(`scope ${REQUIRED_SCOPE} missing`);
    const oid = payload.oid;
    if (typeof oid !== 'string' || !oid) throw new TokenRejected('oid missing');
    const name = typeof payload.name === 'string' && payload.name ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username : oid;
    return { id: oid, name };
  }

  private audiences(): string[] {
    const { clientId, domain } = this.settings;
    return domain ? [clientId, `api://${domain}/${clientId}`] : [clientId];
  }
}
