import type { Decision, FollowUp, OffboardingCase, Step } from '../cases/case';
import { exceptionCounts, handledExceptionLines, isOpenException, openExceptionLines } from './completion-exceptions';
import { deviceLines } from './completion-devices';
import { HAND_OVER_ACTIONS, followUpLines, ownerLines, retentionLines } from './completion-hand-over';
import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';
import { plural, readable } from './summary-line';
import { APPROVAL_SLOT_LABELS, DEPARTURE_LABELS, decisionSummary, formatCutoff, formatUtc, stepLine, type CardColor } from './wording';

/**
 * A case is never called plain "Completed" while something is left: failed steps make it
 * "Completed with failures" (attention); steps and follow-ups waiting for a person make it
 * "Completed — N exceptions for a person" (warning).
 */
export function completionResult(steps: readonly Step[], followUps: readonly FollowUp[] = []): { text: string; color: CardColor } {
  const { failedSteps, forAPerson } = exceptionCounts(steps, followUps);
  const forPerson = forAPerson > 0 ? `${plural(forAPerson, 'exception')} for a person` : '';
  if (failedSteps > 0) {
    return { text: `Completed with failures — ${plural(failedSteps, 'step')} failed${forPerson ? `, ${forPerson}` : ''}`, color: 'attention' };
  }
  if (forPerson) return { text: `Completed — ${forPerson}`, color: 'warning' };
  return { text: 'Completed', color: 'good' };
}

/** The completion summary posted to the IT channel and kept as the ticket note. */
export function completionCard(c: OffboardingCase): AdaptiveCardJson {
  const result = completionResult(c.steps, c.followUps);
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
    openExceptions: openExceptionLines(c),
    handledExceptions: handledExceptionLines(c),
    owners: ownerLines(c),
    devices: deviceLines(c),
    retention: retentionLines(c),
    followUps: followUpLines(c),
    approvals: c.decisions.filter((d) => d.decision === 'approved').map((d) => ({ summary: approvalLine(d) })),
    steps: c.steps.map(stepRecord),
  });
}

/**
 * A step in the full record at the bottom. Details carry names typed on the request (delegates,
 * group names): escaped, and cut short. A hand-over step that went through has its detail in the
 * owners or retention section already; an exception keeps its detail here too, since the list of
 * open exceptions is capped.
 */
function stepRecord(s: Step): ReturnType<typeof stepLine> {
  if (s.status === 'manual' && s.resolution) {
    return { ...stepLine(s), icon: '✔️', statusWord: `Handled by ${escapeCardText(s.resolution.by.displayName)}`, color: 'default', detail: readable(s.detail) };
  }
  const shownAbove = HAND_OVER_ACTIONS.includes(s.action) && !isOpenException(s);
  return { ...stepLine(s), detail: shownAbove ? '' : readable(s.detail) };
}

/** "Approved by Megan Bowen at 2025-11-25 10:03 UTC, as security approver". */
function approvalLine(d: Decision): string {
  const summary = decisionSummary({ ...d, by: { ...d.by, displayName: escapeCardText(d.by.displayName) } });
  return d.as ? `${summary}, ${APPROVAL_SLOT_LABELS[d.as]}` : summary;
}

function extremeTime(times: (string | undefined)[], which: 'earliest' | 'latest'): string {
  const known = times.filter((t): t is string => t !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b));
  const pick = which === 'earliest' ? known[0] : known[known.length - 1];
  return pick === undefined ? '' : formatUtc(pick);
}
