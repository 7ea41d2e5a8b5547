import type { CaseState, FollowUp, OffboardingCase, Person, Step } from './case';
import { DISABLED_OPERATOR, withAccountStatus, type DirectoryCheck, type PolicyAnswer, type PolicySettings } from './policy';
import { WAITS_ON } from './plan';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';
import { RateWindow } from '../rate-window';

export const CANCELLED: CaseState = 'cancelled';

/** A case may be cancelled only before anything was changed in the tenant. */
const CANCELLABLE: readonly CaseState[] = ['awaiting_approval', 'approved'];

export type OperationResult =
  | { kind: 'done'; case: OffboardingCase }
  | { kind: 'refused'; message: string }
  /** Allowed, but the case is not (or no longer) in a state where this makes sense. */
  | { kind: 'conflict'; case: OffboardingCase; message: string }
  | { kind: 'not_found'; message: string };

export interface CaseOperationsDeps {
  store: CaseStore;
  /** Membership and account status, read live on each operation. */
  groups: DirectoryCheck;
  policy: PolicySettings;
  log: Logger;
  /** Called after a retry lands, to run the case without waiting for the engine's next sweep. */
  onRetried?: (c: OffboardingCase) => void;
  /** Called after a cancel or a handled exception lands, to update the case's cards in Teams. */
  onChanged?: (c: OffboardingCase) => void;
  now?: () => Date;
}

/**
 * Refusals audited per person, case and refusal within the window; past it a refusal is only
 * logged, answered the same. As for approvals (security-approvals.ts): each refusal appends to the
 * case's hash-chained trail, so repeated clicks would otherwise grow it without bound, and counting
 * per refusal keeps one replayed refusal from using up the budget of another that matters.
 */
const AUDITED_REFUSALS = 5;
const REFUSAL_WINDOW_MS = 10 * 60_000;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The person being offboarded never steers their own case, whatever groups they are in. */
export const isTargetOf = (actor: Person, c: OffboardingCase) => same(actor.id, c.target.id);
const OWN_CASE: PolicyAnswer = { allowed: false, reason: 'Nobody can act on their own offboarding.' };

/**
 * What IT does to a case from the dashboard. Authorization is decided here, from the stored case
 * and the directory, with the same care as the cards: the page only says which case.
 */
export class CaseOperations {
  private readonly auditedRefusals = new RateWindow(AUDITED_REFUSALS, REFUSAL_WINDOW_MS, () => this.now().getTime());

  constructor(private readonly deps: CaseOperationsDeps) {}

  mayRetry(actor: Person, c: OffboardingCase): Promise<PolicyAnswer> {
    return this.mayOperate(actor, c, { requesterMay: false, otherwise: 'Only members of the IT operations group can retry failed steps.' });
  }

  mayCancel(actor: Person, c: OffboardingCase): Promise<PolicyAnswer> {
    return this.mayOperate(actor, c, { requesterMay: true, otherwise: 'Only the requester or the IT operations group can cancel an offboarding.' });
  }

  private mayResolve(actor: Person, c: OffboardingCase): Promise<PolicyAnswer> {
    return this.mayOperate(actor, c, { requesterMay: false, otherwise: 'Only members of the IT operations group can mark exceptions as handled.' });
  }

  /**
   * The IT operations group (and, where `requesterMay`, the requester), with an enabled account:
   * Teams keeps a token working for a while after an account is disabled, so a requester fired
   * since asking, or a disabled IT operator, could otherwise still steer the case. The account is
   * read beside the membership, so the check adds no round trip. The target is refused first, from
   * the stored case alone, before any directory read.
   */
  private async mayOperate(actor: Person, c: OffboardingCase, rule: { requesterMay: boolean; otherwise: string }): Promise<PolicyAnswer> {
    if (isTargetOf(actor, c)) return OWN_CASE;
    const { groups, policy } = this.deps;
    const role = rule.requesterMay && same(actor.id, c.requester.id) ? Promise.resolve(true) : groups.isMemberOf(actor.id, policy.itGroupId);
    const read = await withAccountStatus(role, groups.isAccountEnabled(actor.id));
    if (!read.enabled) return { allowed: false, reason: DISABLED_OPERATOR };
    return read.answer ? { allowed: true } : { allowed: false, reason: rule.otherwise };
  }

