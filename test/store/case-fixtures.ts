import { randomUUID } from 'node:crypto';
import type { OffboardingCase, Target } from '../../src/cases/case';

export function newTarget(displayName = 'Adele Vance'): Target {
  const id = randomUUID();
  return {
    id,
    displayName,
    userPrincipalName: `${displayName.replace(/\s/g, '.').toLowerCase()}.${id.slice(0, 8)}@contoso.example`,
  };
}

/** A freshly requested case, awaiting approval, with every optional field the model has filled in. */
export function newCase(overrides: Partial<OffboardingCase> = {}): OffboardingCase {
  const createdAt = overrides.createdAt ?? new Date().toISOString();
  const target = newTarget();
  return {
    _id: randomUUID(),
    version: 0,
    state: 'awaiting_approval',
    target: {
      ...target,
      mail: target.userPrincipalName,
      manager: { id: randomUUID(), displayName: 'Megan Bowen' },
    },
    requester: { id: randomUUID(), displayName: 'Lee Gu' },
    request: {
      departureType: 'involuntary',
      cutoff: 'now',
      timeZone: 'Europe/Berlin',
      ticket: 'HR-4711',
      notes: 'Last day, laptop returned.',
    },
    notBefore: createdAt,
    decisions: [],
    steps: [
      { action: 'blockSignIn', status: 'pending', requestIds: [] },
      { action: 'revokeSessions', status: 'pending', requestIds: [] },
    ],
    cards: { securityApproval: { conversationId: '19:security@thread.tacv2', activityId: '1700000000000' } },
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** ISO timestamps `minutes` apart, oldest first, so list order does not depend on the clock. */
export function minutesApart(count: number, minutes = 1): string[] {
  const start = Date.parse('2025-03-01T09:00:00.000Z');
  return Array.from({ length: count }, (_, i) => new Date(start + i * minutes * 60_000).toISOString());
}
