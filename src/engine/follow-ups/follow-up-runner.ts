import type { CaseState, FollowUp, FollowUpName, OffboardingCase, Person } from '../../cases/case';
import type { OffboardingAction } from '../../actions/offboarding-action';
import { claimSlot, runLeasedStep, TERMINAL, type LeasedStepDeps, type StepSlot } from '../leased-step';
import { isDue, type RunnableStep } from '../run-step';
import { releaseClaim } from '../step-lease';
import { deleteAccount } from './delete-account';
import { nextFollowUpAt } from './follow-up-schedule';
import { removeDelegateAccess } from './remove-delegate-access';
import { reviewReminder, withReminderRecorded } from './review-reminder';
import { reviewDownloads } from './review-downloads';
import { checkSignIns } from './check-sign-ins';

/** Follow-up i is leased under step index CLAIM_BASE + i, clear of the case's own steps and its close. */
const CLAIM_BASE = 100;
/** Follow-ups run only on a closed case: not while a retry has it running again. */
const CLOSED: readonly CaseState[] = ['completed', 'completed_with_failures'];
const SAVE_ATTEMPTS = 20;

type ScheduledFollowUp = FollowUp & Pick<RunnableStep, 'retryAt' | 'attempts'>;

export interface FollowUpCancellation {
  /** The case as left, or null when there is no such case. */
  case: OffboardingCase | null;
  cancelled: FollowUpName[];
  /** Running right now (another holder's lease): left to finish. */
  busy: FollowUpName[];
}

/**
 * Runs a closed case's follow-ups when due, each claimed and recorded like any step, and cancels
 * the pending ones on request.
 */
export class FollowUpRunner {
  constructor(private readonly deps: LeasedStepDeps) {}

  /** Runs every follow-up of the case that is due now; returns the case as this left it. */
  async runDue(c: OffboardingCase): Promise<OffboardingCase> {
    for (;;) {
      const now = this.deps.now();
      const index = (c.followUps ?? []).findIndex((f) => !TERMINAL.includes(f.status) && isDue(f, now));
      if (index === -1 || !CLOSED.includes(c.state)) return c;
      const next = await runLeasedStep(this.deps, c._id, this.slot(c, index));
      if (!next) return (await this.deps.store.getCase(c._id)) ?? c;
      c = next;
    }
  }

  private slot(c: OffboardingCase, index: number): StepSlot<ScheduledFollowUp> {
    return {
      claimIndex: CLAIM_BASE + index,
      states: CLOSED,
      read: (fresh) => fresh.followUps?.[index],
      write: (fresh, step) =>
        withFollowUps(
          step.action === 'reviewReminder'
            ? withReminderRecorded(fresh, index, step, this.deps.now())
            : (fresh.followUps ?? []).map((f, i) => (i === index ? step : f)),
        ),
      action: { ...this.action(c, index), name: c.followUps![index].action },
      recorded: async (saved, step) => {
        if (!TERMINAL.includes(step.status)) return;
        // As stored: a reminder's detail says whether another follows.
        const kept = saved.followUps?.[index] ?? step;
        await this.deps.store.appendAudit({
          caseId: saved._id, at: this.deps.now().toISOString(), actor: 'engine',
          event: `follow_up.${kept.status}`, detail: { action: kept.action, detail: kept.detail, requestIds: kept.requestIds },
        });
        if (kept.status === 'failed') await this.tellItFailed(saved, kept);
        // The completion summary lists the follow-ups and what is still open.
        await this.deps.notifier.caseChanged(saved).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId: saved._id, error: err.message }));
      },
    };
  }

  private action(c: OffboardingCase, index: number): Omit<OffboardingAction, 'name'> {
    switch (c.followUps![index].action) {
      case 'removeDelegateAccess':
        return removeDelegateAccess(c) as Omit<OffboardingAction, 'name'>;
      case 'deleteAccount':
        return deleteAccount as Omit<OffboardingAction, 'name'>;
      case 'reviewReminder':
        return reviewReminder(c, this.deps.notifier, index) as Omit<OffboardingAction, 'name'>;
      case 'reviewDownloads':
        return reviewDownloads(c, this.deps.notifier, this.deps.now) as Omit<OffboardingAction, 'name'>;
      case 'checkSignIns':
        return checkSignIns(c, this.deps.notifier) as Omit<OffboardingAction, 'name'>;
    }
  }

  /** A follow-up that failed for good is not retried by itself: IT hears of it, if the notifier can say. */
  private async tellItFailed(c: OffboardingCase, followUp: FollowUp): Promise<void> {
    if (!this.deps.notifier.followUpFailed) return;
    try {
      await this.deps.notifier.followUpFailed(c, followUp);
    } catch (err) {
      this.deps.log.warn('follow_up.notice_failed', { caseId: c._id, action: followUp.action, error: (err as Error).message });
    }
  }

  /**
   * Calls off the case's follow-ups that have not run, each under its step lease so none is
   * cancelled while an instance runs it; those are reported busy and finish as they would.
   */
  async cancel(caseId: string, by: Person, reason: string): Promise<FollowUpCancellation> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return { case: null, cancelled: [], busy: [] };
    const open = (c.followUps ?? []).map((f, i) => ({ f, i })).filter(({ f }) => !TERMINAL.includes(f.status));
    const claims = await Promise.all(open.map(({ i }) => claimSlot(this.deps, caseId, CLAIM_BASE + i)));
    const held = new Set(open.filter((_, k) => claims[k]).map(({ i }) => i));
    const busy = open.filter(({ i }) => !held.has(i)).map(({ f }) => f.action);
    try {
      const at = this.deps.now().toISOString();
      for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
        const fresh = await this.deps.store.getCase(caseId);
        if (!fresh) return { case: null, cancelled: [], busy };
        const cancelled = (fresh.followUps ?? []).filter((f, i) => held.has(i) && !TERMINAL.includes(f.status));
        const followUps = (fresh.followUps ?? []).map((f, i): FollowUp =>
          cancelled.includes(f) ? { ...f, status: 'skipped', detail: `Cancelled by ${by.displayName}: ${reason}`, cancelled: { at, by, reason }, finishedAt: at } : f,
        );
        if (cancelled.length === 0) return { case: fresh, cancelled: [], busy };
        const updated = await this.deps.store.updateCase(caseId, { version: fresh.version, states: [fresh.state] }, withFollowUps(followUps));
        if (!updated) continue;
        const names = cancelled.map((f) => f.action);
        await this.deps.store.appendAudit({ caseId, at, actor: by.id, event: 'follow_ups.cancelled', detail: { followUps: names, reason, by: by.displayName } });
        this.deps.log.info('follow_ups.cancelled', { caseId, followUps: names, actorId: by.id });
        return { case: updated, cancelled: names, busy };
      }
      throw new Error(`case ${caseId} is changing too often to cancel its follow-ups`);
    } finally {
      await Promise.all(claims.map((claim) => (claim ? releaseClaim(this.deps, claim) : undefined)));
    }
  }
}

function withFollowUps(followUps: FollowUp[]): { followUps: FollowUp[]; nextFollowUpAt: string | null } {
  return { followUps, nextFollowUpAt: nextFollowUpAt(followUps) };
}
