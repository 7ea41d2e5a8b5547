/** Realistic cases at each point of the flow, with the Playground tenant's people. */
import type { Decision, OffboardingCase, Person, Step } from '../../src/cases/case';

export const alex: Person = { id: '00000000-0000-0000-0000-000000000020', displayName: 'Alex Wilber' };
export const megan: Person = { id: '00000000-0000-0000-0000-000000000021', displayName: 'Megan Bowen' };
export const adele: Person = { id: '00000000-0000-0000-0000-000000000022', displayName: 'Adele Vance' };
export const patti: Person = { id: '00000000-0000-0000-0000-000000000024', displayName: 'Patti Fernandez' };

export const lynne = {
  id: '00000000-0000-0000-0000-000000000025',
  displayName: 'Lynne Robbins',
  userPrincipalName: 'lynner@contoso.com',
  mail: 'lynner@contoso.com',
  manager: patti,
};

const pendingSteps: Step[] = [
  { action: 'blockSignIn', status: 'pending', requestIds: [] },
  { action: 'revokeSessions', status: 'pending', requestIds: [] },
];

export function awaitingApproval(overrides: Partial<OffboardingCase> = {}): OffboardingCase {
  return {
    _id: 'case-2025-0042',
    version: 3,
    state: 'awaiting_approval',
    target: lynne,
    requester: alex,
    request: {
      departureType: 'involuntary',
      cutoff: '2025-12-01T18:00',
      timeZone: 'Europe/Paris',
      ticket: 'INC0012345',
      notes: 'Last day agreed with HR. Keep the mailbox for the team.',
    },
    notBefore: '2025-12-01T17:00:00.000Z',
    decisions: [],
    steps: pendingSteps,
    cards: {},
    createdAt: '2025-11-25T09:12:30.000Z',
    updatedAt: '2025-11-25T09:12:30.000Z',
    ...overrides,
  };
}

export const meganApproves: Decision = { by: megan, decision: 'approved', at: '2025-11-25T10:03:00.000Z' };
export const adeleRejects: Decision = {
  by: adele,
  decision: 'rejected',
  reason: 'HR has not confirmed the date yet.',
  at: '2025-11-25T10:05:00.000Z',
};

export function approved(): OffboardingCase {
  return awaitingApproval({ state: 'approved', version: 4, decisions: [meganApproves] });
}

export function rejected(): OffboardingCase {
  return awaitingApproval({ state: 'rejected', version: 4, decisions: [adeleRejects] });
}

export function running(): OffboardingCase {
  return awaitingApproval({
    state: 'running',
    version: 6,
    decisions: [meganApproves],
    steps: [
      {
        action: 'blockSignIn',
        status: 'succeeded',
        detail: 'Sign-in blocked (accountEnabled = false).',
        requestIds: ['a1b2c3'],
        startedAt: '2025-12-01T17:00:04.000Z',
        finishedAt: '2025-12-01T17:00:05.000Z',
      },
      { action: 'revokeSessions', status: 'running', requestIds: [], startedAt: '2025-12-01T17:00:06.000Z' },
    ],
    updatedAt: '2025-12-01T17:00:06.000Z',
  });
}

export function completed(): OffboardingCase {
  return awaitingApproval({
    state: 'completed',
    version: 8,
    decisions: [meganApproves],
    steps: [
      {
        action: 'blockSignIn',
        status: 'succeeded',
        detail: 'Sign-in blocked (accountEnabled = false).',
        requestIds: ['a1b2c3'],
        startedAt: '2025-12-01T17:00:04.000Z',
        finishedAt: '2025-12-01T17:00:05.000Z',
      },
      {
        action: 'revokeSessions',
        status: 'succeeded',
        detail: 'All refresh tokens revoked.',
        requestIds: ['d4e5f6'],
        startedAt: '2025-12-01T17:00:06.000Z',
        finishedAt: '2025-12-01T17:00:07.000Z',
      },
    ],
    updatedAt: '2025-12-01T17:00:07.000Z',
  });
}

export function completedWithFailure(): OffboardingCase {
  const c = completed();
  return {
    ...c,
    state: 'completed_with_failures',
    steps: [
      c.steps[0],
      {
        ...c.steps[1],
        status: 'failed',
        detail: 'Graph answered 503 three times; retry later.',
        requestIds: ['g7h8i9', 'j0k1l2', 'm3n4o5'],
      },
    ],
  };
}
