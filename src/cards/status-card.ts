import type { OffboardingCase } from '../cases/case';
import { renderCard, type AdaptiveCardJson } from './render';
import { STATE_COLORS, STATE_LABELS, formatUtc, stepLine } from './wording';

/** The progress card in the IT channel, updated in place as steps finish. */
export function statusCard(c: OffboardingCase): AdaptiveCardJson {
  return renderCard('status', {
    caseId: c._id,
    targetName: c.target.displayName,
    targetUpn: c.target.userPrincipalName,
    stateLabel: STATE_LABELS[c.state],
    stateColor: STATE_COLORS[c.state],
    steps: c.steps.map(stepLine),
    updatedAt: formatUtc(c.updatedAt),
  });
}
