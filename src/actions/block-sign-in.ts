import type { ActionContext, ActionOutcome, OffboardingAction } from './offboarding-action';
import { RequestIds } from './offboarding-action';
import { guidSegment } from '../m365/odata';

interface SignInState {
  accountEnabled: boolean;
  onPremisesSyncEnabled?: boolean | null;
}

/** Blocks sign-in (accountEnabled=false); Graph permission User.EnableDisableAccount.All. */
export const blockSignIn: OffboardingAction = {
  name: 'blockSignIn',
  async run({ graph, target }: ActionContext): Promise<ActionOutcome> {
    const calls = new RequestIds();
    const path = `/users/${guidSegment(target.id)}`;
    const read = async () => calls.keep(await graph.get<SignInState>(`${path}?$select=accountEnabled,onPremisesSyncEnabled`)).body;

    const before = await read();
    if (before.onPremisesSyncEnabled) {
      return {
        status: 'manual',
        detail: 'The account is synced from on-premises Active Directory: disable it there (Disable-ADAccount) and let Entra Connect sync; cloud changes would be overwritten.',
        requestIds: calls.ids,
      };
    }
    if (before.accountEnabled === false) {
      return { status: 'succeeded', detail: 'Sign-in was already blocked.', requestIds: calls.ids };
    }
    calls.keep(await graph.send('PATCH', path, { accountEnabled: false }));
    const after = await read();
    return after.accountEnabled === false
      ? { status: 'succeeded', detail: 'Sign-in blocked (verified: accountEnabled is false).', requestIds: calls.ids }
      : { status: 'failed', detail: 'Graph accepted the change but the account still reads as enabled.', requestIds: calls.ids };
  },
};
