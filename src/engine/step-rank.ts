import type { ActionName, OffboardingCase } from '../cases/case';
import { CONTAINMENT_STEPS } from '../cases/plan';
import type { Rank } from '../concurrency-limit';

/**
 * The order in which an instance's cases take a free slot for their next step. Shutting people out
 * of a high-risk exit comes first, then of an involuntary one: when a layoff is approved at once,
 * every such account is contained (evidence, roles, sign-in, sessions, password, methods,
 * forwarding, devices) before anyone's mailbox or files are handed over. Everything else (a
 * voluntary exit's steps, everyone's hand-over and clean-up, closing) shares the next tier, and
 * follow-ups come last. Within a tier the case that came first keeps going first, so a batch of
 * voluntary departures runs each case straight through, its hand-over overlapping the other
 * cases' waits for the sign-in logs, which bind a bulk run (BENCHMARKS.md).
 */
export function stepRank(c: Pick<OffboardingCase, 'request'>, work: ActionName | 'close' | 'followUps', arrival: number): Rank {
  if (work === 'followUps') return [TIER.followUps, arrival];
  if (work === 'close' || !CONTAINMENT_STEPS.includes(work)) return [TIER.rest, arrival];
  const type = c.request.departureType;
  return [type === 'high-risk' ? TIER.containHighRisk : type === 'involuntary' ? TIER.containInvoluntary : TIER.rest, arrival];
}

const TIER = { containHighRisk: 0, containInvoluntary: 1, rest: 2, followUps: 3 } as const;
