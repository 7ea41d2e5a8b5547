import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import { flagDeviceSecretsRead } from '../../src/actions/flag-device-secrets-read';
import { takeEvidence } from '../../src/actions/take-evidence';
import type { OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import { SEED_IDS } from '../../src/sim/seed';
import { WORKPLACE_IDS } from '../../src/sim/seed-workplace';
import { directoryAudit } from '../support/directory-audits';
import { janeInSim, type SimContext } from './sim-context';

const INTUNE_ADMINISTRATOR = '3a2c62db-5318-420d-8d74-23affee5d9d5';
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** A device entry of the directory audit log: the device (or the key) is the target. */
const deviceAudit = (n: number, by: string, target: { id: string; name: string }, activity: string, at: string, result: 'success' | 'failure' = 'success') =>
  directoryAudit({ n, by, activity, category: activity.includes('BitLocker') ? 'KeyManagement' : 'Device', at, target: { ...target, type: 'Device' }, operationType: 'Other', result });

describe('flagging the device passwords and BitLocker recovery keys the person read', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const auditReads = () => t.sim.calls.filter((c) => c.path === '/v1.0/auditLogs/directoryAudits' && /initiatedBy/.test(c.query.$filter ?? ''));
  const withoutHelpdesk = () => {
    t.sim.state.roleAssignments = t.sim.state.roleAssignments.filter((a) => a.id !== WORKPLACE_IDS.janeHelpdeskAssignment);
  };

  it('as Helpdesk Administrator, Jane read a BitLocker recovery key two nights ago: left to a person to rotate, and nothing in the tenant changes', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    const outcome = await t.run(flagDeviceSecretsRead, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /as Helpdesk Administrator, read 0 local administrator passwords and 1 BitLocker recovery key in the 30 days before/);
    assert.match(outcome.detail, new RegExp(`Read the BitLocker recovery key '${WORKPLACE_IDS.bitLockerKeyRead}' on \\d{4}-\\d\\d-\\d\\d: find its device under Entra ID › Devices › BitLocker keys`));
    assert.equal(auditReads().length, 1);
    assert.deepEqual(t.writes(), []);
  });

  it('reads no audit log for someone who held no role that may read them, and says so', async () => {
    withoutHelpdesk();
    const evidence = (await t.run(takeEvidence)).evidence!;
    const outcome = await t.run(flagDeviceSecretsRead, { evidence });
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /held no role that may read device local administrator passwords or BitLocker recovery keys/);
    assert.deepEqual(auditReads(), []);
  });

  it('goes by the roles the evidence recorded, not those left when it runs (the roles step removes them first)', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    withoutHelpdesk();
    const outcome = await t.run(flagDeviceSecretsRead, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /Read the BitLocker recovery key/);
  });

  describe('as Intune Administrator through PIM', () => {
    beforeEach(() => {
      const state = t.sim.state;
      withoutHelpdesk();
      state.roleDefinitions.push({ id: INTUNE_ADMINISTRATOR, displayName: 'Intune Administrator', isBuiltIn: true, isPrivileged: true });
      state.roleEligibilities.push({ id: 'intune-admin-jane', principalId: SEED_IDS.jane, roleDefinitionId: INTUNE_ADMINISTRATOR, directoryScopeId: '/', createdDateTime: daysAgo(200), endDateTime: null });
      const laps = 'Recover device local administrator password';
      state.directoryAudits.push(
        deviceAudit(1, SEED_IDS.jane, { id: 'dev-1', name: 'FIN-SRV-01' }, laps, daysAgo(3)),
        deviceAudit(2, SEED_IDS.jane, { id: 'dev-1', name: 'FIN-SRV-01' }, laps, daysAgo(12)),
        deviceAudit(3, SEED_IDS.jane, { id: 'dev-2', name: 'CEO-LAPTOP' }, laps, daysAgo(5), 'failure'),
        deviceAudit(4, SEED_IDS.alex, { id: 'dev-3', name: 'HR-PC-07' }, laps, daysAgo(4)),
        deviceAudit(5, SEED_IDS.jane, { id: 'dev-4', name: 'OLD-KIOSK' }, laps, daysAgo(45)),
      );
    });

    it('flags each device whose local administrator password she read in the 30 days before, once, with the latest date; not failed reads, others, or older ones', async () => {
      const evidence = (await t.run(takeEvidence)).evidence!;
      const outcome = await t.run(flagDeviceSecretsRead, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /as Intune Administrator, read 1 local administrator password and 1 BitLocker recovery key/);
      assert.match(outcome.detail, new RegExp(`Read the local administrator password of 'FIN-SRV-01' on ${daysAgo(3).slice(0, 10)}: rotate it \\(Intune › Devices › 'FIN-SRV-01' › Rotate local admin password`));
      assert.equal(outcome.detail.match(/FIN-SRV-01' on/g)!.length, 1);
      assert.doesNotMatch(outcome.detail, /CEO-LAPTOP|HR-PC-07|OLD-KIOSK/);
    });

    it('shows on the approval card, before anyone approves, what she read', async () => {
      const c = { _id: 'case-preview', target: t.ctx.target, request: t.ctx.request, steps: planSteps() } as unknown as OffboardingCase;
      const items = await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c);
      const item = items.find((i) => i.action === 'flagDeviceSecretsRead')!;
      assert.match(item.found, /as Intune Administrator, read 1 local administrator password and 1 BitLocker recovery key/);
      // Newest first, as the log lists them.
      assert.deepEqual(item.risks.map((r) => r.replace(/\d{4}-\d\d-\d\d/, 'DATE')), [
        `Read the BitLocker recovery key '${WORKPLACE_IDS.bitLockerKeyRead}' on DATE.`,
        "Read the local administrator password of 'FIN-SRV-01' on DATE.",
      ]);
    });
  });

  describe('a custom role', () => {
    const customRole = (id: string, name: string, actions: string[]) => {
      withoutHelpdesk();
      t.sim.state.roleDefinitions.push({ id, displayName: name, isBuiltIn: false, isPrivileged: false, rolePermissions: [{ allowedResourceActions: actions, condition: null }] });
      t.sim.state.roleAssignments.push({ id: `custom-${id}`, principalId: SEED_IDS.jane, roleDefinitionId: id, directoryScopeId: '/' });
    };

    it('that may read BitLocker keys counts, by what it allows, under its own name', async () => {
      customRole('5b3c1d2e-7f8a-4b9c-8d0e-1f2a3b4c5d6e', 'Desk-side Support', ['microsoft.directory/devices/standard/read', 'microsoft.directory/bitlockerKeys/key/read']);
      const evidence = (await t.run(takeEvidence)).evidence!;
      const outcome = await t.run(flagDeviceSecretsRead, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /as Desk-side Support \(a custom role\), read 0 local administrator passwords and 1 BitLocker recovery key/);
    });

    it('that may do nothing of the kind does not, and nothing is read', async () => {
      customRole('6c4d2e3f-8a9b-4c0d-9e1f-2a3b4c5d6e7f', 'Device Readers', ['microsoft.directory/devices/standard/read', 'microsoft.directory/bitlockerKeys/standard/read']);
      const evidence = (await t.run(takeEvidence)).evidence!;
      const outcome = await t.run(flagDeviceSecretsRead, { evidence });
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.deepEqual(auditReads(), []);
    });
  });

  describe('a role held through a role-assignable group', () => {
    const DEVICE_ADMINS = '00000000-0000-0000-0000-0000000000a7';
    /** Jane's own role gone; Intune Administrator held by a role-assignable group she is in, or may join through PIM. */
    const throughGroup = async (how: 'member' | 'eligible') => {
      await t.sim.close();
      t = await janeInSim({
        seed: (contoso) => ({
          ...contoso,
          groups: [...contoso.groups, { id: DEVICE_ADMINS, displayName: 'Device Admins', isAssignableToRole: true, memberIds: how === 'member' ? [SEED_IDS.jane] : [] }],
          roleDefinitions: [...(contoso.roleDefinitions ?? []), { id: INTUNE_ADMINISTRATOR, displayName: 'Intune Administrator', isBuiltIn: true, isPrivileged: true }],
          roleAssignments: [
            ...(contoso.roleAssignments ?? []).filter((a) => a.id !== WORKPLACE_IDS.janeHelpdeskAssignment),
            { id: 'device-admins-intune', principalId: DEVICE_ADMINS, roleDefinitionId: INTUNE_ADMINISTRATOR, directoryScopeId: '/' },
          ],
          groupEligibilities: [
            ...(contoso.groupEligibilities ?? []),
            ...(how === 'eligible'
              ? [{ id: `${DEVICE_ADMINS}_member_1`, principalId: SEED_IDS.jane, groupId: DEVICE_ADMINS, accessId: 'member' as const, createdDateTime: '2025-03-01T08:00:00Z', endDateTime: null }]
              : []),
          ],
        }),
      });
    };

    for (const how of ['member', 'eligible'] as const) {
      it(`counts, naming the group, when she is ${how === 'member' ? 'a member' : 'eligible through PIM for membership'}; even after the roles step removed her from it`, async () => {
        await throughGroup(how);
        const evidence = (await t.run(takeEvidence)).evidence!;
        const group = t.sim.state.groups.get(DEVICE_ADMINS)!;
        group.memberIds = [];
        t.sim.state.groupEligibilities = t.sim.state.groupEligibilities.filter((e) => e.groupId !== DEVICE_ADMINS);
        const outcome = await t.run(flagDeviceSecretsRead, { evidence });
        assert.equal(outcome.status, 'manual', outcome.detail);
        assert.match(outcome.detail, /as Intune Administrator through 'Device Admins', read 0 local administrator passwords and 1 BitLocker recovery key/);
      });
    }

    it('shows it on the approval card too', async () => {
      await throughGroup('member');
      const c = { _id: 'case-preview', target: t.ctx.target, request: t.ctx.request, steps: planSteps() } as unknown as OffboardingCase;
      const item = (await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c)).find((i) => i.action === 'flagDeviceSecretsRead')!;
      assert.match(item.found, /as Intune Administrator through 'Device Admins'/);
    });
  });

  it('leaves the check to a person, saying what to look for, when the audit log cannot be read', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    t.sim.faults.add({ path: /auditLogs\/directoryAudits$/, status: 403 });
    const outcome = await t.run(flagDeviceSecretsRead, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /As Helpdesk Administrator they could read device local administrator passwords and BitLocker recovery keys, and the directory audit log could not be read/);
    assert.match(outcome.detail, /look for "Recover device local administrator password" and "Read BitLocker key" initiated by them/);
  });

  it('reads the log for anyone when the evidence could not record their roles', async () => {
    withoutHelpdesk();
    t.sim.faults.add({ path: /roleManagement\/directory\/roleAssignments$/, status: 403 });
    const evidence = (await t.run(takeEvidence)).evidence!;
    t.sim.faults.clear();
    const outcome = await t.run(flagDeviceSecretsRead, { evidence });
    assert.match(outcome.detail, /as an admin \(the evidence could not record their roles\), read 0 local administrator passwords and 1 BitLocker recovery key/);
    assert.equal(auditReads().length, 1);
  });
});
