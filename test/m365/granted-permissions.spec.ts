import assert from 'node:assert/strict';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { EXCHANGE_PERMISSION, GRAPH_PERMISSIONS_TO_GRANT } from '../../src/actions/required-permissions';
import { simulatedTenantToken, simulatedTenantTokens, type AccessTokenSource } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { grantedPermissions } from '../../src/m365/granted-permissions';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

const token = (value: string): AccessTokenSource => ({ getToken: async () => value });

describe('the permissions granted to the app, read from its token', () => {
  it('the simulated tenant grants, in the roles claim, every permission the app needs', async () => {
    const graph = await grantedPermissions(simulatedTenantToken);
    assert.ok('roles' in graph);
    assert.deepEqual([...graph.roles].sort(), [...GRAPH_PERMISSIONS_TO_GRANT]);
    assert.equal(graph.appId, SEED_IDS.offboardingApp, 'the token names the app it was issued to (appid)');
    const exchange = await grantedPermissions(simulatedTenantTokens().exchange);
    assert.ok('roles' in exchange);
    assert.deepEqual([...exchange.roles], [EXCHANGE_PERMISSION]);
  });

  it('the simulated tenant reuses its token while it has more than five minutes left, as Entra tokens are reused', async () => {
    const tokens = simulatedTenantTokens();
    const first = await tokens.graph.getToken();
    assert.equal(await tokens.graph.getToken(), first);
    const { exp, iat } = decodeJwt(first);
    assert.equal(exp! - iat!, 3600);
    assert.notEqual(await tokens.exchange.getToken(), first, 'each audience has its own token');
  });

  it('leaves out the permissions a test withholds, on Graph and on Exchange', async () => {
    const tokens = simulatedTenantTokens(['RoleEligibilitySchedule.ReadWrite.Directory', EXCHANGE_PERMISSION]);
    const graph = await grantedPermissions(tokens.graph);
    assert.ok('roles' in graph && !graph.roles.has('RoleEligibilitySchedule.ReadWrite.Directory') && graph.roles.has('User.Read.All'));
    const exchange = await grantedPermissions(tokens.exchange);
    assert.ok('roles' in exchange);
    assert.equal(exchange.roles.size, 0);
  });

  it('reads a signed token the same way, without validating it', async () => {
    const signed = await new SignJWT({ roles: ['User.Read.All'] }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('a key this process never has'));
    const granted = await grantedPermissions(token(signed));
    assert.ok('roles' in granted);
    assert.deepEqual([...granted.roles], ['User.Read.All']);
  });

  it('says why, rather than failing, when the token shows no application permissions', async () => {
    const cases: [AccessTokenSource, RegExp][] = [
      [token(new UnsecuredJWT({ scp: 'User.Read', aud: 'https://graph.microsoft.com' }).encode()), /delegated \(user\) token/],
      [token(new UnsecuredJWT({ aud: 'https://graph.microsoft.com', idtyp: 'app' }).encode()), /no roles claim: no application permission has admin consent/],
      [token(new UnsecuredJWT({ roles: 'User.Read.All' }).encode()), /not a list of permission names/],
      [token('simulated-tenant-token'), /not a JWT/],
      [{ getToken: async () => { throw new Error('AADSTS7000215: Invalid client secret provided.'); } }, /no token could be had from Entra ID \(AADSTS7000215/],
    ];
    for (const [source, reason] of cases) {
      const granted = await grantedPermissions(source);
      assert.ok('unreadable' in granted);
      assert.match(granted.unreadable, reason);
    }
  });

  describe('against the simulated tenant', () => {
    let sim: SimTenant;
    before(async () => (sim = await startSimTenant()));
    after(() => sim.close());

    it('Graph and Exchange still accept the simulated tokens as bearers', async () => {
      const tokens = simulatedTenantTokens();
      const jane = await Graph.connect({ baseUrl: sim.url, tokens: tokens.graph }).get<{ displayName: string }>(`/users/${SEED_IDS.jane}?$select=displayName`);
      assert.equal(jane.body.displayName, 'Jane Doe');
      const mailbox = await new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: tokens.exchange }).invoke('Get-Mailbox', { Identity: SEED_IDS.jane });
      assert.equal(mailbox.value.length, 1);
    });
  });
});
