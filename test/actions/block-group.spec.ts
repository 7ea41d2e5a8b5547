import assert from 'node:assert/strict';
import { addToBlockGroup } from '../../src/actions/add-to-block-group';
import { removeGroupMemberships } from '../../src/actions/remove-group-memberships';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('the Conditional Access block group', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const configured = { policy: { blockGroupId: SEED_IDS.caBlockGroup } };
  const blockGroup = () => t.sim.state.groups.get(SEED_IDS.caBlockGroup)!;

  it('is skipped, without a call, when no block group is configured', async () => {
    const outcome = await t.run(addToBlockGroup);
    assert.equal(outcome.status, 'skipped');
    assert.match(outcome.detail, /no Conditional Access block group is configured/);
    assert.deepEqual(t.sim.calls, []);
    assert.deepEqual(blockGroup().memberIds, []);
  });

  it('adds Jane to the configured group, verifies, and does nothing the second time', async () => {
    const outcome = await t.run(addToBlockGroup, configured);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Added to 'Offboarding – block sign-in \(CA\)', the Conditional Access block group\. \(verified: member\)/);
    assert.deepEqual(blockGroup().memberIds, [SEED_IDS.jane]);
    assert.deepEqual(t.writes(), [{ method: 'POST', path: `/v1.0/groups/${SEED_IDS.caBlockGroup}/members/$ref` }]);

    const calls = t.sim.calls.length;
    const again = await t.run(addToBlockGroup, configured);
    assert.equal(again.status, 'succeeded');
    assert.match(again.detail, /^Nothing to change: already a member of 'Offboarding – block sign-in \(CA\)'/);
    assert.deepEqual(t.writes(calls), []);
  });

  it("takes Graph's 'already exist' answer (added meanwhile, e.g. by a resumed run) as done", async () => {
    const plan = await addToBlockGroup.plan({ ...t.ctx, ...configured });
    blockGroup().memberIds.push(SEED_IDS.jane);
    const applied = await addToBlockGroup.apply({ ...t.ctx, ...configured }, plan);
    assert.ok(t.sim.calls.some((c) => c.method === 'POST' && c.status === 400), 'the sim refused the second add');
    assert.deepEqual(applied.failures, []);
    assert.equal((await addToBlockGroup.verify({ ...t.ctx, ...configured }, plan, applied)).ok, true);
    assert.deepEqual(blockGroup().memberIds, [SEED_IDS.jane]);
  });

  it("fails with Graph's error when the app may not add members", async () => {
    t.sim.faults.add({ method: 'POST', path: /\/members\/\$ref$/, status: 403 });
    const outcome = await t.run(addToBlockGroup, configured);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Authorization_RequestDenied, HTTP 403/);
    assert.deepEqual(blockGroup().memberIds, []);
  });

  it('fails, saying which setting is wrong, when the configured group does not exist', async () => {
    const outcome = await t.run(addToBlockGroup, { policy: { blockGroupId: '00000000-0000-0000-0000-0000000000cb' } });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /The Conditional Access block group 00000000-0000-0000-0000-0000000000cb \(CA_BLOCK_GROUP_ID\) does not exist/);
    assert.deepEqual(t.writes(), []);
  });

  it('is kept when the memberships are removed, and the step says so', async () => {
    await t.run(addToBlockGroup, configured);
    const outcome = await t.run(removeGroupMemberships, configured);
    assert.match(outcome.detail, /Kept in 'Offboarding – block sign-in \(CA\)', the Conditional Access block group\./);
    assert.deepEqual(blockGroup().memberIds, [SEED_IDS.jane]);
    assert.ok(!t.sim.calls.some((c) => c.method === 'DELETE' && c.path.includes(SEED_IDS.caBlockGroup)), 'no removal was even tried');
    assert.equal(t.sim.state.groups.get(SEED_IDS.vpnUsers)!.memberIds.includes(SEED_IDS.jane), false, 'the other groups were left');

    const again = await t.run(removeGroupMemberships, configured);
    assert.match(again.detail, /^Nothing to change: .*Kept in 'Offboarding – block sign-in \(CA\)'/);
  });
});
