import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph, q } from './sim-fetch';

describe('sim tenant: what Jane leaves behind, and Graph\'s refusals', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const jane = `/users/${SEED_IDS.jane}`;

  it('DELETE /groups/{g}/members/{u} without /$ref deletes the user, as Graph does', async () => {
    const res = await graph(sim, `/groups/${SEED_IDS.vpnUsers}/members/${SEED_IDS.jane}`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal(sim.state.users.has(SEED_IDS.jane), false);
    assert.equal(sim.state.deletedUsers[0].id, SEED_IDS.jane);
    assert.equal((await graph(sim, jane)).status, 404);
  });

  it('refuses membership changes in dynamic groups and distribution lists', async () => {
    for (const group of [SEED_IDS.salesDynamic, SEED_IDS.salesAnnouncements]) {
      const res = await graph(sim, `/groups/${group}/members/${SEED_IDS.jane}/$ref`, { method: 'DELETE' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'Request_BadRequest');
    }
    assert.ok(sim.state.groups.get(SEED_IDS.salesDynamic)!.memberIds.includes(SEED_IDS.jane));
  });

  it('refuses to remove a group-inherited licence directly; leaving the group removes it', async () => {
    const inherited = await graph(sim, `${jane}/assignLicense`, { method: 'POST', body: { addLicenses: [], removeLicenses: [SEED_IDS.emsE3] } });
    assert.equal(inherited.status, 400);
    assert.match(inherited.body.error.message, /inherited from a group membership/);
    const states = await graph(sim, `${jane}?$select=assignedLicenses,licenseAssignmentStates`);
    assert.equal(states.body.assignedLicenses.length, 2);
    await graph(sim, `/groups/${SEED_IDS.emsLicensing}/members/${SEED_IDS.jane}/$ref`, { method: 'DELETE' });
    const details = await graph(sim, `${jane}/licenseDetails`);
    assert.deepEqual(details.body.value.map((d: { skuPartNumber: string }) => d.skuPartNumber), ['ENTERPRISEPACK']);
  });

  it('refuses to delete the default sign-in method while others exist, and the password method ever', async () => {
    const methods = await graph(sim, `${jane}/authentication/methods`);
    assert.equal(methods.body.value.length, 4);
    const defaultFirst = await graph(sim, `${jane}/authentication/microsoftAuthenticatorMethods/${SEED_IDS.janeAuthenticator}`, { method: 'DELETE' });
    assert.equal(defaultFirst.status, 400);
    const password = await graph(sim, `${jane}/authentication/passwordMethods/${SEED_IDS.passwordMethod}`, { method: 'DELETE' });
    assert.equal(password.status, 405);
    assert.equal((await graph(sim, `${jane}/authentication/methods?$select=id`)).status, 400, 'no query parameters on methods');
  });

  it('lists role assignments by principal with the role definition, and deletes them', async () => {
    const path = `/roleManagement/directory/roleAssignments?$filter=${q(`principalId eq '${SEED_IDS.jane}'`)}&$expand=roleDefinition`;
    const { body } = await graph(sim, path);
    assert.deepEqual(body.value.map((a: any) => a.roleDefinition.displayName), ['Helpdesk Administrator']);
    const del = await graph(sim, `/roleManagement/directory/roleAssignments/${q(body.value[0].id)}`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    assert.deepEqual((await graph(sim, path)).body.value, []);
  });

  it('answers Outlook\'s 404 for inbox rules of a user without a mailbox', async () => {
    const res = await graph(sim, `/users/${SEED_IDS.breakGlass}/mailFolders/inbox/messageRules`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'MailboxNotEnabledForRESTAPI');
  });

  it('keeps no password in its call log', async () => {
    await graph(sim, jane, { method: 'PATCH', body: { passwordProfile: { password: 'Xq7!vLp2#rT9-secret', forceChangePasswordNextSignIn: true } } });
    assert.ok(!JSON.stringify(sim.calls).includes('Xq7!vLp2#rT9-secret'));
  });
});
