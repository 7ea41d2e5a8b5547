import { guidSegment } from '../m365/odata';
import { endOwnership, ownersOf, quoted, sameId, type OwnedGroup } from './end-group-ownership';
import { exchangeConnected } from './exchange-mailbox';
import { readAll } from './graph-pages';
import { isMissing, successorFor, type Successor, type SuccessorLookup } from './hand-over-person';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

interface OwnedObject {
  '@odata.type': string;
  id: string;
  displayName: string;
  groupTypes?: string[];
  mailEnabled?: boolean;
  isAssignableToRole?: boolean | null;
}

/** Distribution lists and mail-enabled security groups have their owners (ManagedBy) in Exchange. */
const inExchange = (g: OwnedObject) => !!g.mailEnabled && !g.groupTypes?.includes('Unified');

const ownedGroups = async (ctx: ActionContext) =>
  (await readAll<OwnedObject>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/ownedObjects?$select=id,displayName,groupTypes,mailEnabled,isAssignableToRole`)).filter(
    (o) => o['@odata.type'] === '#microsoft.graph.group',
  );

/**
 * The groups no other user owns. Graph counts only users when it refuses to remove a last owner,
 * and only a person can manage the group once the account is gone, so an app owner does not count.
 */
async function soleOwned(ctx: ActionContext, groups: OwnedObject[]): Promise<Set<string>> {
  const sole = new Set<string>();
  for (const g of groups) {
    const others = (await ownersOf(ctx, g.id)).filter((o) => o['@odata.type'] !== '#microsoft.graph.servicePrincipal' && !sameId(o.id, ctx.target.id));
    if (others.length === 0) sole.add(g.id);
  }
  return sole;
}

/** Who takes over; never the user themself, who would be removed again at once. */
async function takerFor(ctx: ActionContext): Promise<SuccessorLookup> {
  const taker = await successorFor(ctx, ctx.request.handOver?.groupsTo);
  return !isMissing(taker) && sameId(taker.id, ctx.target.id) ? { missing: 'The request names the departing user to take over.' } : taker;
}

/**
 * Whoever owns a role-assignable group can add themselves to it and so hold its directory roles:
 * who owns it next is a Privileged Role Administrator's decision, not an automatic hand-over.
 */
const roleGroupNote = (g: OwnedObject) =>
  `Owner of the role-assignable group '${g.displayName}': left to a Privileged Role Administrator, since its owner can give themselves its roles. Give it another owner if it needs one, then remove the user as owner.`;

const exchangeNote = (g: OwnedObject, newOwner: Successor | undefined) =>
  newOwner
    ? `Sole owner of '${g.displayName}', a distribution list: make ${newOwner.userPrincipalName} its owner and remove the user in Exchange (Set-DistributionGroup -ManagedBy @{Add=…; Remove=…}).`
    : `Owner of '${g.displayName}', a distribution list: remove the user from its owners in Exchange (Set-DistributionGroup -ManagedBy @{Remove=…}).`;

const previewLine = (g: OwnedObject, newOwner: Successor | undefined) =>
  newOwner ? `${g.displayName} (sole owner: ${newOwner.displayName} takes over; removed as owner)` : `${g.displayName} (removed as owner)`;

function foundText(owned: OwnedObject[], changes: OwnedGroup[]): string {
  const handed = changes.filter((g) => g.newOwner);
  const parts = [`owner of ${quoted(owned.map((g) => g.displayName))}`];
  if (changes.length > 0) parts.push(`removed as owner of ${changes.length === owned.length ? 'each' : quoted(changes.map((g) => g.groupName))}`);
  if (handed.length > 0) parts.push(`${handed[0].newOwner!.displayName} first takes over ${quoted(handed.map((g) => g.groupName))}, which nobody else owns`);
  return `${parts.join('; ')}.`;
}

/**
 * Ends the user's ownership of every group and team, so a disabled (or wrongly re-enabled)
 * account is nobody's owner during the retention period: Teams would still show them as an owner,
 * and owners get the group's notifications and access requests. Where no other user owns a group,
 * the chosen person (the manager unless the request names someone) becomes an owner first, so no
 * group is left without one; if that fails, the user stays its owner. Distribution lists go
 * through Exchange's ManagedBy, or to a person without an Exchange connection; role-assignable
 * groups always go to a person. Runs before the memberships are removed. Removing an owner of a
 * team's group also removes them as a member (Graph known issue); the memberships step follows anyway.
 * Permission Group.ReadWrite.All; Exchange role for distribution lists.
 */
export const transferGroupOwnership: OffboardingAction<OwnedGroup> = {
  name: 'transferGroupOwnership',
  async plan(ctx): Promise<PlannedChange<OwnedGroup>> {
    const owned = await ownedGroups(ctx);
    if (owned.length === 0) return { changes: [], found: 'the user owns no group or team.' };
    const manual = owned.filter((g) => g.isAssignableToRole === true).map(roleGroupNote);
    const managed = owned.filter((g) => g.isAssignableToRole !== true);
    const sole = await soleOwned(ctx, managed);
    const taker = sole.size > 0 ? await takerFor(ctx) : undefined;
    const exchange = managed.some(inExchange) ? await exchangeConnected(ctx) : true;
    const changes: OwnedGroup[] = [];
    for (const g of managed) {
      if (sole.has(g.id) && taker && isMissing(taker)) {
        manual.push(`Sole owner of '${g.displayName}': ${taker.missing} Add an owner in ${inExchange(g) ? 'Exchange' : 'Entra or Teams'}, then remove the user as owner.`);
        continue;
      }
      const newOwner = sole.has(g.id) ? (taker as Successor) : undefined;
      if (inExchange(g) && !exchange) manual.push(exchangeNote(g, newOwner));
      else changes.push({ id: g.id, groupName: g.displayName, inExchange: inExchange(g), newOwner, name: previewLine(g, newOwner) });
    }
    return { changes, manual, found: foundText(owned, changes) };
  },
  apply: (ctx, plan) => endOwnership(ctx, plan.changes),
  async verify(ctx, plan) {
    const wrong: string[] = [];
    for (const g of plan.changes) {
      const owners = await ownersOf(ctx, g.id);
      if (g.newOwner && !owners.some((o) => sameId(o.id, g.newOwner!.id))) wrong.push(`${g.newOwner.displayName} is not an owner of '${g.groupName}'`);
      if (owners.some((o) => sameId(o.id, ctx.target.id))) wrong.push(`the user is still an owner of '${g.groupName}'`);
    }
    return wrong.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Graph shows that ${wrong.join('; ')}.` };
  },
};
