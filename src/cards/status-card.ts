import type { OffboardingCase } from '../cases/case';
import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';
import { STATE_COLORS, STATE_LABELS, caseRisks, formatUtc, previewLine, stepLine } from './wording';

/** The progress card in the IT channel, updated in place as steps finish. */
export function statusCard(c: OffboardingCase): AdaptiveCardJson {
  return renderCard('status', {
    caseId: c._id,
    targetName: escapeCardText(c.target.displayName),
    targetUpn: escapeCardText(c.target.userPrincipalName),
    stateLabel: STATE_LABELS[c.state],
    stateColor: STATE_COLORS[c.state],
    // Until a step runs, it shows what the plan preview found for it in the tenant.
    steps: c.steps.map((s) => {
      const line = stepLine(s);
      const p = c.planPreview?.find((item) => item.action === s.action);
      return s.status === 'pending' && p && !line.detail ? { ...line, detail: escapeCardText(`Plan: ${previewLine(p)}`) } : line;
    }),
    risks: caseRisks(c).map((text) => ({ text: escapeCardText(text) })),
    updatedAt: formatUtc(c.updatedAt),
  });
}
