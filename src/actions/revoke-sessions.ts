import type { ActionContext, OffboardingAction } from './offboarding-action';
import { guidSegment } from '../m365/odata';

/** Allowed difference between our clock and Entra ID's when checking the revocation took hold. */
const CLOCK_SKEW_MS = 5 * 60_000;

interface SessionState {
  signInSessionsValidFromDateTime?: string;
  accountEnabled?: boolean;
}

const readSessionState = async ({ graph, target }: ActionContext): Promise<SessionState> =>
  (await graph.get<SessionState>(`/users/${guidSegment(target.id)}?$select=signInSessionsValidFromDateTime,accountEnabled`)).body;

const readValidFrom = async (ctx: ActionContext) => (await readSessionState(ctx)).signInSessionsValidFromDateTime;

/**
 * While the account can still sign in (synced from on-premises AD, where a person disables it),
 * a revocation only ends today's sessions: the user can open new ones until it is disabled.
 */
const STILL_ENABLED =
  'The account can still sign in (its sign-in is not blocked yet: synced from on-premises AD, or the block did not succeed), so new sessions may be opened until then: once it is disabled, revoke the sessions again (Entra admin center: the user, Revoke sessions; or Revoke-MgUserSignInSession).';

/** Graph timestamps have whole seconds; `since` has milliseconds. */
const atOrAfter = (graphTime: string | undefined, since: string) =>
  graphTime !== undefined && Date.parse(graphTime) >= Math.floor(Date.parse(since) / 1000) * 1000;

/**
 * Revokes refresh tokens and session cookies (revokeSignInSessions); permission
 * User.RevokeSessions.All. Runs after sign-in is blocked, so no new session can replace them.
 * Access tokens already issued stay valid until they expire (up to about an hour).
 */
export const revokeSessions: OffboardingAction<'sessions'> = {
  name: 'revokeSessions',
  async plan(ctx) {
    const { signInSessionsValidFromDateTime: validFrom, accountEnabled } = await readSessionState(ctx);
    const manual = accountEnabled === true ? [STILL_ENABLED] : [];
    return atOrAfter(validFrom, ctx.since)
      ? { changes: [], manual, found: `sessions were already revoked by this case at ${validFrom}.` }
      : { changes: ['sessions'], manual, found: `sessions are valid since ${validFrom ?? 'account creation'}.` };
  },
  async apply({ graph, target }) {
    const res = await graph.send<{ value?: boolean }>('POST', `/users/${guidSegment(target.id)}/revokeSignInSessions`);
    return res.body?.value === true
      ? { detail: 'Sessions revoked;', failures: [] }
      : { detail: '', failures: ['Graph did not confirm the revocation (value was not true).'] };
  },
  async verify(ctx) {
    const validFrom = await readValidFrom(ctx);
    const at = validFrom ? Date.parse(validFrom) : NaN;
    if (Number.isNaN(at) || at < Date.parse(ctx.since) - CLOCK_SKEW_MS) {
      return { ok: false, detail: 'Sessions were not revoked: signInSessionsValidFromDateTime did not move.' };
    }
    return { ok: true, detail: `tokens issued before ${validFrom} are refused (verified).` };
  },
};
