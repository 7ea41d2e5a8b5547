import type { ActionContext, OffboardingAction } from './offboarding-action';
import { guidSegment } from '../m365/odata';

interface SignInState {
  accountEnabled: boolean;
  onPremisesSyncEnabled?: boolean | null;
}

const readSignIn = async ({ graph, target }: ActionContext) =>
  (await graph.get<SignInState>(`/users/${guidSegment(target.id)}?$select=accountEnabled,onPremisesSyncEnabled`)).body;

/** Blocks sign-in (accountEnabled=false); Graph permission User.EnableDisableAccount.All. */
export const blockSignIn: OffboardingAction<'accountEnabled'> = {
  name: 'blockSignIn',
  async plan(ctx) {
    const before = await readSignIn(ctx);
    if (before.onPremisesSyncEnabled) {
      return {
        changes: [],
        found: 'The account is synced from on-premises Active Directory.',
        stop: {
          status: 'manual',
          reason: 'The account is synced from on-premises Active Directory: disable it there (Disable-ADAccount) and let Entra Connect sync; cloud changes would be overwritten.',
        },
      };
    }
    return before.accountEnabled === false
      ? { changes: [], found: 'sign-in was already blocked.' }
      : { changes: ['accountEnabled'], found: 'sign-in is enabled.' };
  },
  async apply({ graph, target }) {
    await graph.send('PATCH', `/users/${guidSegment(target.id)}`, { accountEnabled: false });
    return { detail: 'Sign-in blocked.', failures: [] };
  },
  async verify(ctx) {
    const after = await readSignIn(ctx);
    return after.accountEnabled === false
      ? { ok: true, detail: '(verified: accountEnabled is false)' }
      : { ok: false, detail: 'Graph accepted the change but the account still reads as enabled.' };
  },
};
