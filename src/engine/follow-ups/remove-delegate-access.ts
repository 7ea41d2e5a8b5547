import { isNotFound, mailboxIdentity, noMailbox, readMailbox } from '../../actions/exchange-mailbox';
import { mailboxPermissionsUnread } from '../../actions/grant-mailbox-access';
import { mailboxDecisions } from '../../actions/mailbox-decisions';
import type { ActionContext, OffboardingAction, PlannedChange } from '../../actions/offboarding-action';
import type { OffboardingCase } from '../../cases/case';
import { guidSegment } from '../../m365/odata';
import { delegationOf } from './follow-up-schedule';

interface MailboxPermission {
  User: string;
  AccessRights: string[];
}

/** Who was given the access: the delegate the request named, or the manager (as the grant step chose). */
async function delegateOf(ctx: ActionContext): Promise<string | undefined> {
  const chosen = mailboxDecisions(ctx.request).delegate;
  if (chosen) return chosen;
  if (!ctx.target.manager) return undefined;
  return (await ctx.graph.get<{ userPrincipalName: string }>(`/users/${guidSegment(ctx.target.manager.id)}?$select=userPrincipalName`)).body.userPrincipalName;
}

/** Whether `delegate` still has FullAccess; false too when the delegate no longer exists. */
async function hasFullAccess(ctx: ActionContext, delegate: string): Promise<boolean> {
  try {
    const granted = await ctx.exchange.invoke<MailboxPermission>('Get-MailboxPermission', { Identity: mailboxIdentity(ctx), User: delegate });
    return granted.value.some((p) => p.AccessRights.includes('FullAccess'));
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** What a person must decide when the case cannot tell whether it gave the access, and how to act on it. */
function notKnownWhoGaveIt(ctx: ActionContext, delegate: string, mailbox: string): string {
  const why = mailboxPermissionsUnread(ctx.evidence);
  // The instruction first: the completion summary shows only the start of a long reason.
  return (
    `Check whether ${delegate} had FullAccess before this offboarding and, if not, remove it ` +
    `(Remove-MailboxPermission -Identity ${mailbox} -User ${delegate} -AccessRights FullAccess). ` +
    `This case cannot tell whether it gave that access: ${delegate} already had it when the grant step ran, ` +
    `and the evidence snapshot could not read the mailbox permissions${why ? ` (${why})` : ''}.`
  );
}

/**
 * Follow-up at the end of the delegate's access (the request's `delegateUntil`): takes their
 * FullAccess to the departed user's mailbox away, since Exchange has no expiry on permissions.
 * When the case cannot tell whether it gave that access, a person decides instead.
 * Exchange: Remove-MailboxPermission -AccessRights FullAccess.
 */
export const removeDelegateAccess = (c: OffboardingCase): Omit<OffboardingAction<string>, 'name'> => ({
  async plan(ctx): Promise<PlannedChange<string>> {
    const delegate = await delegateOf(ctx);
    if (!delegate) {
      return { changes: [], found: 'no delegate known.', stop: { status: 'manual', reason: 'The request names no delegate and the user has no manager: check who has FullAccess to the mailbox and remove it.' } };
    }
    const mailbox = await readMailbox(ctx);
    if (!mailbox) return noMailbox();
    if (!(await hasFullAccess(ctx, delegate))) return { changes: [], found: `${delegate} no longer has FullAccess.` };
    if (delegationOf(c)?.givenBy === 'unknown') {
      const reason = notKnownWhoGaveIt(ctx, delegate, mailbox.PrimarySmtpAddress ?? ctx.target.userPrincipalName);
      return { changes: [], found: `${delegate} still has FullAccess.`, stop: { status: 'manual', reason } };
    }
    return { changes: [delegate], found: `${delegate} still has FullAccess.` };
  },
  async apply(ctx, plan) {
    await ctx.exchange.invoke('Remove-MailboxPermission', { Identity: mailboxIdentity(ctx), User: plan.changes[0], AccessRights: ['FullAccess'] });
    return { detail: `Removed ${plan.changes[0]}'s FullAccess to the mailbox, as the delegation ended.`, failures: [] };
  },
  async verify(ctx, plan) {
    return (await hasFullAccess(ctx, plan.changes[0]))
      ? { ok: false, detail: `Exchange still shows FullAccess for ${plan.changes[0]}.` }
      : { ok: true, detail: '(verified)' };
  },
});
