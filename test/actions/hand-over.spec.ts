import assert from 'node:assert/strict';
import { grantOneDriveAccess } from '../../src/actions/grant-onedrive-access';
import { moveDirectReports } from '../../src/actions/move-direct-reports';
import type { HandOverDecisions } from '../../src/cases/case';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('hand-over actions (OneDrive, direct reports; group ownership is in group-ownership.spec.ts)', () => {
  let t: SimContext;
  afterEach(() => t.sim.close());

  const handOver = (choices: HandOverDecisions) => ({ request: { ...t.ctx.request, handOver: choices } });
  const withoutManager = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', mail: 'janed@contoso.com' };

  describe('with Jane as seeded', () => {
    beforeEach(async () => {
      t = await janeInSim();
    });

    const drive = () => t.sim.state.drives.find((d) => d.userId === SEED_IDS.jane)!;
    const editors = () => drive().rootPermissions.filter((p) => p.roles.includes('write') && p.grantedToV2?.user.id).map((p) => p.grantedToV2!.user.email);

    it('gives the manager edit access to the OneDrive without an email, reports the external sharing, and does not share twice', async () => {
      const outcome = await t.run(grantOneDriveAccess);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Gave Alex Wilber edit access to the OneDrive\./);
      assert.match(outcome.detail, /Shared outside the company: anyone with the link \(view\) https:\/\/\S+; sam@fabrikam\.example \(write\)\. The next step removes these links and invitations\./);
      assert.deepEqual(editors(), ['alexw@contoso.com']);
      const invite = t.sim.calls.find((c) => c.path.endsWith('/items/root/invite'))!;
      assert.deepEqual(invite.body, { recipients: [{ email: 'alexw@contoso.com' }], roles: ['write'], requireSignIn: true, sendInvitation: false });
      const before = t.sim.calls.length;
      const again = await t.run(grantOneDriveAccess);
      assert.match(again.detail, /^Nothing to change: Alex Wilber can already edit the OneDrive\. Shared outside the company/);
      assert.deepEqual(t.writes(before), []);
    });

    it('gives the person named on the request access instead, and nobody when the request says "none"', async () => {
      assert.equal((await t.run(grantOneDriveAccess, handOver({ filesTo: null }))).status, 'skipped');
      assert.deepEqual(t.writes(), []);
      const outcome = await t.run(grantOneDriveAccess, handOver({ filesTo: 'meganb@contoso.com' }));
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.deepEqual(editors(), ['meganb@contoso.com']);
    });

    it('leaves the files to a person when the named owner is not in the tenant', async () => {
      const outcome = await t.run(grantOneDriveAccess, handOver({ filesTo: 'nobody@contoso.com' }));
      assert.equal(outcome.status, 'manual');
      assert.match(outcome.detail, /nobody@contoso\.com is not a user in this tenant\. Decide who keeps the files at https:\/\/contoso-my\.sharepoint\.com/);
      assert.deepEqual(t.writes(), []);
    });

    it('skips a user whose OneDrive was never provisioned', async () => {
      const outcome = await t.run(grantOneDriveAccess, { target: { ...t.ctx.target, id: SEED_IDS.danielGreen } });
      assert.equal(outcome.status, 'skipped');
      assert.match(outcome.detail, /never provisioned/);
    });

    it('moves the direct reports to Jane\'s manager, and does nothing the second time', async () => {
      const outcome = await t.run(moveDirectReports);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Pradeep Gupta, Grady Archie now report to Alex Wilber\. \(verified\)/);
      assert.deepEqual([SEED_IDS.pradeep, SEED_IDS.grady].map((id) => t.sim.state.users.get(id)!.managerId), [SEED_IDS.alex, SEED_IDS.alex]);
      const before = t.sim.calls.length;
      assert.match((await t.run(moveDirectReports)).detail, /^Nothing to change: no direct reports\./);
      assert.deepEqual(t.writes(before), []);
    });
  });

  describe('for a user without a manager', () => {
    beforeEach(async () => {
      t = await janeInSim({ seed: (contoso) => ({ ...contoso, users: contoso.users.map((u) => (u.id === SEED_IDS.jane ? { ...u, managerId: null } : u)) }) });
    });

    it('skips moving the direct reports, naming them', async () => {
      const outcome = await t.run(moveDirectReports, { target: withoutManager });
      assert.equal(outcome.status, 'skipped');
      assert.match(outcome.detail, /no manager to take over the direct reports \(Pradeep Gupta, Grady Archie\)/);
      assert.deepEqual(t.writes(), []);
    });
  });
});
