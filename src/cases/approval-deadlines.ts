import type { OffboardingCase } from './case';
import type { CaseNotifier } from './case-notifier';
import { approvalSettingsOf, missingApprovals, type PolicySettings } from './policy';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

export interface DeadlineDeps {
  store: CaseStore;
  notifier: CaseNotifier;
  policy: PolicySettings;
  log: Logger;
  now?: () => Date;
}

const HOUR_MS = 3_600_000;
const SYSTEM = 'system';

/**
 * Approvals do not wait forever: after REMINDER_HOURS the approvers are reminded and the
 * escalation group told (once); after APPROVAL_EXPIRY_HOURS the case is cancelled as expired and
 * the target freed for a new request. Run by the app's periodic sweep; time comes from `now`.
 */
export class ApprovalDeadlines {
  constructor(private readonly deps: DeadlineDeps) {}

  async sweep(): Promise<void> {
    const { reminderHours, expiryHours } = approvalSettingsOf(this.deps.policy);
    const now = this.now().getTime();
    // Oldest request first: those are the ones due to be reminded or to expire.
    const waiting = await this.deps.store.listCasesInStates(['awaiting_approval'], 'createdAt', 500);
    for (const c of waiting) {
      const ageMs = now - Date.parse(c.createdAt);
      if (ageMs >= expiryHours * HOUR_MS) await this.expire(c, expiryHours);
      else if (ageMs >= reminderHours * HOUR_MS && !c.remindedAt) await this.remind(c);
    }
  }

  private async expire(c: OffboardingCase, expiryHours: number): Promise<void> {
    const at = this.now().toISOString();
    const reason = `No decision within ${expiryHours} hours, so the request expired. Nothing was changed; request again if still needed.`;
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: ['awaiting_approval'] }, { state: 'cancelled', cancellation: { at, reason } });
    // Lost the race: an approver decided at the last moment, and their decision stands.
    if (!updated) return;
    await this.deps.store.releaseTarget(updated.target.id, updated._id);
    await this.deps.store.appendAudit({ caseId: c._id, at, actor: SYSTEM, event: 'case.expired', detail: { expiryHours, missing: missingApprovals(c) } });
    this.deps.log.info('case.expired', { caseId: c._id });
    await this.deps.notifier.caseChanged(updated).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId: c._id, error: err.message }));
  }

  private async remind(c: OffboardingCase): Promise<void> {
    const at = this.now().toISOString();
    // Claim the reminder first, so a second sweep (or instance) does not remind twice.
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: ['awaiting_approval'] }, { remindedAt: at });
    if (!updated) return;
    const groupId = approvalSettingsOf(this.deps.policy).escalationGroupId;
    await this.deps.store.appendAudit({
      caseId: c._id,
      at,
      actor: SYSTEM,
      event: 'approval.reminded',
      detail: { missing: missingApprovals(c), escalatedTo: groupId ?? null },
    });
    this.deps.log.info('approval.reminded', { caseId: c._id, escalatedTo: groupId });
    if (!this.deps.notifier.remindApprovers) return;
    await this.deps.notifier.remindApprovers(updated, { groupId }).catch((err: Error) => this.deps.log.warn('reminder.post_failed', { caseId: c._id, error: err.message }));
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}
