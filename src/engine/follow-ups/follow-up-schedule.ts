import type { CaseState, FollowUp, FollowUpName, OffboardingCase } from '../../cases/case';
import { zonedToUtc } from '../../cases/departure-form';
import { mailboxDecisions } from '../../actions/mailbox-decisions';

export interface FollowUpSettings {
  /** Days after a case closes at which IT is reminded to review it. */
  reviewAfterDays: number;
  /** Days after a completed case at which the account is deleted; absent means never (the default). */
  deleteAfterDays?: number;
}

export const DEFAULT_FOLLOW_UPS: FollowUpSettings = { reviewAfterDays: 30 };

const DAY_MS = 24 * 3_600_000;

/**
 * The instant the delegate's FullAccess ends: the start of the day after `delegateUntil` (their
 * last day) in the request's time zone. Only when this case gave the access (its step succeeded).
 */
export function delegateExpiry(c: OffboardingCase): Date | undefined {
  const { delegate, delegateUntil } = mailboxDecisions(c.request);
  const granted = c.steps.some((s) => s.action === 'grantMailboxAccess' && s.status === 'succeeded');
  if (!granted || delegate === null || !delegateUntil) return undefined;
  const [y, m, d] = delegateUntil.split('-').map(Number);
  const dayAfter = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return zonedToUtc(dayAfter, '00:00', c.request.timeZone);
}

/**
 * The case's follow-ups once it closes as `closedAs` at `closedAt`: those already scheduled stay as
 * they are (a case closed again after a retry keeps its dates), missing ones are added. The account
 * is deleted only from a case that completed cleanly, and never before the delegate's access ends,
 * since deleting the user deletes its shared mailbox too.
 */
export function scheduleFollowUps(c: OffboardingCase, closedAs: CaseState, closedAt: Date, settings: FollowUpSettings): FollowUp[] {
  const wanted: FollowUp[] = [];
  const expiry = delegateExpiry(c);
  if (expiry) wanted.push(pending('removeDelegateAccess', expiry));
  wanted.push(pending('reviewReminder', new Date(closedAt.getTime() + settings.reviewAfterDays * DAY_MS)));
  if (settings.deleteAfterDays !== undefined && closedAs === 'completed') {
    const retained = closedAt.getTime() + settings.deleteAfterDays * DAY_MS;
    wanted.push(pending('deleteAccount', new Date(Math.max(retained, expiry?.getTime() ?? 0))));
  }
  const existing = c.followUps ?? [];
  return [...existing, ...wanted.filter((w) => !existing.some((e) => e.action === w.action))];
}

/** The earliest instant a pending follow-up may run (waiting retries included), or null. */
export function nextFollowUpAt(followUps: readonly FollowUp[]): string | null {
  const times = followUps
    .filter((f) => f.status === 'pending')
    // A retry always comes after the follow-up's own date, so it is the later of the two.
    .map((f) => (f as { retryAt?: string }).retryAt ?? f.notBefore)
    .sort();
  return times[0] ?? null;
}

function pending(action: FollowUpName, at: Date): FollowUp {
  return { action, status: 'pending', notBefore: at.toISOString(), requestIds: [] };
}
