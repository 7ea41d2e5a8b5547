import type { ActionName } from '../cases/case';
import { blockSignIn } from './block-sign-in';
import type { OffboardingAction } from './offboarding-action';
import { revokeSessions } from './revoke-sessions';

export const ACTIONS: Record<ActionName, OffboardingAction> = { blockSignIn, revokeSessions };
