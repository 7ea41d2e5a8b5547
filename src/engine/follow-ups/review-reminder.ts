import type { OffboardingCase } from '../../cases/case';
import type { CaseNotifier } from '../../cases/case-notifier';
import type { OffboardingAction } from '../../actions/offboarding-action';

/**
 * Follow-up some days after the case closed: asks IT, in its channel, to review the offboarding
 * (shared mailbox still needed, exceptions resolved, equipment back). Changes nothing in the tenant.
 */
export function reviewReminder(c: OffboardingCase, notifier: CaseNotifier): Omit<OffboardingAction<'IT channel'>, 'name'> {
  return {
    async plan() {
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
