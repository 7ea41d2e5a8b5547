import type { ActionContext, OffboardingAction, PlannedChange } from '../../actions/offboarding-action';
import { M365Error } from '../../m365/m365-error';
import { guidSegment } from '../../m365/odata';

interface AccountState {
  accountEnabled: boolean;
  onPremisesSyncEnabled?: boolean | null;
}

/** The account, or undefined once it is gone from the directory (deleted). */
async function readAccount({ graph, target }: ActionContext): Promise<AccountState | undefined> {
  try {
    return (await graph.get<AccountState>(`/users/${guidSegment(target.id)}?$select=accountEnabled,onPremisesSyncEnabled`)).body;
  } catch (err) {
    if (err instanceof M365Error && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * Follow-up after the retention period, only when policy asks for it (DELETE_AFTER_DAYS): deletes
 * the account. Entra keeps it in deleted items for 30 days, restorable. An account enabled again
 * since the offboarding (a rehire, a mistake) is left alone: someone decided it is in use.
 * Graph: DELETE /users/{id}, permission User.ReadWrite.All.
 */
export const deleteAccount: Omit<OffboardingAction<'account'>, 'name'> = {
  async plan(ctx): Promise<PlannedChange<'account'>> {
    const account = await readAccount(ctx);
    if (!account) return { changes: [], found: 'the account is already deleted.' };
    if (account.onPremisesSyncEnabled) {
      return { changes: [], found: 'The account is synced from on-premises Active Directory.', stop: { status: 'manual', reason: 'The account is synced from on-premises Active Directory: delete it there and let Entra Connect sync.' } };
    }
    if (account.accountEnabled) {
      return { changes: [], found: 'The account was enabled again.', stop: { status: 'skipped', reason: 'The account was enabled again since the offboarding, so it was not deleted.' } };
    }
    return { changes: ['account'], found: 'the account is disabled and past its retention period.' };
  },
  async apply({ graph, target }) {
    await graph.send('DELETE', `/users/${guidSegment(target.id)}`);
    return { detail: 'Deleted the account after its retention period; it stays restorable from Entra deleted items for 30 days.', failures: [] };
  },
  async verify(ctx) {
    return (await readAccount(ctx)) ? { ok: false, detail: 'Graph accepted the deletion but the account is still there.' } : { ok: true, detail: '(verified: the account is gone from the directory)' };
  },
};
