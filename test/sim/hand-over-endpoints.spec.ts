import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

describe('sim tenant: Intune device actions, group owners and OneDrive sharing', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const device = (id: string) => `/deviceManagement/managedDevices/${id}`;

  it('queues a retire with 204 and shows it pending in deviceActionResults', async () => {
    const before = await graph(sim, `/users/${SEED_IDS.jane}/managedDevices?$select=deviceName,deviceActionResults`);
    assert.deepEqual(before.body.value.map((d: { deviceActionResults: unknown[] }) => d.deviceActionResults), [[], []]);
    assert.equal((await graph(sim, `${device(SEED_IDS.janeLaptop)}/retire`, { method: 'POST' })).status, 204);
    const { body } = await graph(sim, device(SEED_IDS.janeLaptop));
    assert.deepEqual(body.deviceActionResults.map((r: { actionName: string; actionState: string }) => [r.actionName, r.actionState]), [['retire', 'pending']]);
    assert.equal(body.userPrincipalName, 'janed@contoso.com');
  });

  it('takes the documented wipe parameters, refuses others, and 404s an unknown device', async () => {
    assert.equal((await graph(sim, `${device(SEED_IDS.janeLaptop)}/wipe`, { method: 'POST', body: { keepEnrollmentData: false, keepUserData: false } })).status, 204);
    const refused = await graph(sim, `${device(SEED_IDS.janeLaptop)}/wipe`, { method: 'POST', body: { keepEverything: true } });
    assert.equal(refused.status, 400);
    const unknown = await graph(sim, `${device('11111111-2222-3333-4444-555555555555')}/retire`, { method: 'POST' });
    assert.equal(unknown.status, 404);
  });

  it('adds a group owner by reference, and answers 400 when the person already owns the group', async () => {
    const path = `/groups/${SEED_IDS.salesTeam}/owners/$ref`;
    const body = { '@odata.id': `https://graph.microsoft.com/v1.0/users/${SEED_IDS.alex}` };
    assert.equal((await graph(sim, path, { method: 'POST', body })).status, 204);
    const owners = await graph(sim, `/groups/${SEED_IDS.salesTeam}/owners?$select=id`);
    assert.deepEqual(owners.body.value.map((o: { id: string }) => o.id), [SEED_IDS.jane, SEED_IDS.alex]);
    const again = await graph(sim, path, { method: 'POST', body });
    assert.equal(again.status, 400);
    assert.match(again.body.error.message, /already exist for the following modified properties: 'owners'/);
    const distributionList = await graph(sim, `/groups/${SEED_IDS.salesAnnouncements}/owners/$ref`, { method: 'POST', body });
    assert.equal(distributionList.status, 400);
  });

  it("serves Jane's OneDrive and 404s one that was never provisioned", async () => {
    const drive = await graph(sim, `/users/${SEED_IDS.jane}/drive`);
    assert.equal(drive.status, 200);
    assert.equal(drive.body.id, SEED_IDS.janeDrive);
    const none = await graph(sim, `/users/${SEED_IDS.danielGreen}/drive`);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.message, "User's mysite not found.");
  });

  it('shares the root folder by invite, widening an existing grant rather than adding a second', async () => {
    const invite = (roles: string[]) =>
      graph(sim, `/drives/${SEED_IDS.janeDrive}/items/root/invite`, {
        method: 'POST',
        body: { recipients: [{ email: 'alexw@contoso.com' }], roles, requireSignIn: true, sendInvitation: false },
      });
    const first = await invite(['read']);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.value[0].grantedToV2.user, { id: SEED_IDS.alex, displayName: 'Alex Wilber', email: 'alexw@contoso.com' });
    await invite(['write']);
    const { body } = await graph(sim, `/drives/${SEED_IDS.janeDrive}/items/root/permissions`);
    const alex = body.value.filter((p: { grantedToV2?: { user: { id?: string } } }) => p.grantedToV2?.user.id === SEED_IDS.alex);
    assert.deepEqual(alex.map((p: { roles: string[] }) => p.roles), [['read', 'write']]);
    const bad = await graph(sim, `/drives/${SEED_IDS.janeDrive}/items/root/invite`, { method: 'POST', body: { recipients: [], roles: ['write'] } });
    assert.equal(bad.status, 400);
  });
});
