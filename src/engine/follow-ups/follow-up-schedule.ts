import type { CaseState, FollowUp, FollowUpName, OffboardingCase } from '../../cases/case';
import { zonedToUtc } from '../../cases/departure-form';
import { mailboxDecisions } from '../../actions/mailbox-decisions';
import { mailboxPermissionsUnread } from '../../actions/grant-mailbox-access';
import { SIGN_IN_CHECK_AFTER_HOURS } from './check-sign-ins';

export interface FollowUpSettings {
  /** Days after a case closes at which IT is reminded to review it, and again while something is open. */
  reviewAfterDays: number;
  /** Days after a completed case at which the account is deleted; absent means never (the default). */
  deleteAfterDays?: number;
}

export const DEFAULT_FOLLOW_UPS: FollowUpSettings = { reviewAfterDays: 30 };

export const DAY_MS = 24 * 3_600_000;

/** A delegate's FullAccess to the departed user's mailbox, as the case's grant step left it. */
export interface Delegation {
  /** Who holds it, in words. */
  who: string;
  /** When it ends: the start of the day after `delegateUntil` in the request's time zone; absent when open-ended. */
  ends?: Date;
  /**
   * This case gave it, the delegate had it before the case, a person gave it (the step was left to
   * one), or not known: the step found it in place and the evidence snapshot could not read the
   * mailbox permissions, so whether it predates the case is for a person to say at its end.
   */
  givenBy: 'case' | 'before' | 'person' | 'unknown';
}

/** The delegation the case leaves behind, if any: its grant step succeeded, or a person did it. */
export function delegationOf(c: OffboardingCase): Delegation | undefined {
  const { delegate, delegateUntil } = mailboxDecisions(c.request);
  const grant = c.steps.find((s) => s.action === 'grantMailboxAccess');
  if (delegate === null || !grant) return undefined;
  if (grant.status !== 'succeeded' && !(grant.status === 'manual' && grant.resolution)) return undefined;
  return {
    who: delegate ?? (c.target.manager ? `${c.target.manager.displayName} (the manager)` : 'the delegate'),
    ends: delegateUntil ? dayAfter(delegateUntil, c.request.timeZone) : undefined,
    // A step recorded before `changed` was kept counts as given by the case, as it always did.
    givenBy: grant.status === 'manual' ? 'person' : grant.changed === false ? (mailboxPermissionsUnread(c.evidence) === undefined ? 'before' : 'unknown') : 'case',
  };
}

function dayAfter(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return zonedToUtc(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10), '00:00', timeZone);
}

/**
 * The case's follow-ups once it closes as `closedAs` at `closedAt`: those already scheduled stay as
 * they are (a case closed again after a retry keeps its dates), missing ones are added. The
 * delegate's access is removed at its end only when this case gave it; when that is not known, the
 * follow-up then leaves it to a person. The account is deleted only from a case that completed
 * cleanly, and never while a delegate may still use its mailbox, since deleting the user deletes
 * its shared mailbox too. What is deliberately not scheduled is kept as a skipped follow-up saying
 * why, so the dashboard shows it.
 */
export function scheduleFollowUps(c: OffboardingCase, closedAs: CaseState, closedAt: Date, settings: FollowUpSettings): FollowUp[] {
  const wanted: FollowUp[] = [];
  const delegation = delegationOf(c);
  const ends = delegation?.ends;
  if (ends && (delegation.givenBy === 'case' || delegation.givenBy === 'unknown')) wanted.push(pending('removeDelegateAccess', ends));
  if (ends && delegation.givenBy === 'before') {
    wanted.push(notScheduled('removeDelegateAccess', ends, closedAt, `Not scheduled: ${delegation.who} had FullAccess to the mailbox before this offboarding, so this case leaves it as it was.`));
  }
  // At once: the audit search takes Purview a while, and the security team wants the answer soon.
  wanted.push(pending('reviewDownloads', closedAt));
  // A day on: the sign-in log shows a sign-in minutes, at times hours, after it happened.
  wanted.push(pending('checkSignIns', new Date(closedAt.getTime() + SIGN_IN_CHECK_AFTER_HOURS * 3_600_000)));
  wanted.push({ ...pending('reviewReminder', new Date(closedAt.getTime() + settings.reviewAfterDays * DAY_MS)), everyDays: settings.reviewAfterDays });
  if (settings.deleteAfterDays !== undefined && closedAs === 'completed') {
    const retained = new Date(closedAt.getTime() + settings.deleteAfterDays * DAY_MS);
    wanted.push(
      delegation && !ends
        ? notScheduled('deleteAccount', retained, closedAt,
          `Not scheduled: ${delegation.who} keeps FullAccess to the mailbox with no end date, and deleting the account would delete that shared mailbox too. Delete the account by hand once the mailbox is no longer needed.`)
        : pending('deleteAccount', new Date(Math.max(retained.getTime(), ends?.getTime() ?? 0))),
    );
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

/** A follow-up that would have fallen due at `at` but is not to run, with why. */
function notScheduled(action: FollowUpName, at: Date, decidedAt: Date, why: string): FollowUp {
  return { action, status: 'skipped', notBefore: at.toISOString(), requestIds: [], detail: why, finishedAt: decidedAt.toISOString() };
}
