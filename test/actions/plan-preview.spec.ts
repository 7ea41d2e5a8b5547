import assert from 'node:assert/strict';
import { daysAfter } from '../../src/sim/seed-clock';
import { ACTIONS } from '../../src/actions/catalogue';
import type { DeviceDecision, OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import type { ActionPolicy } from '../../src/actions/offboarding-action';
import { SEED_IDS } from '../../src/sim/seed';
import { withoutPimLicence } from '../support/without-pim-licence';
import { janeInSim, type SimContext } from './sim-context';

/** The tenant is seeded at this moment; Jane's activity is dated from it (src/sim/seed-clock.ts). */
const SEEDED_AT = new Date('2026-03-01T09:30:00Z');

describe('the plan preview for Jane, read from the simulated tenant', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim({ seededAt: SEEDED_AT });
  });
  afterEach(() => t.sim.close());

  const preview = (devices?: DeviceDecision, actionPolicy?: ActionPolicy) => {
    const c = { _id: 'case-preview', target: t.ctx.target, request: { ...t.ctx.request, devices }, steps: planSteps() } as OffboardingCase;
    return previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS, actionPolicy }, c);
  };

  it('lists the devices, the solely owned team, the OneDrive hand-over and the reports, with their risks, without writing', async () => {
    const items = Object.fromEntries((await preview()).map((p) => [p.action, p]));
    assert.deepEqual(items.retireOrWipeDevices.changes, ['CONTOSO-JD-LT01: retire', "Jane's iPhone: retire"]);
    assert.deepEqual(items.transferGroupOwnership.changes, ['Sales Team (sole owner: Alex Wilber takes over; removed as owner)']);
    assert.deepEqual(items.transferGroupOwnership.risks, ["Sole owner of 'Sales Team'."]);
    assert.deepEqual(items.grantOneDriveAccess.changes, ['Alex Wilber (edit)']);
    assert.deepEqual(items.grantOneDriveAccess.risks, ['OneDrive files are shared outside the company.']);
    assert.deepEqual(items.moveDirectReports.changes, ['Pradeep Gupta', 'Grady Archie']);
    assert.deepEqual(t.writes(), []);
  });

  it('lists a co-owned group as one Jane is removed from, without the sole-owner risk', async () => {
    t.sim.state.groups.get(SEED_IDS.projectFalcon)!.ownerIds.push(SEED_IDS.jane);
    const items = Object.fromEntries((await preview()).map((p) => [p.action, p]));
    assert.deepEqual(items.transferGroupOwnership.changes, ['Sales Team (sole owner: Alex Wilber takes over; removed as owner)', 'Project Falcon (removed as owner)']);
    assert.deepEqual(items.transferGroupOwnership.risks, ["Sole owner of 'Sales Team'."]);
    assert.deepEqual(t.writes(), []);
  });

  it('flags the PIM eligibilities and the risky sign-in from Lagos, and names the block group, without writing', async () => {
    const items = Object.fromEntries((await preview(undefined, { blockGroupId: SEED_IDS.caBlockGroup })).map((p) => [p.action, p]));
    assert.deepEqual(items.removePimEligibility.changes, ['Teams Administrator', "membership of 'IT Operations'"]);
    assert.deepEqual(items.removePimEligibility.risks, ["Can activate through PIM: Teams Administrator, membership of 'IT Operations'."]);
    const nextWeek = daysAfter(new Date(), 6).slice(0, 10);
    assert.deepEqual(items.removeScheduledAssignments.risks, [`Gets access later through PIM: Groups Administrator from ${nextWeek}, membership of 'IT Operations' from ${nextWeek}.`]);
    // The night before last, as seen from the seeding moment (February 2026 has 28 days).
    assert.deepEqual(items.revokeSessions.risks, ['Risky sign-in (high risk) to OfficeHome from Lagos, NG at 2026-02-27 03:14 UTC.']);
    assert.deepEqual(items.addToBlockGroup.changes, ['Offboarding – block sign-in (CA)']);
    assert.deepEqual(t.writes(), []);
  });

  it('shows no sign-in risk when the sign-in log cannot be read, and a skipped block group when none is configured', async () => {
    t.sim.faults.add({ path: /auditLogs\/signIns$/, status: 403 });
    const items = Object.fromEntries((await preview()).map((p) => [p.action, p]));
    assert.deepEqual(items.revokeSessions.risks, []);
    assert.match(items.addToBlockGroup.found, /no Conditional Access block group is configured/);
  });

  it('flags a factory reset when the request wipes devices', async () => {
    const items = Object.fromEntries((await preview('wipe')).map((p) => [p.action, p]));
    assert.deepEqual(items.retireOrWipeDevices.risks, ['Factory reset of CONTOSO-JD-LT01.']);
  });

  it("names the role a group of Jane's is eligible for among the roles she holds, and says when the tenant has no PIM", async () => {
    const tierZero = '00000000-0000-0000-0000-0000000000a0';
    await t.sim.close();
    // Microsoft's recommended PIM for Groups set-up: Jane is an active member, the group is eligible.
    t = await janeInSim({
      seededAt: SEEDED_AT,
      seed: (contoso) => ({
        ...contoso,
        groups: [...contoso.groups, { id: tierZero, displayName: 'Tier 0 - Global Admins', isAssignableToRole: true, memberIds: [SEED_IDS.jane] }],
        roleEligibilities: [
          ...(contoso.roleEligibilities ?? []),
          { id: 'tier-zero-ga', principalId: tierZero, roleDefinitionId: SEED_IDS.globalAdministrator, directoryScopeId: '/', createdDateTime: '2025-03-01T08:00:00Z', endDateTime: null },
        ],
      }),
    });
    const items = Object.fromEntries((await preview()).map((p) => [p.action, p]));
    assert.deepEqual(items.removeDirectoryRoles.risks, ["Holds 2 directory roles: Helpdesk Administrator, membership of 'Tier 0 - Global Admins' (Global Administrator (eligible))."]);

    withoutPimLicence(t.sim);
    const unlicensed = Object.fromEntries((await preview()).map((p) => [p.action, p]));
    assert.equal(unlicensed.removePimEligibility.found, 'No PIM in this tenant (no Entra ID P2 licence): nothing to remove.');
    assert.deepEqual(unlicensed.removePimEligibility.risks, []);
    assert.deepEqual(unlicensed.removeDirectoryRoles.risks, ["Holds 2 directory roles: Helpdesk Administrator, membership of 'Tier 0 - Global Admins' (no active role now)."]);
    assert.deepEqual(t.writes(), []);
  });
});
