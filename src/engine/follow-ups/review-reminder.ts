import type { FollowUp, OffboardingCase } from '../../cases/case';
import type { CaseNotifier } from '../../cases/case-notifier';
import type { OffboardingAction } from '../../actions/offboarding-action';
import { FOLLOW_UP_LABELS } from '../../cards/wording';
import { DAY_MS, DEFAULT_FOLLOW_UPS } from './follow-up-schedule';

/** Reminders per case at most: a year of them at the default 30 days, then IT is left to it. */
export const MAX_REVIEW_REMINDERS = 12;

/**
 * Follow-up some days after the case closed: asks IT, in its channel, to review the offboarding
 * (shared mailbox still needed, exceptions resolved, equipment back). Changes nothing in the tenant.
 * A later reminder (`index` past the first) is sent only while something is still open.
 */
export function reviewReminder(c: OffboardingCase, notifier: CaseNotifier, index: number): Omit<OffboardingAction<'IT channel'>, 'name'> {
  return {
    async plan() {
      const repeat = (c.followUps ?? []).findIndex((f) => f.action === 'reviewReminder') < index;
      if (repeat && openForReview(c).length === 0) {
        return { changes: [], found: 'nothing is open.', stop: { status: 'skipped', reason: 'Nothing is left open on this case, so no reminder was sent and no further one is scheduled.' } };
      }
      if (!notifier.remindReview) {
        return { changes: [], found: 'no channel to post to.', stop: { status: 'manual', reason: `Review the offboarding of ${c.target.displayName} (case ${c._id}): this app cannot post reminders.` } };
      }
      return { changes: ['IT channel'], found: 'the review is due.' };
    },
    async apply() {
      await notifier.remindReview!(c);
      return { detail: 'Reminded IT in its channel to review the offboarding.', failures: [] };
    },
    async verify() {
      // The notifier throws unless Teams confirmed the post.
      return { ok: true, detail: '' };
    },
  };
}

/**
 * What is still open for IT on the case, in words: failed steps, exceptions left to a person,
 * follow-ups that failed or were left to a person, and follow-ups still to come (e.g. the
 * delegate's access running until its end). Reminders themselves are not counted.
 */
export function openForReview(c: OffboardingCase): string[] {
  const failed = c.steps.filter((s) => s.status === 'failed').length;
  const manual = c.steps.filter((s) => s.status === 'manual' && !s.resolution).length;
  const followUps = (c.followUps ?? []).filter((f) => f.action !== 'reviewReminder');
  return [
    ...(failed > 0 ? [`${failed} failed step${failed > 1 ? 's' : ''}`] : []),
    ...(manual > 0 ? [`${manual} exception${manual > 1 ? 's' : ''} left to a person`] : []),
    ...followUps.filter((f) => f.status === 'failed').map((f) => `failed follow-up "${FOLLOW_UP_LABELS[f.action]}"`),
    ...followUps.filter((f) => f.status === 'manual' && !f.resolution).map((f) => `follow-up "${FOLLOW_UP_LABELS[f.action]}" left to a person`),
    ...followUps.filter((f) => f.status === 'pending' || f.status === 'running').map((f) => `"${FOLLOW_UP_LABELS[f.action]}" due ${f.notBefore.slice(0, 10)}`),
  ];
}

/**
 * The case's follow-ups with reminder `index` recorded as `sent`. Once a reminder went out, the
 * next is scheduled `everyDays` after it while something is open, up to MAX_REVIEW_REMINDERS; the
 * reminder's detail says which, or why none follows. Follow-ups someone called off get no more.
 */
export function withReminderRecorded(c: OffboardingCase, index: number, sent: FollowUp, now: Date): FollowUp[] {
  const current = (c.followUps ?? []).map((f, i) => (i === index ? sent : f));
  const later = current.slice(index + 1).some((f) => f.action === 'reviewReminder');
  if (sent.status !== 'succeeded' || later || current.some((f) => f.cancelled)) return current;
  const open = openForReview({ ...c, followUps: current });
  const sentSoFar = current.filter((f) => f.action === 'reviewReminder').length;
  const say = (more: string) => current.map((f, i) => (i === index ? { ...sent, detail: `${sent.detail ?? ''} ${more}`.trim() } : f));
  if (open.length === 0) return say('Nothing else is open on this case, so no further reminder is scheduled.');
  if (sentSoFar >= MAX_REVIEW_REMINDERS) {
    return say(`That was reminder ${sentSoFar}, the last this app sends; still open: ${open.join('; ')}.`);
  }
  const everyDays = sent.everyDays ?? DEFAULT_FOLLOW_UPS.reviewAfterDays;
  const next: FollowUp = { action: 'reviewReminder', status: 'pending', notBefore: new Date(now.getTime() + everyDays * DAY_MS).toISOString(), requestIds: [], everyDays };
  return [...say(`Next reminder on ${next.notBefore.slice(0, 10)} (UTC), since still open: ${open.join('; ')}.`), next];
}
