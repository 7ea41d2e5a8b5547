import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { OffboardingCase } from '../../src/cases/case';
import { CaseRunner } from '../../src/engine/case-runner';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { withStaff } from '../../src/sim/bulk-tenant';
import type { SimCall } from '../../src/sim/calls';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier, staffTarget } from './engine-fixtures';

const PEOPLE = 12;
const AT_ONCE = 3;

/** The tenant's log position of the write that disabled `userId`'s account. */
function disabledAt(calls: readonly SimCall[], userId: string): number {
  return calls.findIndex((c) => c.method === 'PATCH' && c.path === `/v1.0/users/${userId}` && c.status < 300 && (c.body as { accountEnabled?: boolean })?.accountEnabled === false);
}

/** Writes of the clean-up steps: a membership, an app consent or a licence taken away. */
const isCleanUp = (c: SimCall) =>
  c.status < 300 && ((c.method === 'DELETE' && /\/members\/.+\/\$ref$|oauth2PermissionGrants/.test(c.path)) || (c.method === 'POST' && c.path.endsWith('/assignLicense')));

describe('a layoff: more cases due at once than an instance runs together', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;

  beforeEach(async () => {
    sim = await startSimTenant({ seed: withStaff(PEOPLE) });
    dir = await mkdtemp(path.join(tmpdir(), 'layoff-'));
    store = await EmbeddedCaseStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shuts the people out before anyone’s things are cleaned up, high-risk exits first', async function () {
    this.timeout(60_000);
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 2 });
    const runner = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, sweepConcurrency: AT_ONCE });
    // Ten involuntary exits came first; the two high-risk ones were approved last.
    const cases: OffboardingCase[] = Array.from({ length: PEOPLE }, (_, i) => {
      const c = approvedCase(staffTarget(i));
      return { ...c, request: { ...c.request, departureType: i < PEOPLE - 2 ? 'involuntary' : 'high-risk' } };
    });
    for (const c of cases) assert.equal(await store.createCase(c), 'created');

    const done = await Promise.all(cases.map((c) => runner.execute(c._id)));

    assert.deepEqual(done.map((c) => c?.state), cases.map(() => 'completed'));
    const disabled = cases.map((c) => disabledAt(sim.calls, c.target.id));
    assert.ok(disabled.every((at) => at >= 0), 'every account was disabled');
    const firstCleanUp = sim.calls.findIndex(isCleanUp);
    assert.ok(firstCleanUp >= 0, 'the staff had memberships, consents or licences to take away');
    // Slots are never left idle: once fewer cases than slots are still shutting people out, the
    // free ones go on to clean-up. So at most the other slots' people may still have access then.
    const stillEnabled = disabled.filter((at) => at > firstCleanUp).length;
    assert.ok(stillEnabled <= AT_ONCE - 1, `${stillEnabled} of ${PEOPLE} accounts were still enabled when the first membership, consent or licence went`);
    const order = [...disabled].sort((a, b) => a - b);
    for (const highRisk of disabled.slice(-2)) {
      assert.ok(order.indexOf(highRisk) < AT_ONCE, 'a high-risk exit approved last is among the first shut out');
    }
  });

  it('shuts out a high-risk exit approved during a batch of voluntary departures ahead of the batch', async function () {
    this.timeout(60_000);
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 2 });
    const runner = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, sweepConcurrency: AT_ONCE });
    const cases: OffboardingCase[] = Array.from({ length: PEOPLE }, (_, i) => {
      const c = approvedCase(staffTarget(i));
      return i < PEOPLE - 1 ? c : { ...c, request: { ...c.request, departureType: 'high-risk' } };
    });
    for (const c of cases) assert.equal(await store.createCase(c), 'created');

    const done = await Promise.all(cases.map((c) => runner.execute(c._id)));

    assert.deepEqual(done.map((c) => c?.state), cases.map(() => 'completed'));
    const disabled = cases.map((c) => disabledAt(sim.calls, c.target.id));
    const highRisk = disabled[PEOPLE - 1];
    const before = disabled.filter((at) => at < highRisk).length;
    assert.ok(before < AT_ONCE, `${before} voluntary accounts were disabled before the high-risk one`);
  });
});