  /**
   * Failed steps go back to pending and the case to approved, so the engine runs them again; so
   * does a step left to a person, not yet resolved, that waited on one of them (plan.ts WAITS_ON: a
   * licence carrying the mailbox waits for the conversion to shared). It plans again from the
   * tenant and ends `manual` again if a person is still needed. Failed follow-ups of a closed case
   * (completed or not) go back to pending too, due at once, and run once the case is closed.
   * Nothing else runs again.
   */
  async retryFailedSteps(actor: Person, caseId: string): Promise<OperationResult> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return notFound;
    const answer = await this.mayRetry(actor, c);
    if (!answer.allowed) return this.refuse(c, actor, 'retry.denied', answer.reason);
    const what = toRetry(c);
    if (what.steps.length === 0 && what.followUps.length === 0) {
      return { kind: 'conflict', case: c, message: `Nothing to retry: this case is ${describeState(c.state)}.` };
    }
    const failedActions = what.steps.map((s) => s.action);
    const waited = (s: Step) => s.status === 'manual' && !s.resolution && (WAITS_ON[s.action] ?? []).some((a) => failedActions.includes(a));
    const rerun = (s: Step) => what.steps.includes(s) || waited(s);
    const steps = c.steps.map((s): Step => (rerun(s) ? { action: s.action, status: 'pending', requestIds: s.requestIds, ...kept(s) } : s));
    const followUps = (c.followUps ?? []).map((f): FollowUp =>
      what.followUps.includes(f) ? { action: f.action, status: 'pending', notBefore: f.notBefore, requestIds: f.requestIds, ...kept(f), ...(f.everyDays ? { everyDays: f.everyDays } : {}) } : f,
    );
    const changes = {
      ...(what.steps.length > 0 ? { state: 'approved' as const, steps } : {}),
      // A failed follow-up ran at or after its date: pending again, it is due now.
      ...(what.followUps.length > 0 ? { followUps, nextFollowUpAt: [c.nextFollowUpAt, ...what.followUps.map((f) => f.notBefore)].filter((t): t is string => !!t).sort()[0] } : {}),
    };
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: [c.state] }, changes);
    if (!updated) return this.changedMeanwhile(c._id);
    // The failure details leave the step, so the audit event keeps them as evidence.
    const previous = (s: Step | FollowUp) => ({ action: s.action, previousStatus: s.status, previousDetail: s.detail });
    await this.audit(updated, actor, 'case.retry_requested', {
      steps: c.steps.filter(rerun).map(previous),
      ...(what.followUps.length > 0 ? { followUps: what.followUps.map(previous) } : {}),
    });
    this.deps.log.info('case.retry_requested', { caseId: c._id, actorId: actor.id, steps: failedActions, followUps: what.followUps.map((f) => f.action) });
    this.deps.onRetried?.(updated);
    return { kind: 'done', case: updated };
  }

  /** Stops a case that has not started changing anything, and frees its target for a new request. */
  async cancel(actor: Person, caseId: string, reason?: string): Promise<OperationResult> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return notFound;
    const answer = await this.mayCancel(actor, c);
    if (!answer.allowed) return this.refuse(c, actor, 'cancel.denied', answer.reason);
    if (!CANCELLABLE.includes(c.state)) {
      return { kind: 'conflict', case: c, message: `This case can no longer be cancelled: it is ${describeState(c.state)}.` };
    }
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: CANCELLABLE }, { state: CANCELLED });
    if (!updated) return this.changedMeanwhile(c._id);
    await this.deps.store.releaseTarget(updated.target.id, updated._id);
    const why = reason?.trim().slice(0, 500);
    await this.audit(updated, actor, 'case.cancelled', { fromState: c.state, ...(why ? { reason: why } : {}) });
    this.deps.log.info('case.cancelled', { caseId: c._id, actorId: actor.id });
    this.deps.onChanged?.(updated);
    return { kind: 'done', case: updated };
  }

  /**
   * Records that a person did what a `manual` step or follow-up asked (e.g. disabled an
   * on-premises account, removed a delegate by hand), with who, when and how: the exception stays
   * in the record, marked handled, and no longer counts as open (dashboard, cards, review reminder).
   */
  async resolveManualException(actor: Person, caseId: string, item: ExceptionRef, note: string): Promise<OperationResult> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return notFound;
    const answer = await this.mayResolve(actor, c);
    if (!answer.allowed) return this.refuse(c, actor, 'exception.resolve_denied', answer.reason);
    // Own keys only: a tampered kind such as "constructor" must not reach the prototype.
    const kind = Object.hasOwn(RESOLVABLE, item.kind) ? RESOLVABLE[item.kind] : undefined;
    if (!kind) return { kind: 'conflict', case: c, message: 'Only a step or a follow-up can be marked handled.' };
    const items: readonly (Step | FollowUp)[] = kind.of(c);
    const entry = Number.isInteger(item.index) ? items[item.index] : undefined;
    if (!entry) return { kind: 'conflict', case: c, message: `This case has no such ${kind.noun}.` };
    if (entry.status !== 'manual') return { kind: 'conflict', case: c, message: `That ${kind.noun} was not left to a person, so there is nothing to mark handled.` };
    if (entry.resolution) return { kind: 'conflict', case: c, message: `That ${kind.noun} is already marked handled.` };
    const how = note.trim().slice(0, 500);
    if (!how) return { kind: 'conflict', case: c, message: 'Say what was done, so the record shows it.' };
    const resolution = { by: actor, at: this.now().toISOString(), note: how };
    // One conditional update on the version read: of two clicks, the second finds the case changed.
    const changes = item.kind === 'step'
      ? { steps: c.steps.map((s, i) => (i === item.index ? { ...s, resolution } : s)) }
      : { followUps: (c.followUps ?? []).map((f, i) => (i === item.index ? { ...f, resolution } : f)) };
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: [c.state] }, changes);
    if (!updated) return this.changedMeanwhile(c._id);
    // Kind and index name the item exactly: a case may hold several review reminders.
    await this.audit(updated, actor, 'exception.resolved', { kind: item.kind, index: item.index, action: entry.action, note: how });
    this.deps.log.info('exception.resolved', { caseId: c._id, actorId: actor.id, kind: item.kind, index: item.index, action: entry.action });
    // The completion summary in the IT channel is the ticket's note: it stops listing it as open.
    this.deps.onChanged?.(updated);
    return { kind: 'done', case: updated };
  }

  /** The message is also what the cap counts by, so it must be one of our texts, never the caller's. */
  private async refuse(c: OffboardingCase, actor: Person, event: string, message: string): Promise<OperationResult> {
    if (this.auditedRefusals.take(`${c._id}/${actor.id.toLowerCase()}/${event}/${message}`) > 0) {
      this.deps.log.warn(`${event}_unaudited`, { caseId: c._id, actorId: actor.id, reason: message });
    } else {
      this.deps.log.warn(event, { caseId: c._id, actorId: actor.id });
      await this.audit(c, actor, event, { reason: message });
    }
    return { kind: 'refused', message };
  }

  /** The conditional update lost (the engine claimed the case, or someone else acted first). */
  private async changedMeanwhile(caseId: string): Promise<OperationResult> {
    const current = await this.deps.store.getCase(caseId);
    if (!current) return notFound;
    return { kind: 'conflict', case: current, message: `The case changed in the meantime and is now ${describeState(current.state)}. Nothing was done.` };
  }

  private async audit(c: OffboardingCase, actor: Person, event: string, detail: Record<string, unknown>): Promise<void> {
    await this.deps.store.appendAudit({ caseId: c._id, at: this.now().toISOString(), actor: actor.id, event, detail });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}

