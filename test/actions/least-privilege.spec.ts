/**
 * The permissions the app asks for, held to a tenant that enforces them: the simulated tenant
 * refuses a Graph call whose token lacks what Microsoft documents for it (403), an Exchange call
 * without Exchange.ManageAsApp or an Exchange role (401), and a block or password reset without a
 * directory role. For each permission withheld in turn, Jane's whole plan runs, and the steps
 * that fail must be the ones the readiness check named beforehand, each saying what to grant.
 */
import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import type { ActionOutcome } from '../../src/actions/offboarding-action';
import { checkReadiness, type Readiness } from '../../src/actions/permission-readiness';
import { EXCHANGE_PERMISSION, GRAPH_PERMISSIONS_TO_GRANT, STEP_PERMISSIONS } from '../../src/actions/required-permissions';
import type { CaseEvidence } from '../../src/cases/case';
import { STEP_ORDER } from '../../src/cases/plan';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { appDirectoryRoles } from '../../src/m365/app-directory-roles';
import { Directory } from '../../src/m365/directory';
import { Graph } from '../../src/m365/graph';
import { M365Error } from '../../src/m365/m365-error';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

const policy = { blockGroupId: SEED_IDS.caBlockGroup };

interface PlanRun {
  outcomes: Record<string, ActionOutcome>;
  readiness: Readiness;
}

/** Readiness as the app checks it at start-up, then every step in the engine's order. */
async function runPlan(t: SimContext, withheld: readonly string[], alsoGranted: readonly string[] = []): Promise<PlanRun> {
  const tokens = simulatedTenantTokens(withheld, alsoGranted);
  const graph = Graph.connect({ baseUrl: t.sim.url, tokens: tokens.graph, maxRetries: 0 });
  const readiness = await checkReadiness({ graphTokens: tokens.graph, exchangeTokens: tokens.exchange, readAppRoles: (appId) => appDirectoryRoles(graph, appId) });
  const outcomes: Record<string, ActionOutcome> = {};
  let evidence: CaseEvidence | undefined;
  for (const name of STEP_ORDER) {
    outcomes[name] = await t.run(ACTIONS[name], { evidence, policy });
    evidence ??= outcomes[name].evidence;
  }
  return { outcomes, readiness };
}

const namedByReadiness = (r: Readiness) => r.missing.filter((m) => m.kind === 'step').map((m) => m.step).sort();
const failedSteps = (run: PlanRun) => Object.entries(run.outcomes).filter(([, o]) => o.status === 'failed').map(([name]) => name).sort();
const refusedSections = (run: PlanRun) => /Could not read: ([^;]*);/.exec(run.outcomes.takeEvidence.detail)?.[1] ?? '';

/**
 * Steps named by the readiness check that need not fail in Jane's run: the evidence records a
 * refused section instead of failing; litigation hold was not asked for; and Jane owns no
 * distribution list, the only ownership Exchange hands over; Jane holds no app admin role, the
 * only reason the app ownership step reads the audit log; and the audit log of the device
 * passwords and recovery keys she read, or of the guests she invited, refused, is left to a person.
 */
const RECORDS_REFUSALS = ['takeEvidence', 'setLitigationHold', 'transferGroupOwnership', 'removeAppOwnership', 'flagDeviceSecretsRead', 'containInvitedGuests'];

