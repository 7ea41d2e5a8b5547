import assert from 'node:assert/strict';
import { parseSnapshot } from '../../src/actions/take-evidence';
import type { OffboardingCase } from '../../src/cases/case';
import { riskySignIns } from '../../src/cases/risky-sign-ins';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { approvedCase } from '../engine/engine-fixtures';
import { startBotUnderTest, type BotUnderTest } from '../support/bot-under-test';

const DAY = 24 * 3600_000;
const janeTarget = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', mail: 'janed@contoso.com' };

/**
 * Jane's sign-ins, audits and device syncs are dated from the moment the simulated tenant is
 * seeded, so the demo reads them through the same 30-day window as a real tenant.
 */
describe('sim tenant: recent activity dated from the seeding moment', () => {
  let sim: SimTenant | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(async () => {
    await sim?.close();
    await bot?.stop();
    sim = bot = undefined;
  });

  it('dates each entry whole days before the seeding moment, at the story\'s time of day, never after it', async () => {
    // A second past midnight, on the first of a month: yesterday is the 28th of February.
    sim = await startSimTenant({ seededAt: new Date('2026-03-01T00:00:01Z') });
    assert.equal(sim.seededAt.toISOString(), '2026-03-01T00:00:01.000Z');
    const { signIns, directoryAudits, managedDevices } = sim.state;
    assert.deepEqual(signIns.map((s) => [s.id.slice(-4), s.createdDateTime, s.ipAddress]), [
      ['0100', '2026-02-28T18:05:12Z', '198.51.100.23'],
      ['0101', '2026-02-28T08:02:11Z', '198.51.100.23'],
      ['0102', '2026-02-27T03:14:52Z', '203.0.113.77'],
      ['0103', '2026-02-27T03:12:40Z', '203.0.113.77'],
    ], 'yesterday from Redmond; the night before last from Lagos, a failed try then the risky success');
    assert.deepEqual(directoryAudits.map((a) => [a.activityDisplayName, a.activityDateTime]), [
      // The night of her downloads, as Helpdesk Administrator.
      ['Read BitLocker key', '2026-02-27T22:58:31Z'],
      ['Invite external user', '2026-02-27T23:04:12Z'],
      ['User registered security info', '2026-02-27T03:20:05Z'],
      ['Reset user password', '2026-02-25T09:00:00Z'],
      ['Add member to group', '2026-02-24T14:30:00Z'],
      // History, not recent activity: the day her PIM eligibility was created.
      ['Add eligible member to role in PIM completed (permanent)', '2024-09-02T10:15:00Z'],
    ]);
    assert.deepEqual(managedDevices.filter((d) => d.userId === SEED_IDS.jane).map((d) => d.lastSyncDateTime), ['2026-02-28T07:45:12Z', '2026-02-28T18:02:40Z']);
  });

  it('the demo app, with the real 30-day window, finds a fresh tenant\'s sign-ins: in the evidence, and the risky one in the preview', async () => {
    bot = await startBotUnderTest();
    const { app } = bot;
    const seededAt = app.sim!.seededAt.getTime();
    assert.ok(Math.abs(seededAt - Date.now()) < 60_000, 'the demo tenant is seeded when the app starts');
    const jane = app.sim!.state.signIns.filter((s) => s.userId === SEED_IDS.jane);
    assert.equal(jane.length, 4);
    for (const s of jane) {
      const at = Date.parse(s.createdDateTime);
      assert.ok(at < seededAt && at > seededAt - 30 * DAY, `${s.id} at ${s.createdDateTime} is within the 30 days before ${app.sim!.seededAt.toISOString()}`);
    }

    // The plan preview's risk flag: the night before last, two calendar days (UTC) before the seeding.
    const graph = Graph.connect({ baseUrl: app.simUrl!, tokens: simulatedTenantToken, retryDelaySeconds: 0.01 });
    const seeded = new Date(seededAt);
    const nightBeforeLast = new Date(Date.UTC(seeded.getUTCFullYear(), seeded.getUTCMonth(), seeded.getUTCDate() - 2, 3, 14));
    assert.deepEqual(await riskySignIns(graph, SEED_IDS.jane), [
      `Risky sign-in (high risk) to OfficeHome from Lagos, NG at ${nightBeforeLast.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    ]);

    // The evidence, taken by the app's own engine and its audit log reader (no look-back setting of its own).
    const c: OffboardingCase = { ...approvedCase(janeTarget), steps: [{ action: 'takeEvidence', status: 'pending', requestIds: [] }] };
    await app.store.createCase(c);
    await app.runner.execute(c._id);
    const done = (await app.store.getCase(c._id))!;
    assert.equal(done.steps[0].status, 'succeeded', done.steps[0].detail);
    const { signIns, directoryAudits } = parseSnapshot(done.evidence)!.sections;
    assert.ok('value' in signIns && 'value' in directoryAudits);
    const entries = signIns.value as Array<{ id: string; ipAddress: string; riskLevelDuringSignIn: string }>;
    assert.deepEqual(entries.map((s) => s.id), jane.map((s) => s.id), 'all four, newest first');
    assert.deepEqual(entries.filter((s) => s.riskLevelDuringSignIn === 'high').map((s) => s.ipAddress), ['203.0.113.77']);
    assert.deepEqual((directoryAudits.value as Array<{ activityDisplayName: string }>).map((a) => a.activityDisplayName), [
      'User registered security info', 'Add member to group',
    ], 'the recent audits, not the 2024 PIM entry');
    const since = app.sim!.calls.find((call) => call.path === '/v1.0/auditLogs/signIns' && call.query.$filter?.startsWith('createdDateTime ge '))!.query.$filter.match(/^createdDateTime ge (\S+)/)![1];
    const lookBackDays = (Date.parse(done.steps[0].startedAt!) - Date.parse(since)) / DAY;
    assert.ok(lookBackDays > 29.99 && lookBackDays < 30.01, `the query looks back 30 days, not ${lookBackDays.toFixed(2)}`);
  });
});
