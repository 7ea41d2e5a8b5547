import { guidSegment } from '../m365/odata';
import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import { mailboxDecisions } from './mailbox-decisions';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

interface MailboxPermission {
  User: string;
  AccessRights: string[];
}

/** The chosen delegate's sign-in name: typed on the card, or the manager's read from Graph. */
async function delegateOf(ctx: ActionContext): Promise<string | null | 'no manager'> {
  const chosen = mailboxDecisions(ctx.request).delegate;
  if (chosen !== undefined) return chosen;
  if (!ctx.target.manager) return 'no manager';
  return (await ctx.graph.get<{ userPrincipalName: string }>(`/users/${guidSegment(ctx.target.manager.id)}?$select=userPrincipalName`)).body.userPrincipalName;
}

const hasFullAccess = async (ctx: ActionContext, delegate: string) =>
  (await ctx.exchange.invoke<MailboxPermission>('Get-MailboxPermission', { Identity: mailboxIdentity(ctx), User: delegate })).value.some((p) =>
    p.AccessRights.includes('FullAccess'),
  );

/**
 * Gives the delegate (the manager unless the request names someone) FullAccess to the mailbox,
 * with Outlook auto-mapping, so the work in it is not lost. Exchange has no expiry on permissions:
 * when this step gave the access and the request sets an end date, a follow-up of the case removes
 * it then (src/engine/follow-ups/remove-delegate-access.ts).
 * Exchange: Add-MailboxPermission -AccessRights FullAccess -AutoMapping $true.
 */
export const grantMailboxAccess: OffboardingAction<string> = {
  name: 'grantMailboxAccess',
  async plan(ctx): Promise<PlannedChange<string>> {
    const delegate = await delegateOf(ctx);
    if (delegate === null) return notChosen('The request gives nobody access to the mailbox.');
    if (delegate === 'no manager') {
      return { changes: [], found: 'no manager.', stop: { status: 'manual', reason: 'The user has no manager and the request names no delegate: decide who needs the mailbox and give them FullAccess.' } };
    }
    if (!(await readMailbox(ctx))) return noMailbox();
    const until = mailboxDecisions(ctx.request).delegateUntil;
    if (await hasFullAccess(ctx, delegate)) {
      // Access the delegate had before this case is theirs: no end date of this case applies to it.
      return { changes: [], notes: [`${delegate} had FullAccess before this offboarding; it is left as it is.`], found: `${delegate} already has FullAccess.` };
    }
    const notes = until ? [`${delegate} keeps access until ${until}; a follow-up of this case removes it then.`] : [`${delegate} keeps access with no end date.`];
    return { changes: [delegate], notes, found: `${delegate} has no access yet.` };
  },
  async apply(ctx, plan) {
    await ctx.exchange.invoke('Add-MailboxPermission', { Identity: mailboxIdentity(ctx), User: plan.changes[0], AccessRights: ['FullAccess'], AutoMapping: true });
    return { detail: `Gave ${plan.changes[0]} FullAccess to the mailbox.`, failures: [] };
  },
  async verify(ctx, plan) {
    return (await hasFullAccess(ctx, plan.changes[0])) ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Exchange shows no FullAccess for ${plan.changes[0]}.` };
  },
};