describe('least privilege: each permission the app asks for, withheld on a tenant that enforces permissions', function () {
  this.timeout(20_000);

  it('with everything granted, no call is refused and the readiness check is clean', async () => {
    const t = await janeInSim();
    try {
      const run = await runPlan(t, []);
      assert.equal(run.readiness.ok, true);
      assert.deepEqual(failedSteps(run), []);
      assert.equal(refusedSections(run), '');
      assert.deepEqual(t.sim.calls.filter((c) => c.status === 401 || c.status === 403).map((c) => `${c.method} ${c.path}`), []);
    } finally {
      await t.sim.close();
    }
  });

  for (const permission of [...GRAPH_PERMISSIONS_TO_GRANT, EXCHANGE_PERMISSION]) {
    it(`${permission}: the steps that fail are the ones the readiness check named, and say what to grant`, async () => {
      const tokens = simulatedTenantTokens([permission]);
      const t = await janeInSim({}, tokens);
      try {
        const run = await runPlan(t, [permission]);
        const named = namedByReadiness(run.readiness);
        const failed = failedSteps(run);
        const surprises = failed.filter((step) => !named.includes(step)).map((step) => `${step}: ${run.outcomes[step].detail}`);
        const falseAlarms = named.filter((step) => !failed.includes(step) && !RECORDS_REFUSALS.includes(step));
        assert.deepEqual(surprises, [], 'no step fails that the readiness check called ready');
        assert.deepEqual(falseAlarms, [], 'every step the readiness check named does fail');
        for (const step of failed) assert.match(run.outcomes[step].detail, /Microsoft 365 refused the app\. This step needs /, step);
        if (!named.includes('takeEvidence')) assert.equal(refusedSections(run), '', 'the evidence is complete when the readiness check says it will be');
      } finally {
        await t.sim.close();
      }
    });
  }

  // The broader permissions the app accepts in place of the one it asks for (an admin may have
  // granted Directory.ReadWrite.All already): each must really stand in for it.
  const substitutes = [...new Set(Object.values(STEP_PERMISSIONS).flatMap((need) => need.graph.flatMap((anyOf) => anyOf.slice(1).map((alt) => `${anyOf[0]} -> ${alt}`))))]
    .map((pair) => pair.split(' -> ') as [string, string])
    .filter(([first, alt]) => !GRAPH_PERMISSIONS_TO_GRANT.includes(alt) || first === alt);
  for (const [first, alt] of substitutes) {
    it(`${alt} granted instead of ${first}: no step fails`, async () => {
      const t = await janeInSim({}, simulatedTenantTokens([first], [alt]));
      try {
        const run = await runPlan(t, [first], [alt]);
        assert.equal(run.readiness.ok, true, 'the readiness check counts the broader permission');
        assert.deepEqual(failedSteps(run).map((step) => `${step}: ${run.outcomes[step].detail}`), []);
        assert.equal(refusedSections(run), '', 'the evidence is complete');
      } finally {
        await t.sim.close();
      }
    });
  }

  // Roles assigned to the app appear in no token: the tenant reads them from its role assignments.
  const roles = [
    { name: 'User Administrator', id: SEED_IDS.userAdministrator, steps: ['blockSignIn', 'containInvitedGuests', 'resetPassword'] },
    {
      name: 'Exchange Administrator',
      id: SEED_IDS.exchangeAdministrator,
      steps: ['cancelMeetings', 'clearMailboxForwarding', 'convertToShared', 'grantMailboxAccess', 'removeGroupMemberships', 'removeLicences', 'removeMobileDevices', 'setAutoReply'],
    },
  ];
  for (const role of roles) {
    it(`without the ${role.name} role: exactly the steps the readiness check named fail, and nothing of theirs changed`, async () => {
      const t = await janeInSim();
      try {
        t.sim.state.roleAssignments = t.sim.state.roleAssignments.filter((a) => !(a.principalId === SEED_IDS.offboardingAppPrincipal && a.roleDefinitionId === role.id));
        const before = structuredClone({ jane: t.sim.state.users.get(SEED_IDS.jane), mailbox: t.sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane), meetings: t.sim.state.meetings });
        const run = await runPlan(t, []);
        const named = run.readiness.missing.filter((m) => m.kind === 'step' && m.roles?.some((r) => r.includes(role.name))).map((m) => m.step);
        assert.deepEqual(failedSteps(run), [...role.steps].sort());
        assert.deepEqual(named.filter((s) => !RECORDS_REFUSALS.includes(s) || role.steps.includes(s)).sort(), [...role.steps].sort());
        for (const step of role.steps) assert.match(run.outcomes[step].detail, new RegExp(`refused the app\\. This step needs .*${role.name}`), step);
        const jane = t.sim.state.users.get(SEED_IDS.jane)!;
        const mailbox = t.sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!;
        if (role.steps.includes('blockSignIn')) {
          assert.equal(jane.accountEnabled, before.jane!.accountEnabled, 'Jane can still sign in: the tenant refused the block');
          assert.equal(jane.lastPasswordChangeDateTime, before.jane!.lastPasswordChangeDateTime);
        } else {
          assert.equal(mailbox.recipientTypeDetails, before.mailbox!.recipientTypeDetails, 'the mailbox was not converted');
          assert.equal(mailbox.forwardingSmtpAddress, before.mailbox!.forwardingSmtpAddress);
          assert.deepEqual(t.sim.state.meetings, before.meetings, 'no meeting was cancelled');
          assert.equal(jane.accountEnabled, false, 'Graph steps went ahead');
        }
      } finally {
        await t.sim.close();
      }
    });
  }

  it('Directory.Read.All withheld: the readiness check says approvals cannot be counted, and the tenant refuses that read', async () => {
    const tokens = simulatedTenantTokens(['Directory.Read.All']);
    const t = await janeInSim({}, tokens);
    try {
      const graph = Graph.connect({ baseUrl: t.sim.url, tokens: tokens.graph, maxRetries: 0 });
      const readiness = await checkReadiness({ graphTokens: tokens.graph, exchangeTokens: tokens.exchange, readAppRoles: (appId) => appDirectoryRoles(graph, appId) });
      assert.deepEqual(readiness.missing.find((m) => m.step === 'approvalsNeeded')?.permissions, ['Directory.Read.All']);
      const err = await new Directory(graph).directoryRoleIdsOf(SEED_IDS.jane).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof M365Error && err.status === 403, 'the read of her memberships was refused');
    } finally {
      await t.sim.close();
    }
  });
});
