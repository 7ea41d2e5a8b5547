import assert from 'node:assert/strict';
import type { GraphCalls } from '../../src/actions/offboarding-action';
import { transferGroupOwnership } from '../../src/actions/transfer-group-ownership';
import type { HandOverDecisions } from '../../src/cases/case';
import { SEED_IDS } from '../../src/sim/seed';
import type { SeedGroup, TenantSeed } from '../../src/sim/state';
import { janeInSim, type SimContext } from './sim-context';

const TIER_ZERO = '00000000-0000-0000-0000-0000000000a0';
const { jane, alex, danielBrown, salesTeam, projectFalcon, salesAnnouncements } = SEED_IDS;

/** Contoso with some groups' owners changed; Jane solely owns the Sales Team as seeded. */
const owners = (changed: Record<string, string[]>, extra: SeedGroup[] = []) => (contoso: TenantSeed): TenantSeed => ({
  ...contoso,
  groups: [...contoso.groups.map((g) => (changed[g.id] ? { ...g, ownerIds: changed[g.id] } : g)), ...extra],
});

/**
 * Graph answers without isAssignableToRole on the reads matching `where`. The simulated tenant
 * always sends the property when asked for it (null when unset), so the test takes it out.
 */
function withoutRoleFlag(graph: GraphCalls, where: RegExp): GraphCalls {
  const strip = (o: Record<string, unknown>) => delete o.isAssignableToRole;
  return {
    async get<T>(path: string, headers?: Record<string, string>) {
      const res = await graph.get<T>(path, headers);
      const body = res.body as { value?: Array<Record<string, unknown>> } & Record<string, unknown>;
      if (where.test(path)) (Array.isArray(body.value) ? body.value : [body]).forEach(strip);
      return res;
    },
    send: (method, path, body, headers) => graph.send(method, path, body, headers),
    batch: (calls) => graph.batch(calls),
  };
}

/** Jane also co-owns Project Falcon, a Microsoft 365 group, with Daniel Brown. */
const coOwningFalcon = { [projectFalcon]: [danielBrown, jane] };

