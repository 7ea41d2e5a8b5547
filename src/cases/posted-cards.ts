import type { OffboardingCase, PostedCard } from './case';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

/** Keeps where a card about the case was posted, so it can be updated in place as the case moves. */
export async function rememberCard(
  store: CaseStore,
  log: Logger,
  caseId: string,
  which: keyof OffboardingCase['cards'],
  posted: PostedCard,
): Promise<void> {
  // Other writers (the engine, approvers) may bump the version in between: re-read and try again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await store.getCase(caseId);
    if (!c) return;
    const updated = await store.updateCase(caseId, { version: c.version, states: [c.state] }, { cards: { ...c.cards, [which]: posted } });
    if (updated) return;
  }
  log.warn('card.not_remembered', { caseId, which });
}
