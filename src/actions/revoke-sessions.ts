import type { ActionContext, ActionOutcome, OffboardingAction } from './offboarding-action';
import { RequestIds } from './offboarding-action';
import { guidSegment } from '../m365/odata';

/** Allowed difference between our clock and Entra ID's when checking the revocation took hold. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Revokes refresh tokens and session cookies (revokeSignInSessions); permission
 * User.RevokeSessions.All. Runs after sign-in is blocked, so no new session can replace them.
 * Access tokens already issued stay valid until they expire (up to about an hour).
 */
export const revokeSessions: OffboardingAction = {
  name: 'revokeSessions',
  async run({ graph, target }: ActionContext): Promise<ActionOutcome> {
    const calls = new RequestIds();
    const path = `/users/${guidSegment(target.id)}`;
    const startedAt = Date.now();
    const res = calls.keep(await graph.send<{ value?: boolean }>('POST', `${path}/revokeSignInSessions`));
    if (res.body?.value !== true) {
      return { status: 'failed', detail: 'Graph did not confirm the revocation (value was not true).', requestIds: calls.ids };
    }
    const after = calls.keep(await graph.get<{ signInSessionsValidFromDateTime?: string }>(`${path}?$select=signInSessionsValidFromDateTime`)).body;
    const validFrom = after.signInSessionsValidFromDateTime ? Date.parse(after.signInSessionsValidFromDateTime) : NaN;
    if (Number.isNaN(validFrom) || validFrom < startedAt - CLOCK_SKEW_MS) {
      return { status: 'failed', detail: 'Sessions were not revoked: signInSessionsValidFromDateTime did not move.', requestIds: calls.ids };
    }
    return { status: 'succeeded', detail: `Sessions revoked; tokens issued before ${after.signInSessionsValidFromDateTime} are refused.`, requestIds: calls.ids };
  },
};
