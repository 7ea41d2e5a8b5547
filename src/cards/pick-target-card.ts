import type { Target } from '../cases/case';
import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';

/** One directory match for a name the requester typed. */
export interface TargetSummary extends Pick<Target, 'id' | 'displayName' | 'userPrincipalName' | 'mail'> {
  jobTitle?: string;
  department?: string;
}

/** Several people match the typed name: one button per person, carrying only their id. */
export function pickTargetCard(query: string, matches: readonly TargetSummary[]): AdaptiveCardJson {
  return renderCard('pick-target', {
    query: escapeCardText(query),
    matches: matches.map((m) => ({
      targetId: m.id,
      displayName: escapeCardText(m.displayName),
      address: escapeCardText(m.mail || m.userPrincipalName),
      role: escapeCardText([m.jobTitle, m.department].filter(Boolean).join(', ')),
    })),
  });
}
