import type { OffboardingCase, PostedCard } from './case';

/**
 * How the domain tells people about a case. Implemented at the Teams edge (src/bot), so that
 * nothing outside src/bot depends on botbuilder.
 */
export interface CaseNotifier {
  /** Posts the approval card to the Security channel and returns where it landed. */
  requestSecurityApproval(c: OffboardingCase): Promise<PostedCard>;
  /** Updates every posted copy of the case's cards in place after a change. */
  caseChanged(c: OffboardingCase): Promise<void>;
  /** Posts the completion summary to the IT channel. */
  caseFinished(c: OffboardingCase): Promise<PostedCard>;
}

/** The message says what a person must do to fix it. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}
