import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import { mailboxDecisions } from './mailbox-decisions';
import type { OffboardingAction } from './offboarding-action';

type Change = 'Type Shared' | 'HiddenFromAddressListsEnabled';

/** For a mailbox synced from on-premises AD, what a person does there (Exchange Online refuses it). */
const ON_PREMISES_HIDING =
  'The account is synced from on-premises Active Directory, where its address-list visibility is kept: hide it there (Set-RemoteMailbox -HiddenFromAddressListsEnabled $true, or msExchHideFromAddressLists) and set the remote mailbox to shared (Set-RemoteMailbox -Type Shared), then let Entra Connect sync.';

/**
 * Converts the mailbox to a shared mailbox, which keeps the mail without a licence (under 50 GB,
 * no archive or hold), and hides it from the address lists so nobody writes to the leaver by
 * habit. The licence step removes the mailbox's licence only once this reads back as shared.
 * Exchange: Set-Mailbox -Type Shared -HiddenFromAddressListsEnabled $true; for a mailbox synced
 * from on-premises AD only -Type Shared, and the hiding is left to a person on-premises.
 */
export const convertToShared: OffboardingAction<Change> = {
  name: 'convertToShared',
  async plan(ctx) {
    if (!mailboxDecisions(ctx.request).convertToShared) return notChosen('The request keeps the mailbox as a user mailbox.');
    const m = await readMailbox(ctx);
    if (!m) return noMailbox();
    const changes: Change[] = [];
    if (m.RecipientTypeDetails !== 'SharedMailbox') changes.push('Type Shared');
    const hideOnPremises = !m.HiddenFromAddressListsEnabled && m.IsDirSynced === true;
    if (!m.HiddenFromAddressListsEnabled && !hideOnPremises) changes.push('HiddenFromAddressListsEnabled');
    const found = changes.length === 0 && !hideOnPremises ? 'the mailbox is already shared and hidden.' : `a ${m.RecipientTypeDetails}${m.HiddenFromAddressListsEnabled ? ', hidden' : ', shown in address lists'}.`;
    return { changes, found, manual: hideOnPremises ? [ON_PREMISES_HIDING] : [] };
  },
  async apply(ctx, plan) {
    const hide = plan.changes.includes('HiddenFromAddressListsEnabled');
    await ctx.exchange.invoke('Set-Mailbox', { Identity: mailboxIdentity(ctx), Type: 'Shared', ...(hide ? { HiddenFromAddressListsEnabled: true } : {}) });
    return { detail: hide ? 'Converted to a shared mailbox, hidden from address lists.' : 'Converted to a shared mailbox.', failures: [] };
  },
  async verify(ctx, plan) {
    const m = await readMailbox(ctx);
    const hidden = !plan.changes.includes('HiddenFromAddressListsEnabled') || m?.HiddenFromAddressListsEnabled === true;
    return m?.RecipientTypeDetails === 'SharedMailbox' && hidden
      ? { ok: true, detail: `(verified: SharedMailbox${m.HiddenFromAddressListsEnabled ? ', hidden' : ''})` }
      : { ok: false, detail: `Exchange reads back ${m?.RecipientTypeDetails ?? 'no mailbox'}, hidden: ${m?.HiddenFromAddressListsEnabled ?? false}.` };
  },
};
