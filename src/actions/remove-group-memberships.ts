import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteIfPresent, eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface Membership {
  '@odata.type': string;
  id: string;
  displayName: string;
  groupTypes?: string[];
  mailEnabled?: boolean;
  membershipRule?: string | null;
}

const readGroups = async ({ graph, target }: ActionContext) =>
  (await readAll<Membership>(graph, `/users/${guidSegment(target.id)}/memberOf?$select=id,displayName,groupTypes,mailEnabled,securityEnabled,membershipRule`)).filter(
    (m) => m['@odata.type'] === '#microsoft.graph.group',
  );

/** Why Graph cannot remove this membership, or undefined when it can. */
function readOnlyReason(g: Membership): string | undefined {
  if (g.groupTypes?.includes('DynamicMembership')) {
    return `'${g.displayName}' is a dynamic group (rule: ${g.membershipRule ?? 'unknown'}): change the user's attributes or the rule; membership ends when the account is deleted.`;
  }
  if (g.mailEnabled && !g.groupTypes?.includes('Unified')) {
    return `'${g.displayName}' is a distribution list or mail-enabled security group: remove the user in Exchange (Remove-DistributionGroupMember).`;
  }
  return undefined;
}

/**
 * Removes the user from every group Graph can edit, with DELETE /groups/{g}/members/{u}/$ref.
 * Never without /$ref: that form deletes the user object itself. Dynamic groups and distribution
 * lists are left for a person, with the reason. Licences inherited from a group leave with it.
 * Permission GroupMember.ReadWrite.All.
 */
export const removeGroupMemberships: OffboardingAction<Membership> = {
  name: 'removeGroupMemberships',
  async plan(ctx) {
    const groups = await readGroups(ctx);
    const removable = groups.filter((g) => !readOnlyReason(g));
    const manual = groups.map(readOnlyReason).filter((r): r is string => r !== undefined);
    return { changes: removable, manual, found: removable.length === 0 ? 'no memberships Graph can remove.' : removable.map((g) => g.displayName).join(', ') };
  },
  async apply({ graph, target }, plan) {
    const failures = await eachObject(
      plan.changes,
      (g) => deleteIfPresent(graph, `/groups/${guidSegment(g.id)}/members/${guidSegment(target.id)}/$ref`),
      (g, err) => `Could not remove from '${g.displayName}': ${describeError(err)}`,
    );
    return { detail: `Removed from ${plan.changes.length - failures.length} of ${plan.changes.length} group(s): ${plan.changes.map((g) => g.displayName).join(', ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readGroups(ctx)).filter((g) => plan.changes.some((p) => p.id === g.id));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still a member of: ${left.map((g) => g.displayName).join(', ')}.` };
  },
};
