/**
 * The simulated tenant reads who calls from the bearer token, as Graph and Exchange Online do: the
 * audience and lifetime decide 401, the application permissions in `roles` and the directory roles
 * assigned to the app's service principal decide 403 (Exchange: 401), and nothing changes then.
 */
import assert from 'node:assert/strict';
import { UnsecuredJWT } from 'jose';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { M365Error } from '../../src/m365/m365-error';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

const appToken = (claims: Record<string, unknown>, expiresIn: string | number = '1h') =>
  new UnsecuredJWT({ aud: 'https://graph.microsoft.com', idtyp: 'app', appid: SEED_IDS.offboardingApp, ...claims }).setIssuedAt().setExpirationTime(expiresIn).encode();

describe('sim tenant: who may call, read from the token and the app’s roles', () => {
  let sim: SimTenant;
  const janePath = `/users/${SEED_IDS.jane}`;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  it('answers 401 InvalidAuthenticationToken to a token that is not a JWT, is for another audience, or has expired', async () => {
    const cases = [
      { token: 'not-a-jwt', message: /JWT is not well formed/ },
      { token: appToken({ aud: 'https://outlook.office365.com', roles: ['User.Read.All'] }), message: /Invalid audience/ },
      { token: appToken({ roles: ['User.Read.All'] }, Math.floor(Date.now() / 1000) - 60), message: /token is expired/ },
      { token: appToken({}), message: /Either scp or roles claim/ },
    ];
    for (const { token, message } of cases) {
      const answer = await graph(sim, janePath, { token });
      assert.equal(answer.status, 401, String(message));
      assert.equal(answer.body.error.code, 'InvalidAuthenticationToken');
      assert.match(answer.body.error.message, message);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /);
    }
  });

  it('answers 403 Authorization_RequestDenied when no permission the call accepts was granted, and a broader one will do', async () => {
    const denied = await graph(sim, `${janePath}/revokeSignInSessions`, { method: 'POST', token: appToken({ roles: ['User.Read.All', 'User.ReadWrite.All'] }) });
    assert.equal(denied.status, 403);
    assert.deepEqual([denied.body.error.code, denied.body.error.message], ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 0, 'nothing was revoked');

    assert.equal((await graph(sim, janePath, { token: appToken({ roles: ['Directory.ReadWrite.All'] }) })).status, 200, 'Directory.ReadWrite.All reads users');
    const memberOf = await graph(sim, `${janePath}/memberOf`, { token: appToken({ roles: ['User.Read.All'] }) });
    assert.equal(memberOf.status, 403, "another user's direct memberships need Directory.Read.All");
  });

  it('answers inbox rules in Outlook’s words', async () => {
    const answer = await graph(sim, `${janePath}/mailFolders/inbox/messageRules`, { token: appToken({ roles: ['User.Read.All'] }) });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'ErrorAccessDenied');
  });

  it('refuses sub-requests of a batch one by one, each against its own call', async () => {
    const answer = await graph(sim, '/$batch', {
      method: 'POST',
      token: appToken({ roles: ['User.Read.All'] }),
      body: { requests: [{ id: 'read', method: 'GET', url: janePath }, { id: 'rules', method: 'GET', url: `${janePath}/mailFolders/inbox/messageRules` }] },
    });
    assert.equal(answer.status, 200);
    const status = Object.fromEntries(answer.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]));
    assert.deepEqual(status, { read: 200, rules: 403 });
  });

  it('blocks sign-in only for an app holding a directory role, whatever permission it was granted', async () => {
    const body = { accountEnabled: false };
    sim.state.roleAssignments = sim.state.roleAssignments.filter((a) => !(a.principalId === SEED_IDS.offboardingAppPrincipal && a.roleDefinitionId === SEED_IDS.userAdministrator));
    const granted = await simulatedTenantTokens().graph.getToken();
    assert.equal((await graph(sim, janePath, { method: 'PATCH', body, token: granted })).status, 403);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, true);

    sim.state.roleAssignments.push({ id: 'app-ua-unit', principalId: SEED_IDS.offboardingAppPrincipal, roleDefinitionId: SEED_IDS.userAdministrator, directoryScopeId: '/administrativeUnits/x' });
    assert.equal((await graph(sim, janePath, { method: 'PATCH', body, token: granted })).status, 403, 'a role scoped to an administrative unit does not count');

    sim.state.roleAssignments.push({ id: 'app-ua', principalId: SEED_IDS.offboardingAppPrincipal, roleDefinitionId: SEED_IDS.userAdministrator, directoryScopeId: '/' });
    assert.equal((await graph(sim, janePath, { method: 'PATCH', body, token: granted })).status, 204);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, false);
  });

  describe('Exchange Online', () => {
    const exchangeWith = (tokens: ReturnType<typeof simulatedTenantTokens>['exchange']) =>
      new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens, sleep: async () => undefined });
    const refusal = async (call: Promise<unknown>) => {
      const err = await call.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof M365Error, 'refused');
      return err;
    };

    it('answers 401 without Exchange.ManageAsApp, or to a Graph token', async () => {
      const withheld = await refusal(exchangeWith(simulatedTenantTokens(['Exchange.ManageAsApp']).exchange).invoke('Get-Mailbox', { Identity: 'janed@contoso.com' }));
      assert.equal(withheld.status, 401);
      const graphToken = await refusal(exchangeWith(simulatedTenantTokens().graph).invoke('Get-Mailbox', { Identity: 'janed@contoso.com' }));
      assert.equal(graphToken.status, 401);
    });

    it('runs no cmdlet for an app without an Exchange role, saying so as Exchange Online does', async () => {
      sim.state.roleAssignments = sim.state.roleAssignments.filter((a) => !(a.principalId === SEED_IDS.offboardingAppPrincipal && a.roleDefinitionId === SEED_IDS.exchangeAdministrator));
      const err = await refusal(exchangeWith(simulatedTenantTokens().exchange).invoke('Set-Mailbox', { Identity: 'janed@contoso.com', Type: 'Shared' }));
      assert.equal(err.status, 401);
      assert.match(err.message, new RegExp(`The role assigned to application ${SEED_IDS.offboardingApp} isn't supported in this scenario`));
      assert.equal(sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!.recipientTypeDetails, 'UserMailbox');
    });
  });
});
