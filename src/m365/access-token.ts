import { ClientSecretCredential } from '@azure/identity';

/** Where bearer tokens come from: Entra ID for a real tenant, a fixed value for the simulated one. */
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

/** The simulated tenant accepts any bearer token; it still requires one, as Graph does. */
export const simulatedTenantToken: AccessTokenSource = { getToken: async () => 'simulated-tenant-token' };

/** The scope of app-only tokens for the Exchange Online admin REST endpoint. */
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

/** Entra ID tokens for Exchange Online (needs Exchange.ManageAsApp and an Exchange role). */
export function entraExchangeToken(opts: { tenantId: string; clientId: string; clientSecret: string }): AccessTokenSource {
  return entraAppToken({ ...opts, scope: EXCHANGE_SCOPE });
}
