import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import { mailboxDecisions } from './mailbox-decisions';
import type { OffboardingAction } from './offboarding-action';

type Change = 'Type Shared' | 'HiddenFromAddressListsEnabled';

/**
 * Converts the mailbox to a shared mailbox, which keeps the mail without a licence (under 50 GB,
 * no archive or hold), and hides it from the address lists so nobody writes to the leaver by
 * habit. The licence step removes the mailbox's licence only once this reads back as shared.
 * Exchange: Set-Mailbox -Type Shared -HiddenFromAddressListsEnabled $true.
 */
export const convertToShared: OffboardingAction<Change> = {
  name: 'convertToShared',
  async plan(ctx) {
    if (!mailboxDecisions(ctx.request).convertToShared) return notChosen('The request keeps the mailbox as a user mailbox.');
    const m = await readMailbox(ctx);
    if (!m) return noMailbox();
    const changes: Change[] = [];
    if (m.RecipientTypeDetails !== 'SharedMailbox') changes.push('Type Shared');
    if (!m.HiddenFromAddressListsEnabled) changes.push('HiddenFromAddressListsEnabled');
    return { changes, found: changes.length === 0 ? 'the mailbox is already shared and hidden.' : `a ${m.RecipientTypeDetails}${m.HiddenFromAddressListsEnabled ? ', hidden' : ', shown in address lists'}.` };
  },
  async apply(ctx) {
    await ctx.exchange.invoke('Set-Mailbox', { Identity: mailboxIdentity(ctx), Type: 'Shared', HiddenFromAddressListsEnabled: true });
    return { detail: 'Converted to a shared mailbox, hidden from address lists.', failures: [] };
  },
  async verify(ctx) {
    const m = await readMailbox(ctx);
    return m?.RecipientTypeDetails === 'SharedMailbox' && m.HiddenFromAddressListsEnabled
      ? { ok: true, detail: '(verified: SharedMailbox, hidden)' }
      : { ok: false, detail: `Exchange reads back ${m?.RecipientTypeDetails ?? 'no mailbox'}, hidden: ${m?.HiddenFromAddressListsEnabled ?? false}.` };
  },
};
