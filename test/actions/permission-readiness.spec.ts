import assert from 'node:assert/strict';
import { UnsecuredJWT } from 'jose';
import { checkReadiness, logReadiness, type Readiness } from '../../src/actions/permission-readiness';
import { createLogger } from '../../src/log';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { appDirectoryRoles } from '../../src/m365/app-directory-roles';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const PIM_WRITES = ['RoleEligibilitySchedule.ReadWrite.Directory', 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'];

async function readinessWithout(withheld: string[], notInUse?: string[]): Promise<Readiness> {
  const tokens = simulatedTenantTokens(withheld);
  return checkReadiness({ graphTokens: tokens.graph, exchangeTokens: tokens.exchange, notInUse, now: () => new Date('2026-01-05T09:00:00Z') });
}

const steps = (r: Readiness) => r.missing.map((m) => `${m.label}: ${[...m.permissions, ...(m.roles ?? [])].join(', ')}`);

describe('permission readiness: which steps would fail for lack of consent', () => {
  it('everything granted, roles not read: ready, with the directory roles left to check by hand', async () => {
    const r = await readinessWithout([]);
    assert.equal(r.ok, true);
    assert.deepEqual(r.missing, []);
    assert.deepEqual(r.graph, { read: true });
    assert.deepEqual(r.exchange, { configured: true, read: true, role: 'Exchange Administrator role' });
    assert.equal(r.checkedAt, '2026-01-05T09:00:00.000Z');
    assert.match(r.alsoCheck.join('\n'), /User Administrator .*: Block sign-in, Reset password, Block their own guest accounts, flag guests they invited need it/);
    assert.match(r.alsoCheck.join('\n'), /Exchange Administrator .* every Exchange Online step needs it besides Exchange\.ManageAsApp/);
  });

  it('the PIM write permissions withheld: PIM removal would fail for groups; RoleManagement.ReadWrite.Directory still covers roles', async () => {
    const r = await readinessWithout(PIM_WRITES);
    assert.equal(r.ok, false);
    assert.deepEqual(steps(r), ['Remove PIM eligibilities (roles and groups): PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup']);
  });

  it('without RoleManagement.ReadWrite.Directory either, both PIM permissions are named, and the role removal too', async () => {
    const r = await readinessWithout([...PIM_WRITES, 'RoleManagement.ReadWrite.Directory']);
    assert.deepEqual(steps(r), [
      'Remove directory roles: RoleManagement.ReadWrite.Directory',
      'Remove PIM eligibilities (roles and groups): RoleEligibilitySchedule.ReadWrite.Directory, PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
    ]);
  });

  it('a read the app makes outside the steps is named as such', async () => {
    const r = await readinessWithout(['AuditLog.Read.All']);
    assert.deepEqual(r.missing.map((m) => [m.kind, m.label]), [
      ['step', 'Evidence snapshot'],
      // These read the audit log: for everyone (the guests they invited), for someone who held a
      // role that may read device secrets, and for someone who held an app admin role.
      ['step', 'Block their own guest accounts, flag guests they invited'],
      ['step', 'Flag device passwords and recovery keys they read'],
      ['step', 'End app ownership, flag new app secrets'],
      ['followUp', 'Check for sign-ins after the block'],
      ['read', 'Flag risky sign-ins in the plan approvers see'],
    ]);
  });

  it('without Exchange.ManageAsApp every Exchange step is named, the follow-up too', async () => {
    const r = await readinessWithout(['Exchange.ManageAsApp']);
    assert.ok(r.missing.every((m) => m.permissions.join() === 'Exchange.ManageAsApp'));
    const labels = r.missing.map((m) => m.label);
    for (const label of ['Clear mailbox forwarding', 'Convert to shared mailbox and hide', 'Litigation hold', "Remove the delegate's mailbox access"]) assert.ok(labels.includes(label), label);
    assert.ok(!labels.includes('Block sign-in'));
  });

  it('steps this set-up never runs are not reported', async () => {
    const r = await readinessWithout(['User.ReadWrite.All'], ['deleteAccount']);
    assert.deepEqual(r.missing.map((m) => m.step), ['moveDirectReports']);
  });

  it('a token without a roles claim: says the permissions could not be read, rather than that every step would fail', async () => {
    const delegated = { getToken: async () => new UnsecuredJWT({ scp: 'User.Read' }).encode() };
    const r = await checkReadiness({ graphTokens: delegated, exchangeTokens: simulatedTenantTokens().exchange });
    assert.equal(r.ok, false);
    assert.deepEqual(r.missing, []);
    assert.deepEqual(r.graph, { read: false, problem: 'Could not read the granted permissions from the Microsoft Graph token: the token is a delegated (user) token, not the app-only token the offboarding runs with.' });
    assert.equal(r.exchange.configured && r.exchange.read, true);
  });

  describe("the app's directory roles, read from its role assignments in the (simulated) tenant", () => {
    let sim: SimTenant;
    let graph: Graph;
    beforeEach(async () => {
      sim = await startSimTenant();
      graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantTokens().graph, retryDelaySeconds: 0.05, maxRetries: 0 });
    });
    afterEach(() => sim.close());

    const check = () => {
      const tokens = simulatedTenantTokens();
      return checkReadiness({ graphTokens: tokens.graph, exchangeTokens: tokens.exchange, readAppRoles: (appId) => appDirectoryRoles(graph, appId) });
    };
    const appAssignments = () => sim.state.roleAssignments.filter((a) => a.principalId === SEED_IDS.offboardingAppPrincipal);
    const withoutRole = (roleId: string) => (sim.state.roleAssignments = sim.state.roleAssignments.filter((a) => a.principalId !== SEED_IDS.offboardingAppPrincipal || a.roleDefinitionId !== roleId));
    const assign = (roleId: string, directoryScopeId = '/') =>
      sim.state.roleAssignments.push({ id: `app-${roleId}-${directoryScopeId.length}`, principalId: SEED_IDS.offboardingAppPrincipal, roleDefinitionId: roleId, directoryScopeId });

    it('the app holds User Administrator and Exchange Administrator: ready, with nothing left to check by hand', async () => {
      assert.equal(appAssignments().length, 2);
      const r = await check();
      assert.equal(r.ok, true);
      assert.deepEqual(r.missing, []);
      assert.deepEqual(r.alsoCheck, []);
    });

    it('without User Administrator: blocking sign-in and resetting the password would fail, and the role is named', async () => {
      withoutRole(SEED_IDS.userAdministrator);
      const r = await check();
      assert.equal(r.ok, false);
      assert.deepEqual(steps(r), [
        "Block sign-in: User Administrator role (or one at least as high as the person's)",
        "Reset password: User Administrator role (or one at least as high as the person's)",
        "Block their own guest accounts, flag guests they invited: User Administrator role (or one at least as high as the person's)",
      ]);
    });

    it('Privileged Authentication Administrator in place of User Administrator: ready, and the tenant lets the app block and reset with it', async () => {
      withoutRole(SEED_IDS.userAdministrator);
      assign(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
      const r = await check();
      assert.deepEqual(r.missing, []);
      assert.equal(r.ok, true);
      await graph.send('PATCH', `/users/${SEED_IDS.conor}`, { accountEnabled: false });
      await graph.send('PATCH', `/users/${SEED_IDS.conor}`, { passwordProfile: { password: 'Xy7!long-enough-password', forceChangePasswordNextSignIn: true } });
      assert.equal(sim.state.users.get(SEED_IDS.conor)!.accountEnabled, false);
    });

    it('without Exchange Administrator: every Exchange step is named with the role, and no other', async () => {
      withoutRole(SEED_IDS.exchangeAdministrator);
      const r = await check();
      assert.ok(r.missing.length > 0);
      assert.ok(r.missing.every((m) => m.permissions.length === 0 && m.roles?.join() === 'Exchange Administrator role'), steps(r).join('\n'));
      const labels = r.missing.map((m) => m.label);
      for (const label of ['Convert to shared mailbox and hide', 'Litigation hold', "Remove the delegate's mailbox access"]) assert.ok(labels.includes(label), label);
      assert.ok(!labels.includes('Block sign-in'));
    });

    it('Global Administrator covers both; a role scoped to an administrative unit covers neither', async () => {
      withoutRole(SEED_IDS.userAdministrator);
      withoutRole(SEED_IDS.exchangeAdministrator);
      assign(SEED_IDS.userAdministrator, '/administrativeUnits/5a1c2d3e-0000-4000-8000-000000000001');
      assert.ok((await check()).missing.some((m) => m.step === 'blockSignIn'), 'a unit-scoped User Administrator does not reach everyone');
      assign(SEED_IDS.globalAdministrator);
      const r = await check();
      assert.deepEqual(r.missing, []);
      assert.equal(r.ok, true);
    });

    it("roles that cannot be read are left to check by hand, with Graph's reason, not reported missing", async () => {
      sim.faults.add({ method: 'GET', path: /roleManagement\/directory\/roleAssignments$/, status: 403, times: Infinity });
      const r = await check();
      assert.deepEqual(r.missing, []);
      assert.match(r.alsoCheck[0], /The app's directory roles could not be read \(GET \/roleManagement\/directory\/roleAssignments failed: .*\)/);
      assert.match(r.alsoCheck.join('\n'), /User Administrator .*: Block sign-in, Reset password, Block their own guest accounts, flag guests they invited need it/);
    });
  });

  describe('the start-up log line', () => {
    const logged = (r: Readiness) => {
      const lines: string[] = [];
      logReadiness(r, createLogger('info', (l) => lines.push(l)));
      assert.equal(lines.length, 1, 'one line');
      return JSON.parse(lines[0]);
    };

    it('names the steps that would fail and what to grant', async () => {
      const line = logged(await readinessWithout(PIM_WRITES));
      assert.equal(line.level, 'warn');
      assert.equal(line.event, 'readiness.missing_permissions');
      assert.deepEqual(line.steps, ['Remove PIM eligibilities (roles and groups)']);
      assert.deepEqual(line.missing, [{ step: 'removePimEligibility', permissions: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'] }]);
    });

    it('says ready, or that it could not tell', async () => {
      assert.equal(logged(await readinessWithout([])).event, 'readiness.ok');
      const unreadable = logged(await checkReadiness({ graphTokens: { getToken: async () => 'opaque' } }));
      assert.equal(unreadable.event, 'readiness.unchecked');
      assert.match(unreadable.problems[0], /Could not read the granted permissions from the Microsoft Graph token: the token is not a JWT/);
    });
  });
});
