/**
 * Ending the departing user's ownership of their groups and teams: the successor is added first
 * where nobody else owns the group, then the user is removed as owner, in Graph or, for
 * distribution lists and mail-enabled security groups, in Exchange (ManagedBy).
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteEachIfPresent, eachObject, readAll } from './graph-pages';
import type { Successor } from './hand-over-person';
import type { ActionContext, Applied } from './offboarding-action';

/** A group or team the user owns, and what the step does with it. */
export interface OwnedGroup {
  id: string;
  /** The group's display name (the preview lists `name`). */
  groupName: string;
  /** A distribution list or mail-enabled security group: its owners are Exchange's ManagedBy. */
  inExchange: boolean;
  /** Set when no other user owns the group: this person becomes an owner before the user leaves it. */
  newOwner?: Successor;
  /**
   * The user stays an owner for now: the group gives a licence the memberships step keeps, and
   * removing an owner of a team removes the membership too (Graph known issue). Only `newOwner` is added.
   */
  staysOwner?: boolean;
  /** How the plan preview lists it. */
  name: string;
}

export interface Owner {
  '@odata.type'?: string;
  id: string;
}

export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const ownersOf = (ctx: ActionContext, groupId: string) => readAll<Owner>(ctx.graph, `/groups/${guidSegment(groupId)}/owners?$select=id`);

export const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

const alreadyOwner = (err: unknown) => err instanceof M365Error && err.status === 400 && /already exist/i.test(err.message);

/** Graph's refusal to remove a group's last user owner (group-delete-owners). */
const lastOwner = (err: unknown) => err instanceof M365Error && err.status === 400 && /at least one owner/i.test(err.message);

async function addOwner(ctx: ActionContext, g: OwnedGroup & { newOwner: Successor }): Promise<void> {
  try {
    await ctx.graph.send('POST', `/groups/${guidSegment(g.id)}/owners/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${guidSegment(g.newOwner.id)}` });
  } catch (err) {
    // Already an owner is the wanted state (a resumed run, or someone added them meanwhile).
    if (!alreadyOwner(err)) throw err;
  }
}

/** The owner link, as documented; for members the form without /$ref deletes the user object itself. */
const ownerRef = (ctx: ActionContext, g: OwnedGroup) => `/groups/${guidSegment(g.id)}/owners/${guidSegment(ctx.target.id)}/$ref`;

/**
 * One ManagedBy edit, so a distribution list is never without an owner: where the user is its only
 * owner, the successor is added in the same change that removes the user. Removing someone who is
 * no longer an owner changes nothing, so a repeated run is safe. Exchange resolves Entra object ids.
 */
const setManagedBy = (ctx: ActionContext, g: OwnedGroup) =>
  ctx.exchange.invoke('Set-DistributionGroup', {
    Identity: g.id,
    ManagedBy: { '@odata.type': '#Exchange.GenericHashTable', ...(g.newOwner ? { Add: [g.newOwner.id] } : {}), Remove: [ctx.target.id] },
    BypassSecurityGroupManagerCheck: true,
  });

function removalRefused(g: OwnedGroup, err: unknown): string {
  if (lastOwner(err)) {
    // Also seen right after an owner was added, before Graph shows the new one everywhere.
    return `Kept the user as owner of '${g.groupName}': Graph refuses to remove a group's last owner (${describeError(err)}). If a new owner was just added, retry the step in a few minutes; otherwise give the group another owner first.`;
  }
  return `Could not remove the user as owner of '${g.groupName}': ${describeError(err)}`;
}

/**
 * Hands over and removes, group by group; one refusal does not stop the others. A group whose
 * successor could not be added keeps the user as owner, so it is never left without one.
 */
export async function endOwnership(ctx: ActionContext, groups: OwnedGroup[]): Promise<Applied> {
  const notHandedOver = new Set<string>();
  const notRemoved = new Set<string>();
  const inGraph = groups.filter((g) => !g.inExchange);
  const handOvers = inGraph.filter((g): g is OwnedGroup & { newOwner: Successor } => g.newOwner !== undefined);
  const failures = await eachObject(handOvers, (g) => addOwner(ctx, g), (g, err) => {
    notHandedOver.add(g.id);
    notRemoved.add(g.id);
    return `Could not make ${g.newOwner.displayName} an owner of '${g.groupName}': ${describeError(err)} The user stays its owner until someone else is.`;
  });
  // Independent removals go together through $batch; a 404 means the user is already no owner.
  const leaving = inGraph.filter((g) => !notRemoved.has(g.id) && !g.staysOwner);
  failures.push(
    ...(await deleteEachIfPresent(ctx.graph, leaving, (g) => ownerRef(ctx, g), (g, err) => {
      notRemoved.add(g.id);
      return removalRefused(g, err);
    })),
  );
  const inExchange = groups.filter((g) => g.inExchange);
  failures.push(
    ...(await eachObject(inExchange, (g) => setManagedBy(ctx, g), (g, err) => {
      // One edit: when it fails, neither the hand-over nor the removal happened.
      notHandedOver.add(g.id);
      notRemoved.add(g.id);
      const handOver = g.newOwner ? `make ${g.newOwner.displayName} an owner of '${g.groupName}' and ` : '';
      return `Could not ${handOver}remove the user from the owners of '${g.groupName}' in Exchange: ${describeError(err)}`;
    })),
  );
  const taken = groups.filter((g) => g.newOwner && !notHandedOver.has(g.id));
  const removed = groups.filter((g) => !notRemoved.has(g.id) && !g.staysOwner);
  const detail = [
    taken.length > 0 ? `Made ${taken[0].newOwner!.displayName} an owner of ${quoted(taken.map((g) => g.groupName))}.` : '',
    removed.length > 0 ? `Removed the user as owner of ${quoted(removed.map((g) => g.groupName))}.` : '',
  ];
  return { detail: detail.filter(Boolean).join(' '), failures };
}
