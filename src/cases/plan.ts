import type { ActionName, Step } from './case';

/** The containment order: sign-in is blocked before sessions are revoked, so none can be renewed. */
export const STEP_ORDER: readonly ActionName[] = ['blockSignIn', 'revokeSessions'];

export const STEP_TITLES: Record<ActionName, string> = {
  blockSignIn: 'Block sign-in',
  revokeSessions: 'Revoke sessions',
};

export function planSteps(): Step[] {
  return STEP_ORDER.map((action) => ({ action, status: 'pending', requestIds: [] }));
}
