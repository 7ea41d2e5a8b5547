import { markExternal, mailboxIdentity, noMailbox, readMailbox, type MailboxView } from './exchange-mailbox';
import type { ActionContext, OffboardingAction } from './offboarding-action';

type Forwarding = 'ForwardingSmtpAddress' | 'ForwardingAddress';

function describe(ctx: ActionContext, m: MailboxView): string {
  const to = [m.ForwardingSmtpAddress?.replace(/^smtp:/i, ''), m.ForwardingAddress].filter((a): a is string => !!a).map((a) => markExternal(ctx, a));
  return `forwards to ${to.join(' and ')}${m.DeliverToMailboxAndForward ? ', keeping a copy' : ''}`;
}

/**
 * Clears the mailbox's own forwarding (set in Outlook or by an admin, not an inbox rule), so mail
 * stops leaving once the person has gone. What it forwarded to is recorded in the step's result
 * before it is cleared. Exchange: Set-Mailbox -ForwardingSmtpAddress $null -ForwardingAddress $null.
 */
export const clearMailboxForwarding: OffboardingAction<Forwarding> = {
  name: 'clearMailboxForwarding',
  async plan(ctx) {
    const m = await readMailbox(ctx);
    if (!m) return noMailbox();
    const changes: Forwarding[] = [];
    if (m.ForwardingSmtpAddress) changes.push('ForwardingSmtpAddress');
    if (m.ForwardingAddress) changes.push('ForwardingAddress');
    return { changes, found: changes.length === 0 ? 'the mailbox does not forward.' : `the mailbox ${describe(ctx, m)}.` };
  },
  async apply(ctx, plan) {
    await ctx.exchange.invoke('Set-Mailbox', { Identity: mailboxIdentity(ctx), ForwardingSmtpAddress: null, ForwardingAddress: null, DeliverToMailboxAndForward: false });
    return { detail: `Cleared mailbox forwarding (the mailbox ${plan.found.replace(/^the mailbox /, '').replace(/\.$/, '')}).`, failures: [] };
  },
  async verify(ctx) {
    const m = await readMailbox(ctx);
    return !m || (!m.ForwardingSmtpAddress && !m.ForwardingAddress)
      ? { ok: true, detail: '(verified: no forwarding)' }
      : { ok: false, detail: `Exchange still shows forwarding: the mailbox ${describe(ctx, m)}.` };
  },
};
