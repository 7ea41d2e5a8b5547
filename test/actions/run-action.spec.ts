import assert from 'node:assert/strict';
import type { OffboardingAction } from '../../src/actions/offboarding-action';
import { janeInSim, type SimContext } from './sim-context';

/** A made-up action over Jane's profile, to drive runAction through each of its paths. */
function probe(overrides: Partial<OffboardingAction<string>> = {}): OffboardingAction<string> {
  return {
    name: 'blockSignIn',
    async plan({ graph, target }) {
      await graph.get(`/users/${target.id}?$select=id`);
      return { changes: ['x'], found: 'one thing' };
    },
    async apply() {
      return { detail: 'Changed it.', failures: [] };
    },
    async verify() {
      return { ok: true, detail: '(verified)' };
    },
    ...overrides,
  };
}

describe('runAction: plan, apply, verify', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  it('succeeds when apply and verify agree, keeping the request-id of every call', async () => {
    const outcome = await t.run(probe());
    assert.equal(outcome.status, 'succeeded');
    assert.equal(outcome.detail, 'Changed it. (verified)');
    assert.deepEqual(outcome.requestIds, t.sim.calls.map((c) => c.requestId));
  });

  it('does not apply when there is nothing to change, and says why', async () => {
    let applied = false;
    const outcome = await t.run(probe({ plan: async () => ({ changes: [], found: 'already done.' }), apply: async () => ((applied = true), { detail: '', failures: [] }) }));
    assert.equal(applied, false);
    assert.equal(outcome.status, 'succeeded');
    assert.equal(outcome.detail, 'Nothing to change: already done.');
  });

  it('stops as skipped or manual when the plan says so', async () => {
    const outcome = await t.run(probe({ plan: async () => ({ changes: ['x'], found: '', stop: { status: 'manual', reason: 'Do it on-premises.' } }) }));
    assert.deepEqual([outcome.status, outcome.detail], ['manual', 'Do it on-premises.']);
  });

  it('ends manual when objects were left for a person, and failed when verify disagrees', async () => {
    const manual = await t.run(probe({ plan: async () => ({ changes: ['x'], found: '', manual: ['Remove the DL by hand.'] }) }));
    assert.equal(manual.status, 'manual');
    assert.match(manual.detail, /For a person to do: Remove the DL by hand\./);
    const unverified = await t.run(probe({ verify: async () => ({ ok: false, detail: 'Still there.' }) }));
    assert.equal(unverified.status, 'failed');
    assert.match(unverified.detail, /Still there\./);
  });

  it('turns a Graph error into a failed step with the code and the failed call\'s request-id', async () => {
    t.sim.faults.add({ path: /\/users\//, status: 403 });
    const outcome = await t.run(probe());
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Authorization_RequestDenied, HTTP 403, request-id /);
    assert.deepEqual(outcome.requestIds, [t.sim.calls[0].requestId]);
  });
});
