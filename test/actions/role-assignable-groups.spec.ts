import assert from 'node:assert/strict';
import { blockSignIn } from '../../src/actions/block-sign-in';
import { ACTIONS } from '../../src/actions/catalogue';
import type { ActionOutcome } from '../../src/actions/offboarding-action';
import { removeDirectoryRoles } from '../../src/actions/remove-directory-roles';
import { resetPassword } from '../../src/actions/reset-password';
import type { CaseEvidence } from '../../src/cases/case';
import { STEP_ORDER } from '../../src/cases/plan';
import { SEED_IDS } from '../../src/sim/seed';
import type { SeedGroup, TenantSeed } from '../../src/sim/state';
import { janeInSim, type SimContext } from './sim-context';

const TIER_ZERO = '00000000-0000-0000-0000-0000000000a0';
const PRIVILEGED_AUTH_ADMIN = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const GROUP_ASSIGNMENT = 'lAPpYvVpN0KRkAEhdxReEKCAAAAAAAAAAAAAAAAAAAA-1';

/**
 * Jane privileged only through a role-assignable group holding Privileged Authentication
 * Administrator: her direct Helpdesk Administrator assignment is gone.
 */
function throughGroup(relation: 'memberIds' | 'ownerIds') {
  return (contoso: TenantSeed): TenantSeed => {
    const group: SeedGroup = {
      id: TIER_ZERO,
      displayName: 'Tier 0 - Identity Admins',
      description: 'Holds Privileged Authentication Administrator.',
      isAssignableToRole: true,
      memberIds: [],
      [relation]: [SEED_IDS.jane],
    };
    return {
      ...contoso,
      groups: [...contoso.groups, group],
      roleDefinitions: [...(contoso.roleDefinitions ?? []), { id: PRIVILEGED_AUTH_ADMIN, displayName: 'Privileged Authentication Administrator', isBuiltIn: true, isPrivileged: true }],
      roleAssignments: [
        ...(contoso.roleAssignments ?? []).filter((a) => a.principalId !== SEED_IDS.jane),
        { id: GROUP_ASSIGNMENT, principalId: TIER_ZERO, roleDefinitionId: PRIVILEGED_AUTH_ADMIN, directoryScopeId: '/' },
      ],
    };
  };
}

const policy = { blockGroupId: SEED_IDS.caBlockGroup };

describe('a user privileged only through a role-assignable group', () => {
  let t: SimContext;
  afterEach(() => t.sim.close());

  const jane = () => t.sim.state.users.get(SEED_IDS.jane)!;
  const inGroup = () => t.sim.state.groups.get(TIER_ZERO)!.memberIds.includes(SEED_IDS.jane);

  describe('as a member', () => {
    beforeEach(async () => {
      t = await janeInSim({ seed: throughGroup('memberIds') });
    });

    it('cannot be blocked or reset before the roles go: the tenant answers 403 as Graph does', async () => {
      const blocked = await t.run(blockSignIn);
      assert.equal(blocked.status, 'failed');
      assert.match(blocked.detail, /Authorization_RequestDenied, HTTP 403/);
      assert.equal((await t.run(resetPassword)).status, 'failed');
      assert.equal(jane().accountEnabled, true);
    });

    it('removeDirectoryRoles plans the membership, takes her out of the group, and then she can be blocked', async () => {
      const plan = await removeDirectoryRoles.plan(t.ctx);
      assert.deepEqual(plan.changes.map((c) => c.name), ["membership of 'Tier 0 - Identity Admins' (Privileged Authentication Administrator)"]);

      const outcome = await t.run(removeDirectoryRoles);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.deepEqual(t.writes(), [{ method: 'DELETE', path: `/v1.0/groups/${TIER_ZERO}/members/${SEED_IDS.jane}/$ref` }]);
      assert.equal(inGroup(), false);
      assert.ok(t.sim.state.roleAssignments.some((a) => a.id === GROUP_ASSIGNMENT), 'the group keeps its role for its other members');
      assert.ok(t.sim.state.users.has(SEED_IDS.jane), 'the user object itself is never deleted');

      const calls = t.sim.calls.length;
      assert.match((await t.run(removeDirectoryRoles)).detail, /^Nothing to change: no directory roles/);
      assert.deepEqual(t.writes(calls), []);

      assert.equal((await t.run(blockSignIn)).status, 'succeeded');
      assert.equal(jane().accountEnabled, false);
    });

    it('a whole run disables the account, and the later membership step has nothing left to do there', async () => {
      const outcomes: Record<string, ActionOutcome> = {};
      let evidence: CaseEvidence | undefined;
      for (const name of STEP_ORDER) {
        outcomes[name] = await t.run(ACTIONS[name], { evidence, policy });
        evidence ??= outcomes[name].evidence;
      }
      const failed = Object.entries(outcomes).filter(([, o]) => o.status === 'failed');
      assert.deepEqual(failed, []);
      assert.equal(jane().accountEnabled, false);
      assert.equal(inGroup(), false);
      assert.doesNotMatch(outcomes.removeGroupMemberships.detail, /Tier 0/);
      const removals = t.writes().filter((w) => w.path.includes(`/groups/${TIER_ZERO}/`));
      assert.equal(removals.length, 1, 'only removeDirectoryRoles touched the role-assignable group');
    });
  });

  describe('as an owner', () => {
    beforeEach(async () => {
      t = await janeInSim({ seed: throughGroup('ownerIds') });
    });

    it('is left to a person, with the reason, and stays protected until then', async () => {
      const outcome = await t.run(removeDirectoryRoles);
      assert.equal(outcome.status, 'manual');
      assert.match(outcome.detail, /owner of the role-assignable group 'Tier 0 - Identity Admins' \(Privileged Authentication Administrator\)/);
      assert.deepEqual(t.writes(), []);
      assert.equal((await t.run(blockSignIn)).status, 'failed');
      assert.equal(jane().accountEnabled, true);
    });
  });
});
