import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import { mailboxDecisions } from './mailbox-decisions';
import type { OffboardingAction } from './offboarding-action';

/**
 * Puts the mailbox on litigation hold when the request asks for it (legal or HR matters), so
 * nothing in it can be purged. A mailbox on hold keeps needing an Exchange licence, which the
 * licence step respects. Exchange: Set-Mailbox -LitigationHoldEnabled $true.
 */
export const setLitigationHold: OffboardingAction<'LitigationHoldEnabled'> = {
  name: 'setLitigationHold',
  async plan(ctx) {
    if (!mailboxDecisions(ctx.request).litigationHold) return notChosen('The request does not ask for litigation hold.');
    const m = await readMailbox(ctx);
    if (!m) return noMailbox();
    return m.LitigationHoldEnabled ? { changes: [], found: 'the mailbox is already on litigation hold.' } : { changes: ['LitigationHoldEnabled'], found: 'no litigation hold.' };
  },
  async apply(ctx) {
    await ctx.exchange.invoke('Set-Mailbox', { Identity: mailboxIdentity(ctx), LitigationHoldEnabled: true });
    return { detail: 'Litigation hold enabled.', failures: [] };
  },
  async verify(ctx) {
    return (await readMailbox(ctx))?.LitigationHoldEnabled
      ? { ok: true, detail: '(verified)' }
      : { ok: false, detail: 'Exchange reads back no litigation hold.' };
  },
};
