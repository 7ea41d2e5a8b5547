import type { OffboardingCase, Step } from '../cases/case';
import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';
import { DEPARTURE_LABELS, decisionSummary, formatCutoff, formatUtc, stepLine, type CardColor } from './wording';

/** A case is never called "Completed" while any of its steps failed. */
export function completionResult(steps: readonly Step[]): { text: string; color: CardColor } {
  const failed = steps.filter((s) => s.status === 'failed').length;
  if (failed === 0) return { text: 'Completed', color: 'good' };
  return { text: `Completed with failures — ${failed} step(s) need attention`, color: 'attention' };
}

/** The completion summary posted to the IT channel and kept as the ticket note. */
export function completionCard(c: OffboardingCase): AdaptiveCardJson {
  const result = completionResult(c.steps);
  return renderCard('completion', {
    caseId: c._id,
    targetName: escapeCardText(c.target.displayName),
    targetUpn: escapeCardText(c.target.userPrincipalName),
    resultText: result.text,
    resultColor: result.color,
    departureType: DEPARTURE_LABELS[c.request.departureType],
    requesterName: escapeCardText(c.requester.displayName),
    ticket: escapeCardText(c.request.ticket ?? ''),
    requestedAt: formatUtc(c.createdAt),
    cutoff: formatCutoff(c.request, c.notBefore),
    startedAt: extremeTime(c.steps.map((s) => s.startedAt), 'earliest'),
    finishedAt: extremeTime(c.steps.map((s) => s.finishedAt), 'latest'),
    steps: c.steps.map(stepLine),
    approvals: c.decisions
      .filter((d) => d.decision === 'approved')
      .map((d) => ({ summary: decisionSummary({ ...d, by: { ...d.by, displayName: escapeCardText(d.by.displayName) } }) })),
  });
}

function extremeTime(times: (string | undefined)[], which: 'earliest' | 'latest'): string {
  const known = times.filter((t): t is string => t !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b));
  const pick = which === 'earliest' ? known[0] : known[known.length - 1];
  return pick === undefined ? '' : formatUtc(pick);
}
