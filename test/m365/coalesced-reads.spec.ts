/**
 * The reads made on each decision (account status, group membership) go to the simulated tenant
 * together: one person's two reads in one $batch, a burst of clicks in a few batches of at most 20,
 * a read on its own as a plain GET. Each answer is the one a plain read would give, including a
 * deleted account, a refusal and throttling.
 */
import assert from 'node:assert/strict';
import { DEMO_DEFAULTS } from '../../src/config';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Directory } from '../../src/m365/directory';
import { Graph } from '../../src/m365/graph';
import { M365Error } from '../../src/m365/m365-error';
import { staffId, withStaff } from '../../src/sim/bulk-tenant';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

interface SentBatch {
  requests: Array<{ url: string }>;
}

describe('decision reads, batched per turn of the event loop', () => {
  let sim: SimTenant;
  let directory: Directory;
  beforeEach(async () => {
    sim = await startSimTenant({ seed: withStaff(30) });
    directory = new Directory(Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.05 }));
  });
  afterEach(() => sim.close());

  const batches = () => sim.calls.filter((c) => c.path === '/v1.0/$batch').map((c) => (c.body as SentBatch).requests.map((r) => r.url));
  const plainGets = () => sim.calls.filter((c) => c.method === 'GET' && !c.path.endsWith('$batch'));

  it("reads a person's account status and security-group membership in one batch, with the right answers", async () => {
    const [member, enabled] = await Promise.all([directory.isMemberOf(SEED_IDS.megan, DEMO_DEFAULTS.securityGroupId), directory.isAccountEnabled(SEED_IDS.megan)]);
    assert.deepEqual([member, enabled], [true, true]);
    assert.deepEqual(batches(), [[`/users/${SEED_IDS.megan}/transitiveMemberOf?$select=id&$top=999`, `/users/${SEED_IDS.megan}?$select=accountEnabled`]]);

    const [jane, janeEnabled] = await Promise.all([directory.isMemberOf(SEED_IDS.jane, DEMO_DEFAULTS.securityGroupId), directory.isAccountEnabled(SEED_IDS.jane)]);
    assert.deepEqual([jane, janeEnabled], [false, true], 'Jane is not a security approver');
  });

  it('sends a read made on its own as a plain GET, without a batch', async () => {
    assert.equal(await directory.isAccountEnabled(SEED_IDS.megan), true);
    assert.deepEqual(batches(), []);
    assert.equal(plainGets().length, 1);
  });

  it('reads 30 people at once in a batch of 20 and one of 10; a disabled and a deleted account read as not enabled', async () => {
    sim.state.users.get(staffId(3))!.accountEnabled = false;
    sim.state.users.delete(staffId(7));
    const enabled = await Promise.all(Array.from({ length: 30 }, (_, i) => directory.isAccountEnabled(staffId(i))));
    assert.deepEqual(
      enabled.map((e, i) => (e ? null : i)).filter((i) => i !== null),
      [3, 7],
    );
    assert.deepEqual(batches().map((b) => b.length), [20, 10]);
    assert.equal(plainGets().filter((c) => !c.path.includes('$batch')).length, 30, 'each sub-request reached the tenant once');
  });

  it('re-sends a throttled read of the batch after its Retry-After, and answers it right', async () => {
    sim.state.users.get(staffId(1))!.accountEnabled = false;
    sim.faults.add({ method: 'GET', path: new RegExp(`/users/${staffId(1)}$`), status: 429, retryAfterSeconds: 1 });
    const enabled = await Promise.all([0, 1, 2].map((i) => directory.isAccountEnabled(staffId(i))));
    assert.deepEqual(enabled, [true, false, true]);
    assert.deepEqual(batches().map((b) => b.length), [3, 1]);
  });

  it("fails only the read Graph refused, with Graph's error, and answers the others", async () => {
    sim.faults.add({ method: 'GET', path: new RegExp(`/users/${staffId(2)}$`), status: 403 });
    const settled = await Promise.allSettled([0, 1, 2].map((i) => directory.isAccountEnabled(staffId(i))));
    assert.deepEqual(settled.slice(0, 2).map((s) => s.status === 'fulfilled' && s.value), [true, true]);
    const refused = settled[2];
    assert.ok(refused.status === 'rejected' && refused.reason instanceof M365Error && refused.reason.status === 403);
  });
});
