import { guidSegment } from '../m365/odata';
import { endOwnership, ownersOf, quoted, sameId, type OwnedGroup } from './end-group-ownership';
import { exchangeConnected } from './exchange-mailbox';
import { readAll } from './graph-pages';
import { isMissing, successorFor, type Successor, type SuccessorLookup } from './hand-over-person';
import { membershipsKeptForLicences, type LicenceHold } from './mailbox-licence';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

interface OwnedObject {
  '@odata.type': string;
  id: string;
  displayName: string;
  groupTypes?: string[];
  mailEnabled?: boolean;
  isAssignableToRole?: boolean | null;
  resourceProvisioningOptions?: string[] | null;
}

/** Distribution lists and mail-enabled security groups have their owners (ManagedBy) in Exchange. */
const inExchange = (g: OwnedObject) => !!g.mailEnabled && !g.groupTypes?.includes('Unified');

const ownedGroups = async (ctx: ActionContext) =>
  (await readAll<OwnedObject>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/ownedObjects?$select=id,displayName,groupTypes,mailEnabled,isAssignableToRole,resourceProvisioningOptions`)).filter(
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
 * Graph shows true for a role-assignable group, null or false for the others. An answer without the
 * property says neither, so the group is read on its own; undefined when that says nothing either.
 * Guessing "ordinary" would be unsafe: the app holds RoleManagement.ReadWrite.Directory, so Graph
 * would let it make the successor an owner of a role-assignable group, who could then take its roles.
 */
async function roleAssignable(ctx: ActionContext, g: OwnedObject): Promise<boolean | undefined> {
  if (g.isAssignableToRole !== undefined) return g.isAssignableToRole === true;
  const read = (await ctx.graph.get<{ isAssignableToRole?: boolean | null }>(`/groups/${guidSegment(g.id)}?$select=isAssignableToRole`)).body;
  return read.isAssignableToRole === undefined ? undefined : read.isAssignableToRole === true;
}

/**
 * Whoever owns a role-assignable group can add themselves to it and so hold its directory roles:
 * who owns it next is a Privileged Role Administrator's decision, not an automatic hand-over.
 */
const roleGroupNote = (g: OwnedObject, known: boolean) =>
  known
    ? `Owner of the role-assignable group '${g.displayName}': left to a Privileged Role Administrator, since its owner can give themselves its roles. Give it another owner if it needs one, then remove the user as owner.`
    : `Owner of '${g.displayName}', which Graph did not say is role-assignable or not: left to a Privileged Role Administrator, since the owner of a role-assignable group can give themselves its roles. Check the group in Entra, give it another owner if it needs one, then remove the user as owner.`;

/** Teams exist only on Microsoft 365 groups; an answer without resourceProvisioningOptions may be one. */
const mayHaveTeam = (g: OwnedObject) => !!g.groupTypes?.includes('Unified') && (g.resourceProvisioningOptions?.includes('Team') ?? true);

/**
 * Removing an owner of a team's group also removes them as a member (Graph known issue, linked
 * from group-delete-owners). Where the memberships step keeps that membership for the licence it
 * gives (mailbox-licence.ts), the user stays an owner, or the licence would go with the membership.
 */
async function ownersKeptForLicences(ctx: ActionContext, owned: OwnedObject[]): Promise<Map<string, string>> {
  const teams = owned.filter(mayHaveTeam);
  const holds = teams.length > 0 ? await membershipsKeptForLicences(ctx, teams) : new Map<string, LicenceHold>();
  return new Map(teams.flatMap((g) => (holds.has(g.id) ? [[g.id, staysOwnerNote(g, holds.get(g.id)!)] as const] : [])));
}

const staysOwnerNote = (g: OwnedObject, hold: LicenceHold) =>
  hold.mailbox
    ? `The user stays an owner of '${g.displayName}' for now: the group gives the mailbox's licence (${hold.licences[0]}), and removing an owner of a team removes the membership too (Graph known issue); this step runs again when IT retries a failed conversion to shared; otherwise remove them as owner once the mailbox no longer needs that licence (the memberships step's note says why it still does).`
    : `The user stays an owner of '${g.displayName}': the group gives ${hold.licences.join(', ')}, which the request keeps, and removing an owner of a team removes the membership too (Graph known issue); remove them as owner only if those licences may go.`;

const exchangeNote = (g: OwnedObject, newOwner: Successor | undefined) =>
  newOwner
    ? `Sole owner of '${g.displayName}', a distribution list: make ${newOwner.userPrincipalName} its owner and remove the user in Exchange (Set-DistributionGroup -ManagedBy @{Add=…; Remove=…}).`
    : `Owner of '${g.displayName}', a distribution list: remove the user from its owners in Exchange (Set-DistributionGroup -ManagedBy @{Remove=…}).`;

function previewLine(g: OwnedObject, newOwner: Successor | undefined, staysOwner: boolean): string {
  const user = staysOwner ? 'the user stays an owner for now' : 'removed as owner';
  return newOwner ? `${g.displayName} (sole owner: ${newOwner.displayName} takes over; ${user})` : `${g.displayName} (${user})`;
}

function foundText(owned: OwnedObject[], changes: OwnedGroup[]): string {
  const handed = changes.filter((g) => g.newOwner);
  const leaving = changes.filter((g) => !g.staysOwner);
  const parts = [`owner of ${quoted(owned.map((g) => g.displayName))}`];
  if (leaving.length > 0) parts.push(`removed as owner of ${leaving.length === owned.length ? 'each' : quoted(leaving.map((g) => g.groupName))}`);
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
 * team's group also removes them as a member (Graph known issue): harmless where the memberships
 * step removes the membership anyway, but where it keeps one for the licence it gives (the mailbox's
 * licence, or licences the request keeps), the user stays an owner for a person to remove later.
 * Permission Group.ReadWrite.All; Exchange role for distribution lists.
 */
export const transferGroupOwnership: OffboardingAction<OwnedGroup> = {
  name: 'transferGroupOwnership',
  async plan(ctx): Promise<PlannedChange<OwnedGroup>> {
    const owned = await ownedGroups(ctx);
    if (owned.length === 0) return { changes: [], found: 'the user owns no group or team.' };
    const staying = await ownersKeptForLicences(ctx, owned);
    const manual = [...staying.values()];
    const managed: OwnedObject[] = [];
    for (const g of owned) {
      const role = await roleAssignable(ctx, g);
      if (role === false) managed.push(g);
      else manual.push(roleGroupNote(g, role === true));
    }
    const sole = await soleOwned(ctx, managed);
    const taker = sole.size > 0 ? await takerFor(ctx) : undefined;
    const exchange = managed.some(inExchange) ? await exchangeConnected(ctx) : true;
    const changes: OwnedGroup[] = [];
    for (const g of managed) {
      const staysOwner = staying.has(g.id);
      if (sole.has(g.id) && taker && isMissing(taker)) {
        manual.push(`Sole owner of '${g.displayName}': ${taker.missing} Add an owner in ${inExchange(g) ? 'Exchange' : 'Entra or Teams'}${staysOwner ? '.' : ', then remove the user as owner.'}`);
        continue;
      }
      const newOwner = sole.has(g.id) ? (taker as Successor) : undefined;
      if (inExchange(g) && !exchange) manual.push(exchangeNote(g, newOwner));
      // Where the user stays an owner, the successor is still added: only the removal costs the membership.
      else if (newOwner || !staysOwner) changes.push({ id: g.id, groupName: g.displayName, inExchange: inExchange(g), newOwner, staysOwner, name: previewLine(g, newOwner, staysOwner) });
    }
    return { changes, manual, found: foundText(owned, changes) };
  },
  apply: (ctx, plan) => endOwnership(ctx, plan.changes),
  async verify(ctx, plan) {
    const wrong: string[] = [];
    for (const g of plan.changes) {
      const owners = await ownersOf(ctx, g.id);
      if (g.newOwner && !owners.some((o) => sameId(o.id, g.newOwner!.id))) wrong.push(`${g.newOwner.displayName} is not an owner of '${g.groupName}'`);
      if (!g.staysOwner && owners.some((o) => sameId(o.id, ctx.target.id))) wrong.push(`the user is still an owner of '${g.groupName}'`);
    }
    return wrong.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Graph shows that ${wrong.join('; ')}.` };
  },
};
