/** What a person still has to do after a case closed, and what people already did by hand. */
import type { FollowUp, OffboardingCase, Step, StepStatus } from '../cases/case';
import { escapeCardText } from './escape-text';
import { capped, readable, type SummaryLine } from './summary-line';
import { FOLLOW_UP_LABELS, STEP_LABELS, STEP_STATUS_WORDING, formatUtc } from './wording';

/** A case step or a follow-up, named as the card names it. */
interface Outcome {
  label: string;
  status: StepStatus;
  detail?: string;
  resolution?: Step['resolution'];
}

/** Open exceptions shown before the rest are counted in "and N more". */
const MAX_OPEN = 10;
const MAX_HANDLED = 6;

/** Failed, or left to a person and nobody has said they did it yet. */
export const isOpenException = (o: Pick<Outcome, 'status' | 'resolution'>): boolean =>
  o.status === 'failed' || (o.status === 'manual' && !o.resolution);

function outcomes(c: Pick<OffboardingCase, 'steps' | 'followUps'>): Outcome[] {
  return [
    ...c.steps.map((s) => ({ ...s, label: STEP_LABELS[s.action] })),
    ...(c.followUps ?? []).map((f: FollowUp) => ({ ...f, label: `Follow-up: ${FOLLOW_UP_LABELS[f.action]}` })),
  ];
}

/** Each open exception with its reason, which says what a person must do. */
export function openExceptionLines(c: OffboardingCase): SummaryLine[] {
  const lines = outcomes(c)
    .filter(isOpenException)
    .map((o) => {
      const { icon, word, color } = STEP_STATUS_WORDING[o.status];
      return { text: `${icon} ${o.label}: ${word}`, color, detail: readable(o.detail) || 'No reason was recorded: check the case on the dashboard.' };
    });
  return capped(lines, MAX_OPEN, 'see Steps below');
}

/** Exceptions a person marked as handled: who, when, and what they did. */
export function handledExceptionLines(c: OffboardingCase): SummaryLine[] {
  const lines = outcomes(c).flatMap((o): SummaryLine[] =>
    o.status === 'manual' && o.resolution
      ? [
          {
            text: `✔️ ${o.label}: handled by ${escapeCardText(o.resolution.by.displayName)} at ${formatUtc(o.resolution.at)}`,
            color: 'default',
            detail: readable(o.resolution.note),
          },
        ]
      : [],
  );
  return capped(lines, MAX_HANDLED, 'see the case on the dashboard');
}

/**
 * Failed steps of the case itself (what makes it "completed with failures" and offers Retry), and
 * everything else left to a person: unresolved manual steps, and follow-ups that failed or need one.
 */
export function exceptionCounts(steps: readonly Step[], followUps: readonly FollowUp[] = []): { failedSteps: number; forAPerson: number } {
  const failedSteps = steps.filter((s) => s.status === 'failed').length;
  const open = [...steps, ...followUps].filter(isOpenException).length;
  return { failedSteps, forAPerson: open - failedSteps };
}
