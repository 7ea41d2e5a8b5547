import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { M365Error } from '../m365/m365-error';
import { blockGroupOf } from './add-to-block-group';
import { exchangeConnected } from './exchange-mailbox';
import { deleteEachIfPresent, eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { membershipsKeptForLicences } from './mailbox-licence';

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

/** Why nobody can remove this membership directly, or undefined when Graph or Exchange can. */
function readOnlyReason(g: Membership): string | undefined {
  if (g.groupTypes?.includes('DynamicMembership')) {
    return `'${g.displayName}' is a dynamic group (rule: ${g.membershipRule ?? 'unknown'}): change the user's attributes or the rule; membership ends when the account is deleted.`;
  }
  return undefined;
}

/** Distribution lists and mail-enabled security groups are read-only in Graph: Exchange owns them. */
const inExchange = (g: Membership) => !!g.mailEnabled && !g.groupTypes?.includes('Unified');

/** The memberships kept for the licences they give (mailbox-licence.ts), each with why. */
async function keptForLicences(ctx: ActionContext, groups: Membership[]): Promise<Map<string, string>> {
  const holds = await membershipsKeptForLicences(ctx, groups);
  const kept = new Map<string, string>();
  for (const g of groups) {
    const hold = holds.get(g.id);
    if (!hold) continue;
    kept.set(
      g.id,
      hold.mailbox
        ? `Kept in '${g.displayName}' for now: it gives ${hold.licences[0]}, which carries the mailbox (${hold.mailbox.plan}); the membership ${hold.mailbox.needed.replace(/^the mailbox/, 'stays because the mailbox')}`
        : `Kept in '${g.displayName}': it gives ${hold.licences.join(', ')}, and the request keeps the licences.`,
    );
  }
  return kept;
}

/** The membership link, never the member: DELETE without /$ref would delete the user object itself. */
const memberRef = (ctx: ActionContext, g: Membership) => `/groups/${guidSegment(g.id)}/members/${guidSegment(ctx.target.id)}/$ref`;

async function removeThroughExchange(ctx: ActionContext, g: Membership): Promise<void> {
  try {
    await ctx.exchange.invoke('Remove-DistributionGroupMember', { Identity: g.id, Member: ctx.target.id, BypassSecurityGroupManagerCheck: true, Confirm: false });
  } catch (err) {
    // Already gone is the wanted state (a repeated run).
    if (err instanceof M365Error && err.code === 'MemberNotFoundException') return;
    throw err;
  }
}

/**
 * Removes the user from every group: with DELETE /groups/{g}/members/{u}/$ref in Graph, sent
 * together through $batch (never without /$ref: that form deletes the user object itself), and from distribution lists and
 * mail-enabled security groups with Exchange's Remove-DistributionGroupMember. Dynamic groups are
 * left for a person, with the reason. Licences inherited from a group leave with it, so a group
 * giving the licence that carries the mailbox stays while the mailbox still needs that licence
 * (the step then waits on the conversion to shared, plan.ts WAITS_ON), and licensing groups stay
 * when the request keeps the licences. The Conditional Access block group (addToBlockGroup) is
 * kept: leaving it would undo the block.
 * Permission GroupMember.ReadWrite.All; Exchange role for distribution groups.
 */
export const removeGroupMemberships: OffboardingAction<Membership> = {
  name: 'removeGroupMemberships',
  async plan(ctx) {
    const blockGroup = blockGroupOf(ctx);
    const memberships = await readGroups(ctx);
    const kept = memberships.filter((g) => g.id.toLowerCase() === blockGroup);
    const groups = memberships.filter((g) => !kept.includes(g));
    const notes = kept.map((g) => `Kept in '${g.displayName}', the Conditional Access block group.`);
    const exchange = groups.some(inExchange) ? await exchangeConnected(ctx) : true;
    const reason = (g: Membership) =>
      readOnlyReason(g) ??
      (inExchange(g) && !exchange ? `'${g.displayName}' is a distribution list or mail-enabled security group: remove the user in Exchange (Remove-DistributionGroupMember).` : undefined);
    const forLicences = await keptForLicences(ctx, groups.filter((g) => !reason(g)));
    const removable = groups.filter((g) => !reason(g) && !forLicences.has(g.id));
    const manual = [...groups.map(reason).filter((r): r is string => r !== undefined), ...forLicences.values()];
    const keeping = kept.map((g) => ` (stays in '${g.displayName}', the Conditional Access block group)`).join('');
    return { changes: removable, manual, notes, found: removable.length === 0 ? 'no memberships that can be removed.' : removable.map((g) => g.displayName).join(', ') + keeping };
  },
  async apply(ctx, plan) {
    const why = (g: Membership, err: unknown) => `Could not remove from '${g.displayName}': ${describeError(err)}`;
    // Independent removals, so Graph's go together through $batch; a 404 means already removed.
    const failures = [
      ...(await deleteEachIfPresent(ctx.graph, plan.changes.filter((g) => !inExchange(g)), (g) => memberRef(ctx, g), why)),
      ...(await eachObject(plan.changes.filter(inExchange), (g) => removeThroughExchange(ctx, g), why)),
    ];
    return { detail: `Removed from ${plan.changes.length - failures.length} of ${plan.changes.length} group(s): ${plan.changes.map((g) => g.displayName).join(', ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readGroups(ctx)).filter((g) => plan.changes.some((p) => p.id === g.id));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still a member of: ${left.map((g) => g.displayName).join(', ')}.` };
  },
};
