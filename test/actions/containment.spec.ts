import assert from 'node:assert/strict';
import { blockSignIn } from '../../src/actions/block-sign-in';
import { deleteForwardingRules } from '../../src/actions/delete-forwarding-rules';
import { removeAuthMethods } from '../../src/actions/remove-auth-methods';
import { removeDirectoryRoles } from '../../src/actions/remove-directory-roles';
import { revokeSessions } from '../../src/actions/revoke-sessions';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('containment actions', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  describe('remove directory roles', () => {
    it('deletes Jane\'s Helpdesk Administrator assignment, verifies, and does nothing the second time', async () => {
      const outcome = await t.run(removeDirectoryRoles);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /Helpdesk Administrator/);
      assert.deepEqual(t.writes().map((w) => w.method + ' ' + w.path), [`DELETE /v1.0/roleManagement/directory/roleAssignments/${SEED_IDS.janeHelpdeskAssignment}`]);
      assert.equal(t.sim.state.roleAssignments.some((a) => a.principalId === SEED_IDS.jane), false);
      assert.deepEqual(
        t.sim.state.roleAssignments.map((a) => a.principalId).sort(),
        [SEED_IDS.breakGlass, SEED_IDS.offboardingAppPrincipal, SEED_IDS.offboardingAppPrincipal],
        "the break-glass Global Administrator keeps its role, and the app its own",
      );
      assert.match((await t.run(removeDirectoryRoles)).detail, /^Nothing to change: no directory roles/);
    });

    it('fails with Graph\'s error when the app lacks the permission', async () => {
      t.sim.faults.add({ method: 'DELETE', path: /roleAssignments/, status: 403 });
      const outcome = await t.run(removeDirectoryRoles);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.detail, /Could not remove Helpdesk Administrator: .*Authorization_RequestDenied/);
    });
  });

  describe('block sign-in and revoke sessions', () => {
    it('block, then revoke; repeated, neither writes again', async () => {
      assert.equal((await t.run(blockSignIn)).status, 'succeeded');
      assert.equal((await t.run(revokeSessions)).status, 'succeeded');
      const calls = t.sim.calls.length;
      assert.match((await t.run(blockSignIn)).detail, /already blocked/);
      assert.match((await t.run(revokeSessions)).detail, /already revoked by this case/);
      assert.deepEqual(t.writes(calls), []);
      assert.equal(t.sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1);
    });

    it('an on-premises synced account is left to a person', async () => {
      t.sim.state.users.get(SEED_IDS.jane)!.onPremisesSyncEnabled = true;
      const outcome = await t.run(blockSignIn);
      assert.equal(outcome.status, 'manual');
      assert.deepEqual(t.writes(), []);
    });

    it('revokes the sessions of an account still enabled (synced), and says they must be revoked again once it is disabled', async () => {
      const jane = t.sim.state.users.get(SEED_IDS.jane)!;
      jane.onPremisesSyncEnabled = true;
      const outcome = await t.run(revokeSessions);
      assert.equal(outcome.status, 'manual', 'not a success while the account can open new sessions');
      assert.match(outcome.detail, /Sessions revoked/);
      assert.match(outcome.detail, /once it is disabled, revoke the sessions again/);
      assert.equal(jane.revokeCount, 1);
    });
  });

  describe('remove authentication methods', () => {
    it('removes every method but the password, the default (Authenticator) last', async () => {
      const outcome = await t.run(removeAuthMethods);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      const deletes = t.sim.calls.filter((c) => c.method === 'DELETE');
      const successful = deletes.filter((c) => c.status === 204).map((c) => c.path.split('/')[5]);
      assert.deepEqual(successful, ['phoneMethods', 'fido2Methods', 'microsoftAuthenticatorMethods']);
      assert.ok(deletes.some((c) => c.status === 400 && /microsoftAuthenticatorMethods/.test(c.path)), 'the sim refused the default while others existed');
      assert.deepEqual(t.sim.state.authMethods.filter((m) => m.userId === SEED_IDS.jane).map((m) => m.type), ['passwordAuthenticationMethod']);
      assert.match((await t.run(removeAuthMethods)).detail, /^Nothing to change/);
    });
  });

  describe('delete forwarding inbox rules', () => {
    it('deletes the rule forwarding outside, names it with its recipient, keeps the others', async () => {
      const outcome = await t.run(deleteForwardingRules);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /'Copy everything home' → jane\.doe\.home@gmail\.com \(external\)/);
      assert.deepEqual(t.sim.state.messageRules.map((r) => r.displayName), ['Newsletters']);
      assert.match((await t.run(deleteForwardingRules)).detail, /^Nothing to change: no inbox rule forwards mail/);
    });

    it('skips a user without a mailbox', async () => {
      t.sim.state.users.get(SEED_IDS.jane)!.mail = null;
      const outcome = await t.run(deleteForwardingRules);
      assert.equal(outcome.status, 'skipped');
      assert.match(outcome.detail, /no Exchange Online mailbox/);
    });
  });
});
