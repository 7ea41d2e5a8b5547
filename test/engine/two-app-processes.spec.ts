import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OffboardingCase } from '../../src/cases/case';
import { staffId, withStaff } from '../../src/sim/bulk-tenant';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { cardText, cardVerbs } from '../support/card-text';
import { ConnectorRecorder } from '../support/connector-recorder';
import { startMongoForTests, type TestMongo } from '../support/ferretdb';
import { cardAction, installInTeam, postActivity, type TeamsUser } from '../support/teams-activities';
import { appliedWrites, repeated } from './engine-fixtures';

const SECURITY = '19:security@thread.tacv2';
const IT = '19:it-operations@thread.tacv2';
const isaiah: TeamsUser = { id: 'user-id-3', name: 'Isaiah Langer', aadObjectId: SEED_IDS.isaiah };
const megan: TeamsUser = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: SEED_IDS.megan };

describe('two app processes on one MongoDB and one simulated tenant (SIM_URL)', () => {
  let mongo: TestMongo;
  let sim: SimTenant;
  let connector: ConnectorRecorder;
  let store: CaseStore;
  let dataDir: string;
  const apps: AppProcess[] = [];

  before(async function () {
    this.timeout(120_000);
    mongo = await startMongoForTests();
    sim = await startSimTenant({ seed: withStaff(1) });
    connector = await new ConnectorRecorder([{ id: IT, name: 'General' }, { id: SECURITY, name: 'Security' }]).start();
    dataDir = await mkdtemp(path.join(tmpdir(), 'two-apps-'));
    const env = { SIM_URL: sim.url, DATA_DIR: dataDir, MONGODB_URI: mongo.uri, MONGODB_DB: `${mongo.dbName}_two_apps`, LOG_LEVEL: 'warn' };
    apps.push(...(await Promise.all([startAppProcess(env), startAppProcess(env)])));
    store = await openCaseStore({ mongodbUri: mongo.uri, mongodbDb: env.MONGODB_DB, dataDir });
  });
  after(async function () {
    this.timeout(60_000);
    await Promise.all(apps.map((app) => app.stop()));
    await store?.close();
    await connector?.stop();
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a request through one and the approval through the other run the case once; a late click on the first is refused', async function () {
    this.timeout(120_000);
    const [a, b] = apps;
    assert.equal((await postActivity(a.url, installInTeam(connector.url, isaiah))).status, 200);
    const target = staffId(0);
    const requested = await postActivity(a.url, cardAction(connector.url, isaiah, { id: `a:personal-${isaiah.id}`, conversationType: 'personal' }, 'submitRequest', {
      targetId: target, departureType: 'involuntary', timeZone: 'UTC', cutoffNow: 'true',
    }));
    assert.match(cardText(requested.body?.value), /awaiting|approval/i, cardText(requested.body?.value));
    let approve: Record<string, unknown> | undefined;
    await connector.waitFor(() => {
      approve = connector.cards({ conversationId: SECURITY, method: 'POST' }).flatMap(({ card }) => cardVerbs(card)).find((v) => v.verb === 'approve')?.data;
      return approve !== undefined;
    }, 30_000);

    const approved = await postActivity(b.url, cardAction(connector.url, megan, { id: SECURITY, conversationType: 'channel' }, 'approve', approve!));
    assert.match(cardText(approved.body?.value), /Approved by Megan Bowen/);

    const caseId = String(approve!.caseId);
    let c: OffboardingCase | null = null;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      c = await store.getCase(caseId);
      if (c && !['approved', 'running'].includes(c.state)) break;
    }
    assert.equal(c?.state, 'completed', c?.steps.map((s) => `${s.action}=${s.status}`).join(' '));
    assert.equal(sim.state.users.get(target)!.accountEnabled, false);
    assert.equal(sim.state.users.get(target)!.revokeCount, 1);
    assert.deepEqual(repeated(appliedWrites(sim.calls)), [], 'no write reached the tenant twice');

    const late = await postActivity(a.url, cardAction(connector.url, megan, { id: SECURITY, conversationType: 'channel' }, 'approve', approve!));
    assert.deepEqual(cardVerbs(late.body?.value).map((v) => v.verb).filter((v) => v === 'approve' || v === 'reject'), [], cardText(late.body?.value));
    assert.match(cardText(late.body?.value), /already/i, 'the late click is told the case was already decided');
    assert.equal((await store.listAudit(caseId)).filter((e) => e.event === 'case.approved').length, 1);
    for (const app of apps) assert.deepEqual([...app.problems.keys()].filter((e) => /failed|error/.test(e)), [], app.output());
  });
});