describe("ending Jane's ownership of her groups and teams", () => {
  let t: SimContext;
  afterEach(() => t.sim.close());

  const ownersOf = (id: string) => t.sim.state.groups.get(id)!.ownerIds;
  const handOver = (choices: HandOverDecisions) => ({ request: { ...t.ctx.request, handOver: choices } });
  const exchangeCall = (cmdlet: string) => t.sim.calls.find((c) => (c.body as { CmdletInput?: { CmdletName?: string } })?.CmdletInput?.CmdletName === cmdlet);

  describe('owning a team alone and a Microsoft 365 group with Daniel', () => {
    beforeEach(async () => {
      t = await janeInSim({ seed: owners(coOwningFalcon) });
    });

    it('plans both for the preview, naming who takes over the team nobody else owns', async () => {
      const plan = await transferGroupOwnership.plan(t.ctx);
      assert.deepEqual(plan.changes.map((c) => (c as { name: string }).name), ['Sales Team (sole owner: Alex Wilber takes over; removed as owner)', 'Project Falcon (removed as owner)']);
      assert.equal(plan.found, "owner of 'Sales Team', 'Project Falcon'; removed as owner of each; Alex Wilber first takes over 'Sales Team', which nobody else owns.");
      assert.deepEqual(t.writes(), []);
    });

    it('makes the manager an owner of the team first, removes Jane as owner of both, and changes nothing the second time', async () => {
      const outcome = await t.run(transferGroupOwnership);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.equal(outcome.detail, "Made Alex Wilber an owner of 'Sales Team'. Removed the user as owner of 'Sales Team', 'Project Falcon'. (verified)");
      assert.deepEqual(ownersOf(salesTeam), [alex]);
      assert.deepEqual(ownersOf(projectFalcon), [danielBrown], 'the co-owned group keeps its other owner');
      assert.deepEqual(t.writes(), [
        { method: 'POST', path: `/v1.0/groups/${salesTeam}/owners/$ref` },
        { method: 'DELETE', path: `/v1.0/groups/${salesTeam}/owners/${jane}/$ref` },
        { method: 'DELETE', path: `/v1.0/groups/${projectFalcon}/owners/${jane}/$ref` },
      ]);
      assert.ok(t.sim.state.users.has(jane) && t.sim.state.deletedUsers.length === 0, 'only the owner link goes, never the user');

      const before = t.sim.calls.length;
      const again = await t.run(transferGroupOwnership);
      assert.equal(again.status, 'succeeded');
      assert.match(again.detail, /^Nothing to change: the user owns no group or team\./);
      assert.deepEqual(t.writes(before), []);
    });

    it('treats "already an owner" as done when someone added the new owner meanwhile', async () => {
      const plan = await transferGroupOwnership.plan(t.ctx);
      ownersOf(salesTeam).push(alex);
      const applied = await transferGroupOwnership.apply(t.ctx, plan);
      assert.deepEqual(applied.failures, []);
      assert.equal((await transferGroupOwnership.verify(t.ctx, plan, applied)).ok, true);
      assert.deepEqual(ownersOf(salesTeam), [alex]);
    });

    it('keeps Jane as owner, saying why, when Graph refuses to remove the last owner; a retry hands the group over', async () => {
      const plan = await transferGroupOwnership.plan(t.ctx);
      // Daniel leaves Project Falcon's owners between the plan and the change.
      t.sim.state.groups.get(projectFalcon)!.ownerIds = [jane];
      const applied = await transferGroupOwnership.apply(t.ctx, plan);
      assert.equal(applied.failures.length, 1);
      assert.match(
        applied.failures[0],
        /^Kept the user as owner of 'Project Falcon': Graph refuses to remove a group's last owner \(DELETE \S+\/owners\/\S+\/\$ref failed: The group must have at least one owner, hence this owner cannot be removed\. \(Request_BadRequest, HTTP 400, request-id [^)]+\)\)\. If a new owner was just added, retry the step in a few minutes; otherwise give the group another owner first\.$/,
      );
      assert.equal(applied.detail, "Made Alex Wilber an owner of 'Sales Team'. Removed the user as owner of 'Sales Team'.");
      assert.deepEqual(ownersOf(projectFalcon), [jane], 'never left without an owner');
      const verified = await transferGroupOwnership.verify(t.ctx, plan, applied);
      assert.equal(verified.ok, false);
      assert.equal(verified.detail, "Graph shows that the user is still an owner of 'Project Falcon'.");

      // The retry plans again: now nobody else owns Project Falcon, so Alex takes it over first.
      const retry = await t.run(transferGroupOwnership);
      assert.equal(retry.status, 'succeeded', retry.detail);
      assert.deepEqual(ownersOf(projectFalcon), [alex]);
    });

    it('keeps Jane as owner of the team when its new owner cannot be added, and still leaves the co-owned group', async () => {
      t.sim.faults.add({ method: 'POST', path: /\/owners\/\$ref$/, status: 403 });
      const outcome = await t.run(transferGroupOwnership);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.detail, /Could not make Alex Wilber an owner of 'Sales Team': POST \S+ failed: Insufficient privileges to complete the operation\. \(Authorization_RequestDenied, HTTP 403[^)]*\) The user stays its owner until someone else is\./);
      assert.match(outcome.detail, /^Microsoft 365 refused the app\. This step needs .*Group\.ReadWrite\.All.* Removed the user as owner of 'Project Falcon'\./);
      assert.match(outcome.detail, /Graph shows that Alex Wilber is not an owner of 'Sales Team'; the user is still an owner of 'Sales Team'\.$/);
      assert.deepEqual(ownersOf(salesTeam), [jane]);
      assert.deepEqual(ownersOf(projectFalcon), [danielBrown]);
      assert.ok(!t.writes().some((w) => w.method === 'DELETE' && w.path.includes(salesTeam)), 'no removal was attempted from the team');
    });
  });

  describe('owning the Sales Announcements distribution list', () => {
    it('hands the list she alone owns to the named person in one ManagedBy change in Exchange', async () => {
      t = await janeInSim({ seed: owners({ [salesAnnouncements]: [jane] }) });
      const outcome = await t.run(transferGroupOwnership, handOver({ groupsTo: 'danielb@contoso.com' }));
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.equal(outcome.detail, "Made Daniel Brown an owner of 'Sales Team', 'Sales Announcements'. Removed the user as owner of 'Sales Team', 'Sales Announcements'. (verified)");
      assert.deepEqual(ownersOf(salesAnnouncements), [danielBrown]);
      assert.deepEqual(ownersOf(salesTeam), [danielBrown]);
      assert.deepEqual((exchangeCall('Set-DistributionGroup')!.body as { CmdletInput: unknown }).CmdletInput, {
        CmdletName: 'Set-DistributionGroup',
        Parameters: {
          Identity: salesAnnouncements,
          ManagedBy: { '@odata.type': '#Exchange.GenericHashTable', Add: [danielBrown], Remove: [jane] },
          BypassSecurityGroupManagerCheck: true,
        },
      });
      assert.ok(!t.writes().some((w) => w.path.includes(`/groups/${salesAnnouncements}/`)), 'Graph cannot edit a list: nothing was sent there');
    });

    it('removes Jane from the owners of a list she shares with Alex, keeping Alex', async () => {
      t = await janeInSim({ seed: owners({ [salesAnnouncements]: [alex, jane] }) });
      const outcome = await t.run(transferGroupOwnership);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.deepEqual(ownersOf(salesAnnouncements), [alex]);
      const managedBy = (exchangeCall('Set-DistributionGroup')!.body as { CmdletInput: { Parameters: { ManagedBy: unknown } } }).CmdletInput.Parameters.ManagedBy;
      assert.deepEqual(managedBy, { '@odata.type': '#Exchange.GenericHashTable', Remove: [jane] });
    });

    it('keeps Jane as owner, with Exchange\'s reason, when Exchange refuses the change', async () => {
      t = await janeInSim({ seed: owners({ [salesAnnouncements]: [alex, jane] }) });
      t.sim.faults.add({ path: /\/InvokeCommand\/Set-DistributionGroup$/, status: 400, code: 'RecipientTaskException', message: 'Refused by a test.' });
      const outcome = await t.run(transferGroupOwnership);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.detail, /Could not remove the user from the owners of 'Sales Announcements' in Exchange: Set-DistributionGroup failed: Refused by a test\. \(RecipientTaskException, HTTP 400/);
      assert.match(outcome.detail, /the user is still an owner of 'Sales Announcements'\.$/);
      assert.deepEqual(ownersOf(salesAnnouncements), [alex, jane]);
    });

    it('leaves the list to a person, saying what to do, when the app has no Exchange connection', async () => {
      t = await janeInSim({ seed: owners({ [salesAnnouncements]: [alex, jane] }) });
      const outcome = await t.run(transferGroupOwnership, { exchange: undefined });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /For a person to do: Owner of 'Sales Announcements', a distribution list: remove the user from its owners in Exchange \(Set-DistributionGroup -ManagedBy @\{Remove=…\}\)\./);
      assert.deepEqual(ownersOf(salesAnnouncements), [alex, jane]);
      assert.deepEqual(ownersOf(salesTeam), [alex], 'the team is still handed over');
    });
  });

  describe('for a user without a manager', () => {
    const withoutManager = { id: jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', mail: 'janed@contoso.com' };

    it('leaves the team she alone owns to a person, flagged as sole owner, and still leaves the co-owned group', async () => {
      t = await janeInSim({ seed: owners(coOwningFalcon) });
      const outcome = await t.run(transferGroupOwnership, { target: withoutManager });
      assert.equal(outcome.status, 'manual');
      assert.match(outcome.detail, /Sole owner of 'Sales Team': The user has no manager and the request names nobody\. Add an owner in Entra or Teams, then remove the user as owner\./);
      assert.deepEqual(ownersOf(salesTeam), [jane]);
      assert.deepEqual(ownersOf(projectFalcon), [danielBrown]);
      assert.deepEqual(t.writes(), [{ method: 'DELETE', path: `/v1.0/groups/${projectFalcon}/owners/${jane}/$ref` }]);
    });
  });

  describe('owning a role-assignable group', () => {
    const tierZero: SeedGroup = { id: TIER_ZERO, displayName: 'Tier 0 - Identity Admins', isAssignableToRole: true, memberIds: [], ownerIds: [alex, jane] };

    it('leaves that ownership to a Privileged Role Administrator, with a note, and changes nothing there', async () => {
      t = await janeInSim({ seed: owners({}, [tierZero]) });
      const outcome = await t.run(transferGroupOwnership);
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /Owner of the role-assignable group 'Tier 0 - Identity Admins': left to a Privileged Role Administrator, since its owner can give themselves its roles\./);
      assert.deepEqual(ownersOf(TIER_ZERO), [alex, jane]);
      assert.ok(!t.writes().some((w) => w.path.includes(TIER_ZERO)));
      assert.deepEqual(ownersOf(salesTeam), [alex], 'her other groups are handled as usual');
    });

    it('reads a group on its own when the owned groups come back without isAssignableToRole, and hands over only the ordinary one', async () => {
      t = await janeInSim({ seed: owners({}, [tierZero]) });
      const outcome = await t.run(transferGroupOwnership, { graph: withoutRoleFlag(t.ctx.graph, /\/ownedObjects\?/) });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /Owner of the role-assignable group 'Tier 0 - Identity Admins': left to a Privileged Role Administrator/);
      assert.ok(t.sim.calls.some((c) => c.method === 'GET' && c.path === `/v1.0/groups/${TIER_ZERO}`), 'the group was read on its own');
      assert.ok(!t.writes().some((w) => w.path.includes(TIER_ZERO)), 'nobody was made an owner of the role-assignable group');
      assert.deepEqual(ownersOf(TIER_ZERO), [alex, jane]);
      assert.deepEqual(ownersOf(salesTeam), [alex], 'the ordinary group reads back null and is handed over');
    });

    it('leaves a group to a person when Graph does not say whether it is role-assignable', async () => {
      t = await janeInSim({ seed: owners({ [salesTeam]: [jane] }) });
      const outcome = await t.run(transferGroupOwnership, { graph: withoutRoleFlag(t.ctx.graph, /\/ownedObjects\?|\/groups\/[^/]+\?/) });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /Owner of 'Sales Team', which Graph did not say is role-assignable or not: left to a Privileged Role Administrator/);
      assert.deepEqual(t.writes(), []);
      assert.deepEqual(ownersOf(salesTeam), [jane]);
    });
  });
});
