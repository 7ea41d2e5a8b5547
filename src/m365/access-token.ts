import { ClientSecretCredential } from '@azure/identity';
import { UnsecuredJWT } from 'jose';
import { EXCHANGE_PERMISSION, GRAPH_PERMISSIONS_TO_GRANT } from '../actions/required-permissions';
import { SEED_IDS } from '../sim/seed';

/** Where bearer tokens come from: Entra ID for a real tenant, an unsigned stand-in for the simulated one. */
export interface AccessTokenSource {
  getToken(): Promise<string>;
}

export function entraAppToken(opts: { tenantId: string; clientId: string; clientSecret: string; scope: string }): AccessTokenSource {
  const credential = new ClientSecretCredential(opts.tenantId, opts.clientId, opts.clientSecret);
  return {
    async getToken() {
      const token = await credential.getToken(opts.scope);
      if (!token) throw new Error(`Entra ID returned no token for ${opts.scope}`);
      return token.token;
    },
  };
}

/**
 * An app-only token shaped like Entra's (audience, `idtyp: app`, application permissions in
 * `roles`) so the readiness check reads the simulated tenant's tokens with the same code as real
 * ones. Unsigned: the simulated tenant only requires a bearer, as Graph does, and never trusts it.
 */
function simulatedAppToken(audience: string, roles: readonly string[]): AccessTokenSource {
  // Kept until five minutes before it expires, as @azure/identity keeps Entra's: encoding one per
  // call cost a measurable share of an approval click's time under a burst of clicks.
  let token = '';
  let renewAt = 0;
  return {
    getToken: async () => {
      if (Date.now() >= renewAt) {
        token = new UnsecuredJWT({ aud: audience, idtyp: 'app', appid: SEED_IDS.offboardingApp, roles: [...roles] }).setIssuedAt().setExpirationTime('1h').encode();
        renewAt = Date.now() + TOKEN_LIFETIME_MS - RENEW_BEFORE_EXPIRY_MS;
      }
      return token;
    },
  };
}

const TOKEN_LIFETIME_MS = 3600_000;
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * The simulated tenant's tokens for Graph and Exchange, as if admin consent had been given for
 * every permission the app needs except `withheld`, and for the Graph permissions in `alsoGranted`:
 * how tests and the demo show a tenant whose admin forgot one, or granted a broader one instead.
 */
export function simulatedTenantTokens(
  withheld: readonly string[] = [],
  alsoGranted: readonly string[] = [],
): { graph: AccessTokenSource; exchange: AccessTokenSource } {
  const granted = (roles: readonly string[]) => roles.filter((r) => !withheld.includes(r));
  return {
    graph: simulatedAppToken('https://graph.microsoft.com', [...new Set([...granted(GRAPH_PERMISSIONS_TO_GRANT), ...alsoGranted])]),
    exchange: simulatedAppToken('https://outlook.office365.com', granted([EXCHANGE_PERMISSION])),
  };
}

/** The simulated tenant's Graph token with every permission granted. */
export const simulatedTenantToken: AccessTokenSource = simulatedTenantTokens().graph;
/** The simulated tenant's Exchange Online token, with Exchange.ManageAsApp granted. */
export const simulatedExchangeToken: AccessTokenSource = simulatedTenantTokens().exchange;

/** The scope of app-only tokens for the Exchange Online admin REST endpoint. */
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

/** Entra ID tokens for Exchange Online (needs Exchange.ManageAsApp and an Exchange role). */
export function entraExchangeToken(opts: { tenantId: string; clientId: string; clientSecret: string }): AccessTokenSource {
  return entraAppToken({ ...opts, scope: EXCHANGE_SCOPE });
}
