import assert from 'node:assert/strict';
import { convertToShared } from '../../src/actions/convert-to-shared';
import { exchangeNotConnected, type ExchangeCalls } from '../../src/m365/exchange';
import { removeGroupMemberships } from '../../src/actions/remove-group-memberships';
import { sizeInBytes } from '../../src/actions/mailbox-size';
import { removeLicences } from '../../src/actions/remove-licences';
import { revokeAppConsents } from '../../src/actions/revoke-app-consents';
import { takeEvidence } from '../../src/actions/take-evidence';
import { SEED_IDS } from '../../src/sim/seed';
import { refreshLicences } from '../../src/sim/workplace';
import { janeInSim, type SimContext } from './sim-context';

describe('clean-up actions', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const groupsOfJane = () => [...t.sim.state.groups.values()].filter((g) => g.memberIds.includes(SEED_IDS.jane)).map((g) => g.displayName).sort();

  describe('remove group memberships', () => {
    it('removes Jane with /$ref in Graph, from the distribution list through Exchange, and leaves the dynamic group to a person', async () => {
      const outcome = await t.run(removeGroupMemberships);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /'Sales Department \(dynamic\)' is a dynamic group \(rule: user\.department -eq "Sales"\)/);
      assert.match(outcome.detail, /Sales Announcements/);
      assert.deepEqual(groupsOfJane(), ['Sales Department (dynamic)']);
      const writes = t.writes();
      assert.deepEqual(writes.filter((w) => w.cmdlet).map((w) => w.cmdlet), ['Remove-DistributionGroupMember']);
      for (const w of writes.filter((x) => !x.cmdlet)) assert.match(w.path, /^\/v1\.0\/groups\/[^/]+\/members\/[^/]+\/\$ref$/);
      assert.ok(t.sim.state.users.has(SEED_IDS.jane), 'Jane still exists');
      assert.match((await t.run(removeGroupMemberships)).detail, /^Nothing to change/);
    });

    it('keeps a group that gives the licence carrying the mailbox until the mailbox is shared, then removes it', async () => {
      // Jane's Exchange licence comes from a group, not assigned to her directly.
      const jane = t.sim.state.users.get(SEED_IDS.jane)!;
      jane.directLicenses = [];
      t.sim.state.groups.get(SEED_IDS.emsLicensing)!.assignedLicenses.push({ skuId: SEED_IDS.office365E3, disabledPlans: [] });
      refreshLicences(t.sim.state);
      const licensed = () => jane.licenseAssignmentStates.map((s) => s.skuId).sort();
      const before = licensed();
      assert.ok(before.includes(SEED_IDS.office365E3));

      const first = await t.run(removeGroupMemberships);
      assert.equal(first.status, 'manual', first.detail);
      assert.match(first.detail, /Kept in 'Licensing - EMS E3' for now: it gives ENTERPRISEPACK, which carries the mailbox \(EXCHANGE_S_ENTERPRISE\); the membership stays because the mailbox is still a UserMailbox, not shared/);
      assert.ok(t.sim.state.groups.get(SEED_IDS.emsLicensing)!.memberIds.includes(SEED_IDS.jane));
      assert.deepEqual(licensed(), before, 'no licence lost while the mailbox is a user mailbox');
      assert.deepEqual(groupsOfJane(), ['Licensing - EMS E3', 'Sales Department (dynamic)'], 'the other groups went');

      assert.equal((await t.run(convertToShared)).status, 'succeeded');
      const second = await t.run(removeGroupMemberships);
      assert.doesNotMatch(second.detail, /Kept in 'Licensing - EMS E3'/);
      assert.deepEqual(groupsOfJane(), ['Sales Department (dynamic)']);
      assert.deepEqual(licensed(), [], 'the licences left with the group once the mailbox was shared');
    });

    it('keeps the licensing groups when the request keeps the licences', async () => {
      const outcome = await t.run(removeGroupMemberships, { request: { ...t.ctx.request, licences: 'keep' } });
      assert.match(outcome.detail, /Kept in 'Licensing - EMS E3': it gives EMS, and the request keeps the licences\./);
      assert.deepEqual(groupsOfJane(), ['Licensing - EMS E3', 'Sales Department (dynamic)']);
    });

    it('sends the Graph removals together in one $batch of DELETE .../$ref, keeping the request-ids', async () => {
      const outcome = await t.run(removeGroupMemberships);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.deepEqual(groupsOfJane(), ['Sales Department (dynamic)']);
      const batches = t.sim.calls.filter((c) => c.path === '/v1.0/$batch');
      assert.equal(batches.length, 1, 'one batch for every Graph group');
      const sent = (batches[0].body as { requests: Array<{ method: string; url: string }> }).requests;
      assert.ok(sent.length >= 3, `${sent.length} removals`);
      for (const r of sent) {
        assert.equal(r.method, 'DELETE');
        assert.match(r.url, new RegExp(`^/groups/[^/]+/members/${SEED_IDS.jane}/\\$ref$`));
      }
      const deletes = t.sim.calls.filter((c) => c.method === 'DELETE');
      assert.deepEqual(deletes.map((c) => c.path), sent.map((r) => `/v1.0${r.url}`), 'each sub-request reached the tenant');
      assert.ok(deletes.every((c) => c.status === 204));
      assert.ok(outcome.requestIds.includes(batches[0].requestId), 'the batch’s request-id is kept');
    });

    it('counts a membership that ended between plan and apply (404 in the batch) as removed', async () => {
      const plan = await removeGroupMemberships.plan(t.ctx);
      const vpn = t.sim.state.groups.get(SEED_IDS.vpnUsers)!;
      vpn.memberIds = vpn.memberIds.filter((id) => id !== SEED_IDS.jane);
      const applied = await removeGroupMemberships.apply(t.ctx, plan);
      assert.deepEqual(applied.failures, []);
      assert.ok(t.sim.calls.some((c) => c.method === 'DELETE' && c.path.includes(SEED_IDS.vpnUsers) && c.status === 404));
      assert.deepEqual((await removeGroupMemberships.verify(t.ctx, plan, applied)).ok, true);
    });

    it('without an Exchange connection, leaves the distribution list to a person instead of failing', async () => {
      const outcome = await t.run(removeGroupMemberships, { exchange: exchangeNotConnected });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /'Sales Announcements' is a distribution list .*Remove-DistributionGroupMember/);
      assert.deepEqual(groupsOfJane(), ['Sales Announcements', 'Sales Department (dynamic)']);
    });

    it('reports a group Graph refused, and keeps going with the others', async () => {
      t.sim.faults.add({ method: 'DELETE', path: new RegExp(`groups/${SEED_IDS.vpnUsers}/`), status: 403 });
      const outcome = await t.run(removeGroupMemberships);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.detail, /Could not remove from 'VPN Users'/);
      assert.deepEqual(groupsOfJane(), ['Sales Department (dynamic)', 'VPN Users']);
    });
  });

  describe('revoke app consents', () => {
    it('revokes Jane\'s own delegated grant and app role, not the admin consent for everyone', async () => {
      const outcome = await t.run(revokeAppConsents);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Expensify \(User\.Read Mail\.Read Files\.Read\.All offline_access\)/, 'the app is named, not only its id');
      assert.match(outcome.detail, /Salesforce/);
      assert.deepEqual(t.sim.state.oauth2Grants.map((g) => g.consentType), ['AllPrincipals']);
      assert.deepEqual(t.sim.state.appRoleAssignments, []);
      const batches = t.sim.calls.filter((c) => c.path === '/v1.0/$batch');
      assert.deepEqual(batches.map((b) => (b.body as { requests: unknown[] }).requests.length), [2], 'both revoked in one batch');
      assert.match((await t.run(revokeAppConsents)).detail, /^Nothing to change/);
    });
  });

  describe('remove licences', () => {
    it('after the conversion and the memberships: removes the mailbox licence, reports the inherited one as gone with its group', async () => {
      const { evidence } = await t.run(takeEvidence);
      await t.run(convertToShared);
      await t.run(removeGroupMemberships, { evidence });
      const outcome = await t.run(removeLicences, { evidence });
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Removed ENTERPRISEPACK\./);
      assert.match(outcome.detail, /EMS \(inherited from 'Licensing - EMS E3'\) was removed with that group membership/);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.assignedLicenses, []);
      const cmdlets = t.sim.calls.map((c) => (c.body as { CmdletInput?: { CmdletName?: string } } | undefined)?.CmdletInput?.CmdletName);
      assert.ok(cmdlets.includes('Get-MailboxStatistics'), 'the size was checked before the licence went');
    });

    /** Jane's mailbox shared and her licensing group gone, so only the mailbox can keep the licence. */
    async function readyForLicenceRemoval() {
      const { evidence } = await t.run(takeEvidence);
      await t.run(convertToShared);
      await t.run(removeGroupMemberships, { evidence });
      return evidence;
    }
    const janesMailbox = () => t.sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!;
    const assignLicenseCalls = () => t.sim.calls.filter((c) => c.path.endsWith('/assignLicense'));

    it('keeps the licence of a shared mailbox with an archive, and tells the admin why', async () => {
      const evidence = await readyForLicenceRemoval();
      janesMailbox().archiveStatus = 'Active';
      const outcome = await t.run(removeLicences, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /^Nothing to change: the only licence assigned directly carries the mailbox, which still needs it\./);
      assert.match(outcome.detail, /ENTERPRISEPACK carries the mailbox \(EXCHANGE_S_ENTERPRISE\) and was kept: the mailbox has an archive \(ArchiveStatus Active\)\. A shared mailbox on litigation hold, with an archive or over 50 GB still needs an Exchange licence/);
      assert.deepEqual(assignLicenseCalls(), []);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.directLicenses, [SEED_IDS.office365E3]);
    });

    it('keeps the licence of a shared mailbox over 50 GB, naming its size', async () => {
      const evidence = await readyForLicenceRemoval();
      janesMailbox().totalItemSizeBytes = 60 * 1024 ** 3;
      const outcome = await t.run(removeLicences, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /and was kept: the mailbox holds 60 GB \(64,424,509,440 bytes\), over the 50 GB limit\./);
      assert.deepEqual(assignLicenseCalls(), []);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.directLicenses, [SEED_IDS.office365E3]);
    });

    it('gives every reason at once, the hold included', async () => {
      const evidence = await readyForLicenceRemoval();
      Object.assign(janesMailbox(), { archiveStatus: 'Active', litigationHoldEnabled: true, totalItemSizeBytes: 50 * 1024 ** 3 + 1 });
      const outcome = await t.run(removeLicences, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /was kept: the mailbox is on litigation hold; the mailbox has an archive \(ArchiveStatus Active\); the mailbox holds 50 GB \(53,687,091,201 bytes\), over the 50 GB limit\./);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.directLicenses, [SEED_IDS.office365E3]);
    });

    it('removes the licence of a shared mailbox of exactly 50 GB, the most it may hold without one', async () => {
      const evidence = await readyForLicenceRemoval();
      janesMailbox().totalItemSizeBytes = 50 * 1024 ** 3;
      const outcome = await t.run(removeLicences, { evidence });
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.assignedLicenses, []);
    });

    it('keeps the licence when Exchange reports a size the app cannot read', async () => {
      const evidence = await readyForLicenceRemoval();
      const unreadableSize: ExchangeCalls = {
        async invoke(cmdlet, parameters) {
          const res = await t.ctx.exchange.invoke(cmdlet, parameters);
          return (cmdlet === 'Get-MailboxStatistics' ? { ...res, value: [{ ...res.value[0], TotalItemSize: 'Unavailable' }] } : res) as never;
        },
      };
      const outcome = await t.run(removeLicences, { evidence, exchange: unreadableSize });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /was kept: the mailbox size could not be read \(TotalItemSize "Unavailable"\)/);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.directLicenses, [SEED_IDS.office365E3]);
    });

    it('fails, and keeps the licence, when Exchange cannot give the size', async () => {
      const evidence = await readyForLicenceRemoval();
      t.sim.faults.add({ path: /InvokeCommand\/Get-MailboxStatistics$/, status: 500, code: 'InternalServerError', message: 'Temporary failure.' });
      const failed = await t.run(removeLicences, { evidence });
      assert.equal(failed.status, 'failed', 'an Exchange error is a failed step, retried later, never a removal');
      assert.deepEqual(assignLicenseCalls(), []);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.directLicenses, [SEED_IDS.office365E3]);
    });

    it('keeps the licence carrying the mailbox while the mailbox is not shared, and says what to do', async () => {
      const outcome = await t.run(removeLicences);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /ENTERPRISEPACK carries the mailbox \(EXCHANGE_S_ENTERPRISE\) and the mailbox is still a UserMailbox, not shared: convert it to shared/);
      assert.equal(t.sim.calls.filter((c) => c.path.endsWith('/assignLicense')).length, 0);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.directLicenses, [SEED_IDS.office365E3]);
    });

    it('keeps every licence when the request says so', async () => {
      const outcome = await t.run(removeLicences, { request: { ...t.ctx.request, licences: 'keep' } });
      assert.equal(outcome.status, 'skipped');
      assert.deepEqual(t.writes(), []);
    });

    it('never asks Graph to remove an inherited licence; one still inherited is left to a person', async () => {
      await t.run(convertToShared);
      const outcome = await t.run(removeLicences);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /EMS is still inherited from group/);
      const assign = t.sim.calls.filter((c) => c.path.endsWith('/assignLicense'));
      assert.deepEqual(assign.map((c) => c.body), [{ addLicenses: [], removeLicenses: [SEED_IDS.office365E3] }]);
      assert.deepEqual(t.sim.state.users.get(SEED_IDS.jane)!.licenseAssignmentStates.map((s) => s.assignedByGroup), [SEED_IDS.emsLicensing]);
    });
  });

  describe('mailbox size as Exchange reports it', () => {
    it('answers Get-MailboxStatistics with TotalItemSize as the REST endpoint does, a small mailbox by default', async () => {
      const stats = (await t.ctx.exchange.invoke<Record<string, unknown>>('Get-MailboxStatistics', { Identity: 'janed@contoso.com' })).value;
      assert.equal(stats.length, 1);
      assert.equal(stats[0].TotalItemSize, '1.234 GB (1,324,567,890 bytes)');
      assert.equal(stats[0].MailboxTypeDetail, 'UserMailbox');
      assert.equal(typeof stats[0].ItemCount, 'number');
    });

    it('reads the exact bytes, whatever the digit grouping', () => {
      assert.equal(sizeInBytes('1.234 GB (1,324,567,890 bytes)'), 1_324_567_890);
      assert.equal(sizeInBytes('60 GB (64,424,509,440 bytes)'), 64_424_509_440);
      assert.equal(sizeInBytes('0 B (0 bytes)'), 0);
      assert.equal(sizeInBytes('1,234 GB (1.324.567.890 bytes)'), 1_324_567_890);
      assert.equal(sizeInBytes(1024), 1024);
      assert.equal(sizeInBytes('1.234 GB'), undefined);
      assert.equal(sizeInBytes(undefined), undefined);
    });
  });
});
