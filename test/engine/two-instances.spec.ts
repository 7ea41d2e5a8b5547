import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { ACTIONS } from '../../src/actions/catalogue';
import type { OffboardingCase } from '../../src/cases/case';
import { CaseRunner } from '../../src/engine/case-runner';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { withStaff } from '../../src/sim/bulk-tenant';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { CaseStore } from '../../src/store/case-store';
import { caseStoreOnClient } from '../../src/store/open-store';
import { startMongoForTests, type TestMongo } from '../support/ferretdb';
import { appliedWrites, approvedCase, RecordingNotifier, repeated, staffTarget } from './engine-fixtures';

/** As the issue asks; about 3 min on FerretDB 1.x (SQLite) on 2 cores, where the store binds. */
const CASES = 100;

describe('two engine instances on one FerretDB', () => {
  let mongo: TestMongo;
  let sim: SimTenant;
  const clients: MongoClient[] = [];

  before(async () => {
    mongo = await startMongoForTests();
  });
  beforeEach(async () => {
    sim = await startSimTenant({ seed: withStaff(CASES) });
  });
  afterEach(async () => {
    await sim.close();
    for (const client of clients.splice(0)) await client.close();
  });

  /** One app instance: its own connection pool, store and runner, as a second process would have. */
  async function instance(dbName: string, name: string): Promise<{ store: CaseStore; runner: CaseRunner; notifier: RecordingNotifier }> {
    const client = await new MongoClient(mongo.uri).connect();
    clients.push(client);
    // Wrapped as the app wraps it (busy retries included), on a pool of its own.
    const store = caseStoreOnClient(client, dbName);
    await store.init();
    const notifier = new RecordingNotifier();
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 2 });
    const runner = new CaseRunner({ store, graph, notifier, actions: ACTIONS, log: silentLogger, instanceId: name, sweepConcurrency: 10 });
    return { store, runner, notifier };
  }

  it(`run ${CASES} cases together: every case finishes once and no write reaches the tenant twice`, async function () {
    this.timeout(600_000);
    const dbName = `${mongo.dbName}_two_instances`;
    const a = await instance(dbName, 'instance-a');
    const b = await instance(dbName, 'instance-b');
    const cases: OffboardingCase[] = Array.from({ length: CASES }, (_, i) => approvedCase(staffTarget(i)));
    for (const c of cases) assert.equal(await a.store.createCase(c), 'created');

    // Both sweep at once, and both are also told about every case, as onApproved would.
    await Promise.all([a.runner.sweep(), b.runner.sweep(), ...cases.map((c, i) => (i % 2 ? a : b).runner.execute(c._id))]);
    await Promise.all([a.runner.sweep(), b.runner.sweep()]);

    for (const c of cases) {
      const done = (await a.store.getCase(c._id))!;
      assert.equal(done.state, 'completed', `${c.target.displayName}: ${done.steps.map((s) => `${s.action}=${s.status}`).join(' ')}`);
      assert.equal(sim.state.users.get(c.target.id)!.accountEnabled, false);
      assert.equal(sim.state.users.get(c.target.id)!.revokeCount, 1);
    }
    assert.equal(a.notifier.finished.length + b.notifier.finished.length, CASES, 'each case was closed by one instance');
    assert.ok(a.notifier.finished.length > 0 && b.notifier.finished.length > 0, 'both instances did work');
    assert.deepEqual(repeated(appliedWrites(sim.calls)), []);
    const audit = await Promise.all(cases.map((c) => a.store.listAudit(c._id)));
    assert.ok(audit.every((events) => events.filter((e) => e.event === 'case.completed').length === 1));
    await clients[0].db(dbName).dropDatabase();
  });
});
