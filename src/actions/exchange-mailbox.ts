/** Reading the departing user's mailbox through Exchange, shared by the mailbox actions. */
import { M365Error } from '../m365/m365-error';
import type { ActionContext, PlannedChange } from './offboarding-action';

export interface MailboxView {
  RecipientTypeDetails: string;
  HiddenFromAddressListsEnabled: boolean;
  ForwardingSmtpAddress: string | null;
  ForwardingAddress: string | null;
  DeliverToMailboxAndForward: boolean;
  LitigationHoldEnabled: boolean;
  /** "Active" when the mailbox has an archive, "None" otherwise. */
  ArchiveStatus: string;
  PrimarySmtpAddress: string | null;
  /** Synced from on-premises AD: address-list visibility is then set on-premises, not here. */
  IsDirSynced?: boolean;
}

/** Exchange resolves the Entra object id, which, unlike the UPN, never changes. */
export const mailboxIdentity = (ctx: ActionContext) => ctx.target.id;

export const isNotFound = (err: unknown) => err instanceof M365Error && err.code === 'ManagementObjectNotFoundException';

/** The mailbox, or undefined when the user has none in Exchange Online. */
export async function readMailbox(ctx: ActionContext): Promise<MailboxView | undefined> {
  try {
    return (await ctx.exchange.invoke<MailboxView>('Get-Mailbox', { Identity: mailboxIdentity(ctx) })).value[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Without an Exchange connection, distribution lists are left for a person instead of failing. */
export async function exchangeConnected(ctx: ActionContext): Promise<boolean> {
  try {
    await ctx.exchange.invoke('Get-Mailbox', { Identity: mailboxIdentity(ctx) });
    return true;
  } catch (err) {
    if (err instanceof M365Error && err.code === 'ExchangeNotConnected') return false;
    // No mailbox (or another refusal) says nothing about the lists: let the change itself report.
    return true;
  }
}

export function noMailbox<T>(): PlannedChange<T> {
  return { changes: [], found: 'no mailbox.', stop: { status: 'skipped', reason: 'The user has no Exchange Online mailbox.' } };
}

export function notChosen<T>(reason: string): PlannedChange<T> {
  return { changes: [], found: reason, stop: { status: 'skipped', reason } };
}

/** Addresses outside the user's own domain are flagged: mail leaving the company. */
export function markExternal(ctx: ActionContext, address: string): string {
  const domain = (ctx.target.mail ?? ctx.target.userPrincipalName).split('@')[1]?.toLowerCase();
  return address.includes('@') && !address.toLowerCase().endsWith(`@${domain}`) ? `${address} (external)` : address;
}
