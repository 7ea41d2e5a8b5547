import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

describe('sim tenant: changing people', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const jane = () => sim.state.users.get(SEED_IDS.jane)!;

  it('blocks sign-in with PATCH accountEnabled=false and answers 204 with no body', async () => {
    const { status, body } = await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: { accountEnabled: false } });
    assert.equal(status, 204);
    assert.equal(body, '');
    assert.equal(jane().accountEnabled, false);
    const read = await graph(sim, `/users/janed@contoso.com?$select=accountEnabled`);
    assert.equal(read.body.accountEnabled, false);
  });

  it('resets the password without ever returning it', async () => {
    const before = jane().lastPasswordChangeDateTime;
    const { status } = await graph(sim, `/users/${SEED_IDS.jane}`, {
      method: 'PATCH',
      body: { passwordProfile: { password: 'Xq7!vLp2#rT9', forceChangePasswordNextSignIn: true } },
    });
    assert.equal(status, 204);
    assert.equal(jane().passwordProfile.forceChangePasswordNextSignIn, true);
    assert.notEqual(jane().lastPasswordChangeDateTime, before);
    const read = await graph(sim, `/users/${SEED_IDS.jane}?$select=passwordProfile`);
    assert.equal(read.body.passwordProfile, null);
  });

  it('refuses a weak password and changes nothing', async () => {
    const { status, body } = await graph(sim, `/users/${SEED_IDS.jane}`, {
      method: 'PATCH',
      body: { accountEnabled: false, passwordProfile: { password: 'password' } },
    });
    assert.equal(status, 400);
    assert.match(body.error.message, /password complexity/);
    assert.equal(jane().accountEnabled, true);
  });

  it('rejects unknown, read-only and mistyped properties and bad JSON with 400', async () => {
    const unknown = await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: { shoeSize: 9 } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /'shoeSize' does not exist on type 'microsoft.graph.user'/);
    const readOnly = await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: { id: 'x' } });
    assert.equal(readOnly.status, 400);
    const mistyped = await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: { accountEnabled: 'false' } });
    assert.equal(mistyped.status, 400);
    const notJson = await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: '{accountEnabled:' });
    assert.equal(notJson.status, 400);
    assert.equal(jane().accountEnabled, true);
  });

  it('protects the break-glass Global Administrator from an app without a higher role', async () => {
    const { status, body } = await graph(sim, '/users/breakglass@contoso.com', {
      method: 'PATCH',
      body: { accountEnabled: false },
    });
    assert.equal(status, 403);
    assert.equal(body.error.code, 'Authorization_RequestDenied');
    assert.equal(sim.state.users.get(SEED_IDS.breakGlass)!.accountEnabled, true);
  });

  it('decides who is privileged from the role assignments of the moment, not from who the user was', async () => {
    const isaiah = () => sim.state.users.get(SEED_IDS.isaiah)!;
    sim.state.roleAssignments.push({ id: 'isaiah-global-admin', principalId: SEED_IDS.isaiah, roleDefinitionId: SEED_IDS.globalAdministrator, directoryScopeId: '/' });
    const refused = await graph(sim, `/users/${SEED_IDS.isaiah}`, { method: 'PATCH', body: { accountEnabled: false } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.message, 'Insufficient privileges to complete the operation.');
    assert.equal(isaiah().accountEnabled, true);

    assert.equal((await graph(sim, '/roleManagement/directory/roleAssignments/isaiah-global-admin', { method: 'DELETE' })).status, 204);
    assert.equal((await graph(sim, `/users/${SEED_IDS.isaiah}`, { method: 'PATCH', body: { accountEnabled: false } })).status, 204);
    assert.equal(isaiah().accountEnabled, false);
  });

  it('lets a User Administrator change a Helpdesk Administrator, a role it outranks (Jane holds one)', async () => {
    assert.ok(sim.state.roleAssignments.some((a) => a.principalId === SEED_IDS.jane && a.roleDefinitionId === SEED_IDS.helpdeskAdministrator));
    assert.equal((await graph(sim, `/users/${SEED_IDS.jane}`, { method: 'PATCH', body: { accountEnabled: false } })).status, 204);
  });

  it('protects members and owners of a role-assignable group until they leave it, whatever it holds', async () => {
    const group = sim.state.groups.get(SEED_IDS.itOperationsGroup)!;
    group.isAssignableToRole = true;
    group.ownerIds = [SEED_IDS.patti];
    const reset = { passwordProfile: { password: 'Xq7!vLp2#rT9', forceChangePasswordNextSignIn: true } };
    for (const id of [SEED_IDS.isaiah, SEED_IDS.patti]) {
      assert.equal((await graph(sim, `/users/${id}`, { method: 'PATCH', body: reset })).status, 403);
    }
    const read = await graph(sim, `/users/${SEED_IDS.isaiah}/memberOf?$select=displayName,isAssignableToRole`);
    assert.equal(read.body.value.find((g: { displayName: string }) => g.displayName === 'IT Operations').isAssignableToRole, true);

    // The app holds RoleManagement.ReadWrite.Directory, which a role-assignable group's members need.
    assert.equal((await graph(sim, `/groups/${group.id}/members/${SEED_IDS.isaiah}/$ref`, { method: 'DELETE' })).status, 204);
    assert.equal((await graph(sim, `/users/${SEED_IDS.isaiah}`, { method: 'PATCH', body: reset })).status, 204);
  });

  it('revokes sessions: 200 with value true, and moves signInSessionsValidFromDateTime to now', async () => {
    const before = Date.now();
    const { status, body } = await graph(sim, `/users/janed@contoso.com/revokeSignInSessions`, { method: 'POST' });
    assert.equal(status, 200);
    assert.equal(body.value, true);
    assert.match(body['@odata.context'], /\$metadata#Edm\.Boolean$/);
    const validFrom = Date.parse(jane().signInSessionsValidFromDateTime);
    assert.ok(validFrom >= Math.floor(before / 1000) * 1000, 'sessions valid from now on');
    assert.equal(jane().revokeCount, 1);
  });

  it('changes a manager through manager/$ref', async () => {
    const { status } = await graph(sim, `/users/${SEED_IDS.isaiah}/manager/$ref`, {
      method: 'PUT',
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${SEED_IDS.lynne}` },
    });
    assert.equal(status, 204);
    const reports = await graph(sim, `/users/${SEED_IDS.lynne}/directReports?$select=displayName`);
    assert.ok(reports.body.value.some((u: { displayName: string }) => u.displayName === 'Isaiah Langer'));
  });
});