/** Which exception: a step of the case, or one of its follow-ups, by position in its list. */
export interface ExceptionRef {
  kind: 'step' | 'followUp';
  index: number;
}

/** Where each kind of exception lives on the case, and what people call it. */
const RESOLVABLE: Record<ExceptionRef['kind'], { of: (c: OffboardingCase) => readonly (Step | FollowUp)[]; noun: string }> = {
  step: { of: (c) => c.steps, noun: 'step' },
  followUp: { of: (c) => c.followUps ?? [], noun: 'follow-up' },
};

const notFound: OperationResult = { kind: 'not_found', message: 'No offboarding case with this id.' };

const CLOSED: readonly CaseState[] = ['completed', 'completed_with_failures'];

/** What a retry would run again: the failed steps of a case that ended with failures, and failed follow-ups of a closed case. */
export function toRetry(c: OffboardingCase): { steps: Step[]; followUps: FollowUp[] } {
  return {
    steps: c.state === 'completed_with_failures' ? c.steps.filter((s) => s.status === 'failed') : [],
    followUps: CLOSED.includes(c.state) ? (c.followUps ?? []).filter((f) => f.status === 'failed') : [],
  };
}

/** What a step run again keeps: that an earlier run changed the tenant, which a later one cannot see. */
function kept(s: Step | FollowUp): Pick<Step, 'changed'> {
  return s.changed ? { changed: true } : {};
}

function describeState(state: CaseState): string {
  return state.replace(/_/g, ' ');
}
