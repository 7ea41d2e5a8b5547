import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { ActionPolicy } from '../../src/actions/offboarding-action';
import type { ActionName } from '../../src/cases/case';
import { CaseRunner } from '../../src/engine/case-runner';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier } from './engine-fixtures';

const jane = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' };
const STEPS: ActionName[] = ['blockSignIn', 'addToBlockGroup', 'removeGroupMemberships'];

describe('the engine hands the configured Conditional Access block group to the actions', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;

  beforeEach(async () => {
    sim = await startSimTenant();
    dir = await mkdtemp(path.join(tmpdir(), 'policy-'));
    store = await EmbeddedCaseStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function run(actionPolicy?: ActionPolicy) {
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.01 });
    const runner = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, actionPolicy });
    const c = { ...approvedCase(jane), steps: STEPS.map((action) => ({ action, status: 'pending' as const, requestIds: [] })) };
    await store.createCase(c);
    const done = await runner.execute(c._id);
    return Object.fromEntries(done!.steps.map((s) => [s.action, s]));
  }

  it('configured: Jane joins the group and stays in it while leaving the others', async () => {
    const steps = await run({ blockGroupId: SEED_IDS.caBlockGroup });
    assert.equal(steps.addToBlockGroup.status, 'succeeded', steps.addToBlockGroup.detail);
    assert.match(steps.removeGroupMemberships.detail!, /Kept in 'Offboarding – block sign-in \(CA\)'/);
    assert.deepEqual(sim.state.groups.get(SEED_IDS.caBlockGroup)!.memberIds, [SEED_IDS.jane]);
  });

  it('not configured: the step is skipped and the group untouched', async () => {
    const steps = await run();
    assert.equal(steps.addToBlockGroup.status, 'skipped');
    assert.match(steps.addToBlockGroup.detail!, /no Conditional Access block group is configured/);
    assert.deepEqual(sim.state.groups.get(SEED_IDS.caBlockGroup)!.memberIds, []);
  });
});
