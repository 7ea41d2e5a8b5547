/**
 * The licences that carry a user's mailbox, and whether the mailbox still needs one: shared by the
 * licence removal, the membership removal (a group can give the licence that carries it) and the
 * ownership step (removing an owner of a team's group removes the membership too).
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { readMailbox } from './exchange-mailbox';
import { licenceDecision } from './mailbox-decisions';
import { readMailboxSize, SHARED_MAILBOX_LIMIT_BYTES } from './mailbox-size';
import type { ActionContext } from './offboarding-action';

export interface LicenceState {
  skuId: string;
  assignedByGroup: string | null;
}

export interface UserLicences {
  licenseAssignmentStates?: LicenceState[];
}

export interface LicenceDetail {
  skuId: string;
  skuPartNumber: string;
  servicePlans?: Array<{ servicePlanName: string }>;
}

export async function readLicences(ctx: ActionContext): Promise<{ states: LicenceState[]; names: Map<string, string>; mailboxPlans: Map<string, string> }> {
  const user = `/users/${guidSegment(ctx.target.id)}`;
  const states = (await ctx.graph.get<UserLicences>(`${user}?$select=licenseAssignmentStates`)).body.licenseAssignmentStates ?? [];
  const details = (await ctx.graph.get<{ value: LicenceDetail[] }>(`${user}/licenseDetails`)).body.value;
  // A SKU with an Exchange Online plan (EXCHANGE_S_ENTERPRISE, EXCHANGE_S_STANDARD...) carries the mailbox.
  const mailboxPlans = new Map(
    details.flatMap((d) => {
      const plan = d.servicePlans?.find((p) => /^EXCHANGE_S_/.test(p.servicePlanName));
      return plan ? [[d.skuId.toLowerCase(), plan.servicePlanName] as const] : [];
    }),
  );
  return { states, names: new Map(details.map((d) => [d.skuId.toLowerCase(), d.skuPartNumber])), mailboxPlans };
}

/**
 * Why the licence carrying the mailbox must stay, as the rest of a sentence for the IT admin ending
 * in what to do (`then`: remove the licence, or the membership that gives it), or undefined when it
 * may go. It may go only once the mailbox reads back as shared (a user mailbox
 * without a licence is deleted after 30 days), and only if that shared mailbox needs no licence of
 * its own: one on litigation hold, with an archive, or over 50 GB still needs one.
 */
export async function mailboxNeedsLicence(ctx: ActionContext, then = 'remove the licence'): Promise<string | undefined> {
  let mailbox;
  try {
    mailbox = await readMailbox(ctx);
  } catch (err) {
    if (err instanceof M365Error && err.code === 'ExchangeNotConnected') {
      return `the mailbox could not be checked (no Exchange connection): in the Exchange admin center, check it is shared, under 50 GB, with no archive and no litigation hold, then ${then}.`;
    }
    throw err;
  }
  if (!mailbox) return undefined;
  if (mailbox.RecipientTypeDetails !== 'SharedMailbox') {
    return `the mailbox is still a ${mailbox.RecipientTypeDetails}, not shared: convert it to shared (Set-Mailbox -Type Shared), check it reads back SharedMailbox, then ${then}.`;
  }
  const size = await readMailboxSize(ctx);
  const reasons = [
    mailbox.LitigationHoldEnabled ? 'the mailbox is on litigation hold' : undefined,
    mailbox.ArchiveStatus === 'Active' ? 'the mailbox has an archive (ArchiveStatus Active)' : undefined,
    size.bytes === undefined ? `the mailbox size could not be read (TotalItemSize ${JSON.stringify(size.reported ?? null)})` : undefined,
    size.bytes !== undefined && size.bytes > SHARED_MAILBOX_LIMIT_BYTES ? `the mailbox holds ${String(size.reported)}, over the 50 GB limit` : undefined,
  ].filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return undefined;
  return `was kept: ${reasons.join('; ')}. A shared mailbox on litigation hold, with an archive or over 50 GB still needs an Exchange licence; ${then} only once none of that applies.`;
}

/** Why a group's membership stays for the licences it gives. */
export interface LicenceHold {
  /** The licences it gives (SKU part numbers); with `mailbox`, only the one carrying the mailbox. */
  licences: string[];
  /** Set when it gives the licence carrying the mailbox, which still needs it. */
  mailbox?: {
    /** The Exchange Online plan in that licence (EXCHANGE_S_ENTERPRISE...). */
    plan: string;
    /** Why the mailbox still needs it, ending in what to do (mailboxNeedsLicence). */
    needed: string;
  };
}

/**
 * The memberships the memberships step keeps for the licences they give, by group id: every
 * licensing group when the request keeps the licences, and a group giving the licence that carries
 * the mailbox while the mailbox still needs it (not yet shared, or shared but on hold, archived or
 * over 50 GB). Removing such a membership takes the licence with it, and an unlicensed user mailbox
 * is deleted after 30 days. The ownership step asks too: removing an owner of a team's group also
 * removes the membership (Graph known issue).
 */
export async function membershipsKeptForLicences(ctx: ActionContext, groups: ReadonlyArray<{ id: string }>): Promise<Map<string, LicenceHold>> {
  const kept = new Map<string, LicenceHold>();
  const licences = await readLicences(ctx);
  const given = (groupId: string) => licences.states.filter((s) => s.assignedByGroup?.toLowerCase() === groupId.toLowerCase()).map((s) => s.skuId.toLowerCase());
  const name = (skuId: string) => licences.names.get(skuId) ?? skuId;
  const licensing = groups.filter((g) => given(g.id).length > 0);
  if (licensing.length === 0) return kept;
  if (licenceDecision(ctx.request) === 'keep') {
    for (const g of licensing) kept.set(g.id, { licences: given(g.id).map(name) });
    return kept;
  }
  const carrying = licensing.filter((g) => given(g.id).some((sku) => licences.mailboxPlans.has(sku)));
  const needed = carrying.length > 0 ? await mailboxNeedsLicence(ctx, 'remove the user from the group') : undefined;
  if (!needed) return kept;
  for (const g of carrying) {
    const sku = given(g.id).find((s) => licences.mailboxPlans.has(s))!;
    kept.set(g.id, { licences: [name(sku)], mailbox: { plan: licences.mailboxPlans.get(sku)!, needed } });
  }
  return kept;
}
