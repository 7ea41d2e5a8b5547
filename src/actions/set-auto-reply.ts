import { autoReplyHtml, saysText } from './auto-reply-text';
import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import { mailboxDecisions } from './mailbox-decisions';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface AutoReply {
  AutoReplyState: string;
  /** HTML, as Exchange keeps it. */
  InternalMessage: string | null;
  ExternalMessage: string | null;
  ExternalAudience: string;
}

interface Wanted {
  internal: string;
  external: string;
}

/** The request's texts, or a plain default that names who to contact instead. */
function wanted(ctx: ActionContext): Wanted {
  const d = mailboxDecisions(ctx.request);
  const contact = ctx.target.manager ? ctx.target.manager.displayName : 'your usual contact at the company';
  const fallback = `${ctx.target.displayName} no longer works here. For anything ${ctx.target.displayName} was handling, please contact ${contact}.`;
  return { internal: d.autoReplyInternal || fallback, external: d.autoReplyExternal || d.autoReplyInternal || fallback };
}

const readAutoReply = async (ctx: ActionContext) =>
  (await ctx.exchange.invoke<AutoReply>('Get-MailboxAutoReplyConfiguration', { Identity: mailboxIdentity(ctx) })).value[0];

/** On for everyone, saying the wanted texts, whatever HTML Exchange or Outlook wrapped them in. */
const matches = (r: AutoReply | undefined, w: Wanted) =>
  r?.AutoReplyState === 'Enabled' && r.ExternalAudience === 'All' && saysText(r.InternalMessage, w.internal) && saysText(r.ExternalMessage, w.external);

/**
 * Turns on the auto-reply for senders inside and outside the company, so mail to the leaver is
 * answered with who to contact. Exchange: Set-MailboxAutoReplyConfiguration -AutoReplyState Enabled.
 * Exchange reads the messages as HTML and returns them wrapped in <html><body>, so the request's
 * plain text is sent escaped and compared on the text it reads as.
 */
export const setAutoReply: OffboardingAction<Wanted> = {
  name: 'setAutoReply',
  async plan(ctx) {
    if (!mailboxDecisions(ctx.request).autoReply) return notChosen('The request sets no auto-reply.');
    if (!(await readMailbox(ctx))) return noMailbox();
    const w = wanted(ctx);
    const now = await readAutoReply(ctx);
    return matches(now, w)
      ? { changes: [], found: 'the auto-reply is already on with the chosen text.' }
      : { changes: [w], found: now?.AutoReplyState === 'Enabled' ? 'the auto-reply is on with another text or audience.' : `the auto-reply is ${now?.AutoReplyState.toLowerCase() ?? 'off'}.` };
  },
  async apply(ctx, plan) {
    const w = plan.changes[0];
    await ctx.exchange.invoke('Set-MailboxAutoReplyConfiguration', {
      Identity: mailboxIdentity(ctx),
      AutoReplyState: 'Enabled',
      InternalMessage: autoReplyHtml(w.internal),
      ExternalMessage: autoReplyHtml(w.external),
      ExternalAudience: 'All',
    });
    return { detail: `Auto-reply on: "${w.external}"`, failures: [] };
  },
  async verify(ctx, plan) {
    return matches(await readAutoReply(ctx), plan.changes[0]) ? { ok: true, detail: '(verified)' } : { ok: false, detail: 'Exchange reads back a different auto-reply.' };
  },
};
