import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph, q } from './sim-fetch';

describe('sim tenant: groups', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const names = (body: { value: Array<{ displayName: string }> }) => body.value.map((o) => o.displayName);

  it('lists the security approvers as user directoryObjects', async () => {
    const { body } = await graph(sim, `/groups/${SEED_IDS.securityGroup}/members?$select=id,displayName`);
    assert.deepEqual(body.value, [
      { '@odata.type': '#microsoft.graph.user', id: SEED_IDS.megan, displayName: 'Megan Bowen' },
      { '@odata.type': '#microsoft.graph.user', id: SEED_IDS.adele, displayName: 'Adele Vance' },
    ]);
    assert.match(body['@odata.context'], /\$metadata#directoryObjects/);
  });

  it("has everyone, Jane included, in All Contoso; not the guest she invited", async () => {
    const { body } = await graph(sim, `/groups/${SEED_IDS.allContosoGroup}/members?$select=displayName`);
    assert.equal(body.value.length, [...sim.state.users.values()].filter((u) => u.userType === 'Member').length);
    assert.ok(!names(body).includes('JD Consulting'));
    assert.ok(names(body).includes('Jane Doe'));
  });

  it('finds a group by name', async () => {
    const { body } = await graph(sim, `/groups?$filter=${q("displayName eq 'IT Operations'")}&$select=id`);
    assert.deepEqual(body.value, [{ id: SEED_IDS.itOperationsGroup }]);
  });

  it('removes a member with DELETE .../members/{id}/$ref, and 404s the second time', async () => {
    const path = `/groups/${SEED_IDS.allContosoGroup}/members/${SEED_IDS.jane}/$ref`;
    assert.equal((await graph(sim, path, { method: 'DELETE' })).status, 204);
    assert.ok(!sim.state.groups.get(SEED_IDS.allContosoGroup)!.memberIds.includes(SEED_IDS.jane));
    const again = await graph(sim, path, { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'Request_ResourceNotFound');
  });

  it('adds a member with POST .../members/$ref and refuses a duplicate', async () => {
    const path = `/groups/${SEED_IDS.hrGroup}/members/$ref`;
    const reference = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${SEED_IDS.jane}` };
    assert.equal((await graph(sim, path, { method: 'POST', body: reference })).status, 204);
    const duplicate = await graph(sim, path, { method: 'POST', body: reference });
    assert.equal(duplicate.status, 400);
    assert.match(duplicate.body.error.message, /already exist/);
  });

  it('removes a co-owner with DELETE .../owners/{id}/$ref, and 404s the second time', async () => {
    const falcon = sim.state.groups.get(SEED_IDS.projectFalcon)!;
    falcon.ownerIds.push(SEED_IDS.jane);
    const path = `/groups/${SEED_IDS.projectFalcon}/owners/${SEED_IDS.jane}/$ref`;
    assert.equal((await graph(sim, path, { method: 'DELETE' })).status, 204);
    assert.deepEqual(falcon.ownerIds, [SEED_IDS.danielBrown]);
    const again = await graph(sim, path, { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'Request_ResourceNotFound');
  });

  it('removes the owner from the members too when the group has a team (Graph known issue), and only then', async () => {
    const falcon = sim.state.groups.get(SEED_IDS.projectFalcon)!;
    falcon.ownerIds.push(SEED_IDS.jane);
    assert.equal((await graph(sim, `/groups/${SEED_IDS.projectFalcon}/owners/${SEED_IDS.jane}/$ref`, { method: 'DELETE' })).status, 204);
    assert.ok(falcon.memberIds.includes(SEED_IDS.jane), 'a group without a team keeps the member');

    const team = sim.state.groups.get(SEED_IDS.salesTeam)!;
    team.resourceProvisioningOptions = ['Team'];
    team.ownerIds.push(SEED_IDS.alex);
    const read = await graph(sim, `/groups/${SEED_IDS.salesTeam}?$select=resourceProvisioningOptions`);
    assert.deepEqual(read.body.resourceProvisioningOptions, ['Team']);
    assert.equal((await graph(sim, `/groups/${SEED_IDS.salesTeam}/owners/${SEED_IDS.jane}/$ref`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(team.ownerIds, [SEED_IDS.alex]);
    assert.ok(!team.memberIds.includes(SEED_IDS.jane), 'the membership went with the ownership');
  });

  it('refuses to remove the last owner, as Graph does for Microsoft 365 and security groups', async () => {
    const { status, body } = await graph(sim, `/groups/${SEED_IDS.salesTeam}/owners/${SEED_IDS.jane}/$ref`, { method: 'DELETE' });
    assert.equal(status, 400);
    assert.equal(body.error.code, 'Request_BadRequest');
    assert.equal(body.error.message, 'The group must have at least one owner, hence this owner cannot be removed.');
    assert.deepEqual(sim.state.groups.get(SEED_IDS.salesTeam)!.ownerIds, [SEED_IDS.jane]);
  });

  it('leaves the owners of a distribution list to Exchange', async () => {
    sim.state.groups.get(SEED_IDS.salesAnnouncements)!.ownerIds.push(SEED_IDS.alex, SEED_IDS.jane);
    const { status, body } = await graph(sim, `/groups/${SEED_IDS.salesAnnouncements}/owners/${SEED_IDS.jane}/$ref`, { method: 'DELETE' });
    assert.equal(status, 400);
    assert.match(body.error.message, /mail-enabled security groups and or distribution list/);
  });

  it('answers an unknown group with 404', async () => {
    const { status, body } = await graph(sim, '/groups/00000000-0000-0000-0000-000000000999/members');
    assert.equal(status, 404);
    assert.equal(body.error.code, 'Request_ResourceNotFound');
  });
});
