import type { FollowUp, OffboardingCase, PostedCard } from './case';

/**
 * How the domain tells people about a case. Implemented at the Teams edge (src/bot), so that
 * nothing outside src/bot depends on botbuilder.
 */
export interface CaseNotifier {
  /** Posts the approval card to the Security channel and returns where it landed. */
  requestSecurityApproval(c: OffboardingCase): Promise<PostedCard>;
  /** Updates every posted copy of the case's cards in place after a change. */
  caseChanged(c: OffboardingCase): Promise<void>;
  /**
   * A step of a running case finished: updates the cards that show the steps (the requester's
   * status, IT's progress). The approval cards show only the state, which a step does not change.
   */
  stepsChanged(c: OffboardingCase): Promise<void>;
  /**
   * Posts the completion summary to the IT channel, or names the message that becomes it; the
   * caseChanged that follows every close (and every later change) keeps that message current.
   */
  caseFinished(c: OffboardingCase): Promise<PostedCard>;
  /**
   * Posts the approval card to the target's manager in their personal chat with the bot. Throws a
   * DeliveryError saying why when the manager cannot be reached (they never talked to the bot).
   * Optional so that notifiers which never route approvals (tests of the engine) need not have it.
   */
  requestManagerApproval?(c: OffboardingCase): Promise<PostedCard>;
  /** Reminds the approvers of a stalled case in the Security channel and tells the escalation group. */
  remindApprovers?(c: OffboardingCase, escalation: { groupId?: string }): Promise<void>;
  /** Asks IT, in its channel, to review a case some days after it closed (a scheduled follow-up). */
  remindReview?(c: OffboardingCase): Promise<void>;
  /** Tells IT, in its channel, that a follow-up of a closed case failed for good and waits for a retry. */
  followUpFailed?(c: OffboardingCase, followUp: FollowUp): Promise<void>;
  /** Tells the security team, in its channel, what the person downloaded before leaving (a follow-up's finding, in words). */
  reportDownloads?(c: OffboardingCase, report: string): Promise<void>;
  /** Tells the security team, in its channel, of sign-ins as the person after they were shut out (a follow-up's finding). */
  reportSignIns?(c: OffboardingCase, report: string, style: SignInNoticeStyle): Promise<void>;
}

/** Attempts that were all refused are a warning; one that went through needs attention. */
export type SignInNoticeStyle = 'warning' | 'attention';

/** The message says what a person must do to fix it. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}
