import assert from 'node:assert/strict';
import { removeGroupMemberships } from '../../src/actions/remove-group-memberships';
import { removeLicences } from '../../src/actions/remove-licences';
import { revokeAppConsents } from '../../src/actions/revoke-app-consents';
import { takeEvidence } from '../../src/actions/take-evidence';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('clean-up actions', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const groupsOfJane = () => [...t.sim.state.groups.values()].filter((g) => g.memberIds.includes(SEED_IDS.jane)).map((g) => g.displayName).sort();

  describe('remove group memberships', () => {
    it('removes Jane with /$ref from editable groups and leaves the dynamic group and the distribution list to a person', async () => {
      const outcome = await t.run(removeGroupMemberships);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /'Sales Department \(dynamic\)' is a dynamic group \(rule: user\.department -eq "Sales"\)/);
      assert.match(outcome.detail, /'Sales Announcements' is a distribution list .*Remove-DistributionGroupMember/);
      assert.deepEqual(groupsOfJane(), ['Sales Announcements', 'Sales Department (dynamic)']);
      for (const w of t.writes()) assert.match(w.path, /^\/v1\.0\/groups\/[^/]+\/members\/[^/]+\/\$ref$/);
      assert.ok(t.sim.state.users.has(SEED_IDS.jane), 'Jane still exists');
    });

    it('reports a group Graph refused, and keeps going with the others', async () => {
      t.sim.faults.add({ method: 'DELETE', path: new RegExp(`groups/${SEED_IDS.vpnUsers}/`), status: 403 });
      const outcome = await t.run(removeGroupMemberships);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.detail, /Could not remove from 'VPN Users'/);
      assert.deepEqual(groupsOfJane(), ['Sales Announcements', 'Sales Department (dynamic)', 'VPN Users']);
    });
  });

  describe('revoke app consents', () => {
    it('revokes Jane\'s own delegated grant and app role, not the admin consent for everyone', async () => {
      const outcome = await t.run(revokeAppConsents);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Mail\.Read/);
      assert.match(outcome.detail, /Salesforce/);
      assert.deepEqual(t.sim.state.oauth2Grants.map((g) => g.consentType), ['AllPrincipals']);
      assert.deepEqual(t.sim.state.appRoleAssignments, []);
      assert.match((await t.run(revokeAppConsents)).detail, /^Nothing to change/);
    });
  });

  describe('remove licences', () => {
    it('after the memberships: removes the direct licence, reports the inherited one as gone with its group', async () => {
      const { evidence } = await t.run(takeEvidence);
      await t.run(removeGroupMemberships, { evidence });
      const outcome = await t.run(removeLicences, { evidence });
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Removed ENTERPRISEPACK\./);
      assert.match(outcome.detail, /EMS \(inherited from 'Licensing - EMS E3'\) was removed with that group membership/);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.assignedLicenses, []);
    });

    it('never asks Graph to remove an inherited licence; one still inherited is left to a person', async () => {
      const outcome = await t.run(removeLicences);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /EMS is still inherited from group/);
      const assign = t.sim.calls.filter((c) => c.path.endsWith('/assignLicense'));
      assert.deepEqual(assign.map((c) => c.body), [{ addLicenses: [], removeLicenses: [SEED_IDS.office365E3] }]);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.licenseAssignmentStates.map((s) => s.assignedByGroup), [SEED_IDS.emsLicensing]);
    });
  });
});
