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

const at = (minute: number) => `2025-12-01T17:${String(minute).padStart(2, '0')}:00.000Z`;
const done = (action: Step['action'], minute: number, detail: string): Step => ({
  action,
  status: 'succeeded',
  detail,
  requestIds: [`r-${action}`],
  startedAt: at(minute),
  finishedAt: at(minute),
});

/**
 * The reviewer's demo: closed as `completed`, the mailbox and files handed over as the request chose,
 * a dynamic group left to a person, an on-premises account a person already disabled, follow-ups set.
 */
export function completedWithExceptions(): OffboardingCase {
  return awaitingApproval({
    state: 'completed',
    version: 12,
    request: {
      departureType: 'voluntary',
      cutoff: '2025-12-01T18:00',
      timeZone: 'Europe/Paris',
      ticket: 'INC0012345',
      mailbox: { convertToShared: true, delegateUntil: '2026-02-28', autoReply: true, litigationHold: true },
      handOver: { filesTo: 'meganb@contoso.com' },
      licences: 'remove-after-conversion',
    },
    decisions: [{ ...meganApproves, as: 'security' }],
    steps: [
      {
        action: 'blockSignIn',
        status: 'manual',
        detail: 'The account is synced from on-premises Active Directory: disable it there and let Entra Connect sync.',
        requestIds: ['a1'],
        startedAt: at(0),
        finishedAt: at(0),
        resolution: { by: adele, at: '2025-12-01T17:40:00.000Z', note: 'Disabled in AD, synced at 18:38 Paris time.' },
      },
      done('convertToShared', 1, 'Converted to a shared mailbox, hidden from address lists. (verified: SharedMailbox, hidden)'),
      done('grantMailboxAccess', 2, 'Gave pattif@contoso.com FullAccess to the mailbox. (verified)'),
      done('setLitigationHold', 3, 'Litigation hold enabled. (verified)'),
      done('grantOneDriveAccess', 4, 'Gave Megan Bowen edit access to the OneDrive. (verified)'),
      done('transferGroupOwnership', 5, "Made Patti Fernandez an owner of 'Retail Sales', 'Mark 8 Project'. (verified)"),
      done('moveDirectReports', 6, 'Isaiah Langer now report to Patti Fernandez. (verified)'),
      {
        action: 'removeGroupMemberships',
        status: 'manual',
        detail:
          "Removed from 3 of 3 group(s): Sales, U.S. Sales, Digital Initiative Public Relations. (verified) For a person to do: 'All Paris staff' is a dynamic group (rule: user.city -eq \"Paris\"): change the user's attributes or the rule; membership ends when the account is deleted.",
        requestIds: ['g1'],
        startedAt: at(7),
        finishedAt: at(7),
      },
      done('removeLicences', 8, 'Removed 1 licence(s). (verified)'),
    ],
    followUps: [
      { action: 'reviewReminder', status: 'pending', notBefore: '2025-12-31T17:08:00.000Z', requestIds: [] },
      { action: 'removeDelegateAccess', status: 'pending', notBefore: '2026-02-28T23:00:00.000Z', requestIds: [] },
      { action: 'deleteAccount', status: 'pending', notBefore: '2026-03-02T17:08:00.000Z', requestIds: [] },
    ],
    updatedAt: at(8),
  });
}
