import type { OffboardingCase } from '../cases/case';
import { completionCard, statusCard, type AdaptiveCardJson } from '../cards';

const CANCELLABLE = ['awaiting_approval', 'approved'];

/**
 * The IT channel's card for a case: progress while steps run, then the completion summary, in
 * the same message. A case with failed steps offers Retry, which reruns only those steps.
 */
export function itProgressCard(c: OffboardingCase): AdaptiveCardJson {
  const finished = c.state === 'completed' || c.state === 'completed_with_failures';
  const card = finished ? completionCard(c) : statusCard(c);
  if (c.state !== 'completed_with_failures') return card;
  const retry = { type: 'Action.Execute', title: 'Retry failed steps', verb: 'retryFailedSteps', data: { caseId: c._id } };
  return { ...card, actions: [...(card.actions ?? []), retry] };
}

/** The requester may cancel until execution starts. */
export function withCancel(card: AdaptiveCardJson, c: OffboardingCase): AdaptiveCardJson {
  if (!CANCELLABLE.includes(c.state)) return card;
  const cancel = { type: 'Action.Execute', title: 'Cancel this offboarding', verb: 'cancelCase', data: { caseId: c._id }, style: 'destructive' };
  return { ...card, actions: [...(card.actions ?? []), cancel] };
}
