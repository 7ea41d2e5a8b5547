import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import { removeAppOwnership } from '../../src/actions/remove-app-ownership';
import { takeEvidence } from '../../src/actions/take-evidence';
import type { OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import { SEED_IDS } from '../../src/sim/seed';
import { WORKPLACE_IDS } from '../../src/sim/seed-workplace';
import { directoryAudit } from '../support/directory-audits';
import { janeInSim, type SimContext } from './sim-context';

const INTRANET = '7c2d9e1f-3a4b-4c5d-9e8f-1a2b3c4d5e6f';
const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
const PAYROLL_EXPORT = '00000000-0000-0000-0000-0000000000d1';
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** An app management entry of the directory audit log. */
const appAudit = (n: number, by: string, app: { id: string; name: string }, activity: string, at: string) =>
  directoryAudit({ n, by, activity, category: 'ApplicationManagement', at, target: { ...app, type: 'Application' } });

describe('ending the ownership of apps, and flagging the secrets given to them before leaving', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const salesSync = () => t.sim.state.applications.find((a) => a.id === WORKPLACE_IDS.salesSyncApp)!;
  const intranet = () => t.sim.state.servicePrincipals.find((p) => p.id === INTRANET)!;

  it("removes Jane as owner of her app registration and the intranet's enterprise app, and leaves the secret she added two nights ago to a person", async () => {
    const outcome = await t.run(removeAppOwnership);
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.deepEqual(salesSync().ownerIds, [], 'nobody is made owner in her place');
    assert.deepEqual(intranet().ownerIds, [SEED_IDS.alex], 'Alex still owns the intranet app');
    assert.deepEqual(
      t.writes().map((w) => `${w.method} ${w.path}`).sort(),
      [`DELETE /v1.0/applications/${WORKPLACE_IDS.salesSyncApp}/owners/${SEED_IDS.jane}/$ref`, `DELETE /v1.0/servicePrincipals/${INTRANET}/owners/${SEED_IDS.jane}/$ref`],
    );
    assert.match(outcome.detail, /Removed the user as owner of 2 of 2 app\(s\): 'Sales Pipeline Sync', 'Contoso Intranet'\. \(verified\)/);
    assert.match(
      outcome.detail,
      new RegExp(`For a person to do: 'Sales Pipeline Sync' \\(their app\\) got a new client secret 'sync-2' on \\d{4}-\\d\\d-\\d\\d \\(key id ${WORKPLACE_IDS.salesSyncNewSecret}\\)`),
    );
    assert.doesNotMatch(outcome.detail, /'prod'|CN=intranet/, 'older secrets and certificates are not flagged');
    // The secret itself is not the offboarding's to remove: the integration may rely on it.
    assert.equal(salesSync().passwordCredentials!.length, 2);
  });

  it('run again after the removal (a retry), still flags the secret, from the apps the evidence shows she owned', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    await t.run(removeAppOwnership, { evidence });
    const before = t.writes().length;
    const again = await t.run(removeAppOwnership, { evidence });
    assert.equal(again.status, 'manual', again.detail);
    assert.match(again.detail, /^Nothing to change: owns no app registrations or enterprise apps\./);
    assert.match(again.detail, /'Sales Pipeline Sync' \(their app\) got a new client secret 'sync-2'/);
    assert.equal(t.writes().length, before, 'nothing written the second time');
  });

  it('on a repeated run, passes over an app deleted since, and fails (to be retried) when an app cannot be read', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    await t.run(removeAppOwnership, { evidence });
    t.sim.faults.add({ method: 'GET', path: new RegExp(`applications/${WORKPLACE_IDS.salesSyncApp}$`), status: 403 });
    const unreadable = await t.run(removeAppOwnership, { evidence });
    assert.equal(unreadable.status, 'failed', unreadable.detail);
    t.sim.faults.clear();
    t.sim.state.applications = [];
    const deleted = await t.run(removeAppOwnership, { evidence });
    assert.equal(deleted.status, 'succeeded', deleted.detail);
    assert.doesNotMatch(deleted.detail, /Sales Pipeline Sync/);
  });

  it('succeeds without a person when no recent secret or certificate was added', async () => {
    salesSync().passwordCredentials = salesSync().passwordCredentials!.filter((c) => c.displayName === 'prod');
    const outcome = await t.run(removeAppOwnership);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.deepEqual(salesSync().ownerIds, []);
  });

  it('flags a certificate added to an enterprise app, where the portal does not show it', async () => {
    intranet().keyCredentials!.push({ keyId: '00000000-0000-0000-0000-0000000000c1', displayName: 'CN=backup', startDateTime: new Date(Date.now() - 3 * 86_400_000).toISOString(), endDateTime: '2030-01-01T00:00:00Z' });
    const outcome = await t.run(removeAppOwnership);
    assert.match(outcome.detail, /'Contoso Intranet' \(their app\) got a new certificate 'CN=backup' on .* enterprise apps do not show their secrets in the portal/);
  });

  it('keeps going when one removal is refused, and fails the step with the reason', async () => {
    t.sim.faults.add({ method: 'DELETE', path: new RegExp(`servicePrincipals/${INTRANET}/owners/`), status: 403 });
    const outcome = await t.run(removeAppOwnership);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /Could not remove the user as owner of 'Contoso Intranet'/);
    assert.deepEqual(salesSync().ownerIds, []);
    assert.deepEqual(intranet().ownerIds, [SEED_IDS.jane, SEED_IDS.alex]);
  });

  it('shows approvers the new secret as a risk before anything changes', async () => {
    const c = { _id: 'case-preview', target: t.ctx.target, request: t.ctx.request, steps: planSteps() } as OffboardingCase;
    const items = Object.fromEntries((await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c)).map((p) => [p.action, p]));
    assert.deepEqual(items.removeAppOwnership.changes, ['Sales Pipeline Sync', 'Contoso Intranet']);
    assert.equal(items.removeAppOwnership.risks.length, 1);
    assert.match(items.removeAppOwnership.risks[0], /^'Sales Pipeline Sync' \(their app\) got a new client secret 'sync-2' on \d{4}-\d\d-\d\d\.$/);
    assert.deepEqual(t.writes(), []);
  });

  describe('someone who could change any app: the directory audit log', () => {
    const credentials = 'Update application – Certificates and secrets management ';
    const auditReads = () => t.sim.calls.filter((c) => c.path === '/v1.0/auditLogs/directoryAudits' && /initiatedBy/.test(c.query.$filter ?? ''));

    beforeEach(() => {
      const state = t.sim.state;
      state.roleDefinitions.push({ id: APPLICATION_ADMINISTRATOR, displayName: 'Application Administrator', isBuiltIn: true, isPrivileged: true });
      state.roleAssignments.push({ id: 'app-admin-jane', principalId: SEED_IDS.jane, roleDefinitionId: APPLICATION_ADMINISTRATOR, directoryScopeId: '/' });
      state.directoryAudits.push(
        appAudit(1, SEED_IDS.jane, { id: PAYROLL_EXPORT, name: 'Payroll Export' }, credentials, daysAgo(3)),
        appAudit(2, SEED_IDS.jane, { id: PAYROLL_EXPORT, name: 'Payroll Export' }, credentials, daysAgo(9)),
        // Her own app: flagged from its secrets already, not twice.
        appAudit(3, SEED_IDS.jane, { id: WORKPLACE_IDS.salesSyncApp, name: 'Sales Pipeline Sync' }, credentials, daysAgo(2)),
        appAudit(4, SEED_IDS.jane, { id: '00000000-0000-0000-0000-0000000000d2', name: 'Expense Bot' }, 'Update application', daysAgo(4)),
        appAudit(5, SEED_IDS.alex, { id: '00000000-0000-0000-0000-0000000000d3', name: 'HR Sync' }, credentials, daysAgo(4)),
        appAudit(6, SEED_IDS.jane, { id: '00000000-0000-0000-0000-0000000000d4', name: 'Old Connector' }, credentials, daysAgo(45)),
      );
    });

    it('as Application Administrator, flags each app whose credentials she changed in the 30 days before, once, with the latest date', async () => {
      const evidence = (await t.run(takeEvidence)).evidence!;
      const outcome = await t.run(removeAppOwnership, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, new RegExp(`'Payroll Export' had its secrets or certificates changed by them as Application Administrator on ${daysAgo(3).slice(0, 10)}`));
      assert.equal(outcome.detail.match(/Payroll Export/g)!.length, 1);
      assert.equal(outcome.detail.match(/Sales Pipeline Sync' \(their app\) got a new/g)!.length, 1);
      assert.doesNotMatch(outcome.detail, /Expense Bot|HR Sync|Old Connector/, 'not other activities, not other people, not older changes');
      assert.equal(auditReads().length, 1);
    });

    it('shows the approvers, before any evidence is taken, the apps she changed as Application Administrator', async () => {
      const c = { _id: 'case-preview', target: t.ctx.target, request: t.ctx.request, steps: planSteps() } as unknown as OffboardingCase;
      const items = Object.fromEntries((await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c)).map((i) => [i.action, i]));
      assert.ok(items.removeAppOwnership.risks.some((r) => /^'Payroll Export' had its secrets or certificates changed by them as Application Administrator/.test(r)), items.removeAppOwnership.risks.join('\n'));
    });

    it('counts a custom role that may update any app registration, whatever its name', async () => {
      const state = t.sim.state;
      state.roleAssignments = state.roleAssignments.filter((a) => a.id !== 'app-admin-jane');
      const custom = '7d5e3f4a-9b0c-4d1e-8f2a-3b4c5d6e7f80';
      state.roleDefinitions.push({
        id: custom, displayName: 'Integration Maintainers', isBuiltIn: false, isPrivileged: false,
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/applications.myOrganization/allProperties/update'], condition: null }],
      });
      state.roleAssignments.push({ id: 'custom-jane', principalId: SEED_IDS.jane, roleDefinitionId: custom, directoryScopeId: '/' });
      const evidence = (await t.run(takeEvidence)).evidence!;
      const outcome = await t.run(removeAppOwnership, { evidence });
      assert.match(outcome.detail, /'Payroll Export' had its secrets or certificates changed by them as Integration Maintainers \(a custom role\)/);
    });

    it('reads no audit log for someone without an app admin role', async () => {
      t.sim.state.roleAssignments = t.sim.state.roleAssignments.filter((a) => a.id !== 'app-admin-jane');
      const evidence = (await t.run(takeEvidence)).evidence!;
      const outcome = await t.run(removeAppOwnership, { evidence });
      assert.doesNotMatch(outcome.detail, /Payroll Export/);
      assert.deepEqual(auditReads(), []);
    });

    it('leaves the check to a person, saying what to look for, when the audit log cannot be read', async () => {
      const evidence = (await t.run(takeEvidence)).evidence!;
      t.sim.faults.add({ path: /auditLogs\/directoryAudits$/, status: 403 });
      const outcome = await t.run(removeAppOwnership, { evidence });
      assert.equal(outcome.status, 'manual', outcome.detail);
      assert.match(outcome.detail, /As Application Administrator they could give any app a secret, and the directory audit log could not be read/);
      assert.deepEqual(t.sim.state.applications.find((a) => a.id === WORKPLACE_IDS.salesSyncApp)!.ownerIds, [], 'the ownership still ends');
    });
  });
});
