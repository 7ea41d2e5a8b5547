import { guidSegment } from '../m365/odata';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { randomPassword } from './random-password';

interface PasswordState {
  onPremisesSyncEnabled?: boolean | null;
  lastPasswordChangeDateTime?: string;
}

const readPasswordState = async ({ graph, target }: ActionContext) =>
  (await graph.get<PasswordState>(`/users/${guidSegment(target.id)}?$select=onPremisesSyncEnabled,lastPasswordChangeDateTime`)).body;

/** Graph timestamps have whole seconds; `since` has milliseconds. */
const changedSince = (at: string | undefined, since: string) => at !== undefined && Date.parse(at) >= Math.floor(Date.parse(since) / 1000) * 1000;

/**
 * Resets the password to a random value that is never stored, logged or shown, so a password the
 * user (or an attacker) knows stops working. Permission User-PasswordProfile.ReadWrite.All plus a
 * role that may reset the target (User Administrator; Graph refuses for administrators).
 * `generate` is replaceable so a test can check the value leaks nowhere.
 */
export function resetPasswordWith(generate: () => string): OffboardingAction<'password'> {
  return {
    name: 'resetPassword',
    async plan(ctx) {
      const state = await readPasswordState(ctx);
      if (state.onPremisesSyncEnabled) {
        return {
          changes: [],
          found: 'the account is synced from on-premises Active Directory.',
          stop: { status: 'manual', reason: 'The account is synced from on-premises Active Directory: reset the password there (Set-ADAccountPassword) and let Entra Connect sync.' },
        };
      }
      return changedSince(state.lastPasswordChangeDateTime, ctx.since)
        ? { changes: [], found: `the password was already reset by this case at ${state.lastPasswordChangeDateTime}.` }
        : { changes: ['password'], found: `the password was last changed at ${state.lastPasswordChangeDateTime ?? 'an unknown time'}.` };
    },
    async apply({ graph, target }) {
      await graph.send('PATCH', `/users/${guidSegment(target.id)}`, {
        passwordProfile: { password: generate(), forceChangePasswordNextSignIn: true },
      });
      return { detail: 'Password reset to a random value that was not kept anywhere.', failures: [] };
    },
    async verify(ctx) {
      const state = await readPasswordState(ctx);
      return changedSince(state.lastPasswordChangeDateTime, ctx.since)
        ? { ok: true, detail: `(verified: last changed ${state.lastPasswordChangeDateTime})` }
        : { ok: false, detail: 'Graph accepted the reset but lastPasswordChangeDateTime did not move.' };
    },
  };
}

export const resetPassword = resetPasswordWith(randomPassword);
