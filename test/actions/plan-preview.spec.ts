import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import type { DeviceDecision, OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import { janeInSim, type SimContext } from './sim-context';

describe('the plan preview for Jane, read from the simulated tenant', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const preview = (devices?: DeviceDecision) => {
    const c = { _id: 'case-preview', target: t.ctx.target, request: { ...t.ctx.request, devices }, steps: planSteps() } as OffboardingCase;
    return previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c);
  };

  it('lists the devices, the solely owned team, the OneDrive hand-over and the reports, with their risks, without writing', async () => {
    const items = Object.fromEntries((await preview()).map((p) => [p.action, p]));
    assert.deepEqual(items.retireOrWipeDevices.changes, ['CONTOSO-JD-LT01: retire', "Jane's iPhone: retire"]);
    assert.deepEqual(items.transferGroupOwnership.changes, ['Sales Team']);
    assert.deepEqual(items.transferGroupOwnership.risks, ["Sole owner of 'Sales Team'."]);
    assert.deepEqual(items.grantOneDriveAccess.changes, ['Alex Wilber (edit)']);
    assert.deepEqual(items.grantOneDriveAccess.risks, ['OneDrive files are shared outside the company.']);
    assert.deepEqual(items.moveDirectReports.changes, ['Pradeep Gupta', 'Grady Archie']);
    assert.deepEqual(t.writes(), []);
  });

  it('flags a factory reset when the request wipes devices', async () => {
    const items = Object.fromEntries((await preview('wipe')).map((p) => [p.action, p]));
    assert.deepEqual(items.retireOrWipeDevices.risks, ['Factory reset of CONTOSO-JD-LT01.']);
  });
});
