import { isNotFound, mailboxIdentity, noMailbox, readMailbox } from '../../actions/exchange-mailbox';
import { mailboxDecisions } from '../../actions/mailbox-decisions';
import type { ActionContext, OffboardingAction, PlannedChange } from '../../actions/offboarding-action';
import { guidSegment } from '../../m365/odata';

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

/**
 * Follow-up at the end of the delegate's access (the request's `delegateUntil`): takes their
 * FullAccess to the departed user's mailbox away, since Exchange has no expiry on permissions.
 * Exchange: Remove-MailboxPermission -AccessRights FullAccess.
 */
export const removeDelegateAccess: Omit<OffboardingAction<string>, 'name'> = {
  async plan(ctx): Promise<PlannedChange<string>> {
    const delegate = await delegateOf(ctx);
    if (!delegate) {
      return { changes: [], found: 'no delegate known.', stop: { status: 'manual', reason: 'The request names no delegate and the user has no manager: check who has FullAccess to the mailbox and remove it.' } };
    }
    if (!(await readMailbox(ctx))) return noMailbox();
    return (await hasFullAccess(ctx, delegate))
      ? { changes: [delegate], found: `${delegate} still has FullAccess.` }
      : { changes: [], found: `${delegate} no longer has FullAccess.` };
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
};
