import assert from 'node:assert/strict';
import { retireOrWipeDevices } from '../../src/actions/retire-or-wipe-devices';
import type { DeviceDecision } from '../../src/cases/case';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('retire or wipe Intune devices', () => {
  let t: SimContext;
  afterEach(() => t.sim.close());

  const choose = (devices: DeviceDecision) => ({ request: { ...t.ctx.request, devices } });
  const queued = () =>
    Object.fromEntries(t.sim.state.managedDevices.map((d) => [d.deviceName, (d.deviceActionResults ?? []).map((r) => `${r.actionName} ${r.actionState}`)]));

  describe('with Jane as seeded (a company laptop, a personal iPhone)', () => {
    beforeEach(async () => {
      t = await janeInSim();
    });

    it('retires every device by default, verified as pending on each, and does not retire them again', async () => {
      const outcome = await t.run(retireOrWipeDevices);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Queued retire on CONTOSO-JD-LT01, retire on Jane's iPhone; each runs when the device next checks in\./);
      assert.match(outcome.detail, /verified: pending on each device/);
      assert.deepEqual(queued(), { 'CONTOSO-JD-LT01': ['retire pending'], "Jane's iPhone": ['retire pending'] });
      const before = t.sim.calls.length;
      const again = await t.run(retireOrWipeDevices);
      assert.match(again.detail, /^Nothing to change: every device already has its action queued/);
      assert.deepEqual(t.writes(before), []);
    });

    it('wipes the company laptop but only retires the personal phone, and says so', async () => {
      const outcome = await t.run(retireOrWipeDevices, choose('wipe'));
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Jane's iPhone is not company-owned: retired, not wiped\./);
      assert.deepEqual(queued(), { 'CONTOSO-JD-LT01': ['wipe pending'], "Jane's iPhone": ['retire pending'] });
      const wipe = t.sim.calls.find((c) => c.path.endsWith('/wipe'))!;
      assert.deepEqual(wipe.body, { keepEnrollmentData: false, keepUserData: false });
    });

    it('leaves the devices alone when the request says so, naming them', async () => {
      const outcome = await t.run(retireOrWipeDevices, choose('leave'));
      assert.equal(outcome.status, 'skipped');
      assert.match(outcome.detail, /leaves the Intune-managed devices as they are: CONTOSO-JD-LT01 \(Windows, company\), Jane's iPhone \(iOS, personal\)/);
      assert.deepEqual(t.writes(), []);
    });

    it('reports a device Intune refused, queues the other, and a retry sends only the refused one', async () => {
      t.sim.faults.add({ method: 'POST', path: new RegExp(`managedDevices/${SEED_IDS.janeLaptop}/retire$`), status: 403 });
      const failed = await t.run(retireOrWipeDevices);
      assert.equal(failed.status, 'failed');
      assert.match(failed.detail, /Could not retire CONTOSO-JD-LT01: .*HTTP 403/);
      assert.deepEqual(queued(), { 'CONTOSO-JD-LT01': [], "Jane's iPhone": ['retire pending'] });
      const before = t.sim.calls.length;
      const retried = await t.run(retireOrWipeDevices);
      assert.equal(retried.status, 'succeeded', retried.detail);
      assert.deepEqual(t.writes(before).map((w) => w.path), [`/v1.0/deviceManagement/managedDevices/${SEED_IDS.janeLaptop}/retire`]);
    });
  });

  it('sends again an action that failed, and counts a queued wipe as covering a retire', async () => {
    const at = '2025-11-20T10:00:00Z';
    t = await janeInSim({
      seed: (contoso) => ({
        ...contoso,
        managedDevices: contoso.managedDevices!.map((d) => ({
          ...d,
          deviceActionResults: [{ actionName: d.id === SEED_IDS.janeLaptop ? 'retire' : 'wipe', actionState: d.id === SEED_IDS.janeLaptop ? 'failed' : 'pending', startDateTime: at, lastUpdatedDateTime: at }],
        })),
      }),
    });
    const outcome = await t.run(retireOrWipeDevices);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.deepEqual(t.writes().map((w) => w.path), [`/v1.0/deviceManagement/managedDevices/${SEED_IDS.janeLaptop}/retire`]);
  });

  it('has nothing to do for a user without managed devices', async () => {
    t = await janeInSim();
    const outcome = await t.run(retireOrWipeDevices, { target: { ...t.ctx.target, id: SEED_IDS.danielGreen } });
    assert.equal(outcome.status, 'succeeded');
    assert.match(outcome.detail, /^Nothing to change: no Intune-managed devices\./);
  });
});
