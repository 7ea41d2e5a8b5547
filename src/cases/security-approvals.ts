import type { ApprovalSlot, Decision, GivenApprovals, OffboardingCase, Person } from './case';
import type { CaseNotifier } from './case-notifier';
import { DISABLED_APPROVER, mayReject, missingApprovals, slotFor, withAccountStatus, type DirectoryCheck, type PolicySettings } from './policy';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';
import { ConcurrencyLimit } from '../concurrency-limit';
import { RateWindow } from '../rate-window';

export type DecisionResult =
  | { kind: 'decided'; case: OffboardingCase }
  /** Nothing changed; the case as it now stands, with why. */
  | { kind: 'unchanged'; case: OffboardingCase; message: string }
  | { kind: 'not_found'; message: string };

export interface ApprovalDeps {
  store: CaseStore;
  notifier: CaseNotifier;
  /** Membership and account status, read live on each decision. */
  groups: DirectoryCheck;
  policy: PolicySettings;
  log: Logger;
  /** Called after the last required approval lands, to start execution without waiting for the next poll. */
  onApproved: (c: OffboardingCase) => void;
  /** Resolves when no click is waiting for its answer (src/answers-first.ts); the other copies of a card are edited after. */
  answersWaiting?: () => Promise<void>;
  now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A lost conditional update is retried on the fresh case, so concurrent approvers each land once.
const MAX_ATTEMPTS = 5;
/** Copies of decided cases updated at once, in the background after the answers. */
const CARD_UPDATES_AT_ONCE = 4;
/**
 * Refusals audited per person, case and reason within the window. Past it a refusal is only
 * logged: a refusal appends to the case's hash-chained trail, so replayed clicks would otherwise
 * grow it without bound. Counted per reason so that replays of one refusal (forged cards, say)
 * cannot use up the budget of a later one that matters (a disabled account); reasons are texts of
 * ours, few per case, so this stays bounded. Per instance, like the command limit; several
 * instances each keep their own count.
 */
const AUDITED_REFUSALS = 5;
const REFUSAL_WINDOW_MS = 10 * 60_000;

/**
 * Approval of a case by its manager, security approvers and, for a Global Administrator, the
 * configured approver group. Everything is decided from the stored case and the directory; the
 * card only says which case and which version the clicking person was looking at.
 */
export class SecurityApprovals {
  private readonly cardUpdates = new ConcurrencyLimit(CARD_UPDATES_AT_ONCE);
  private readonly auditedRefusals = new RateWindow(AUDITED_REFUSALS, REFUSAL_WINDOW_MS, () => this.now().getTime());

  constructor(private readonly deps: ApprovalDeps) {}

  async load(caseId: unknown): Promise<OffboardingCase | null> {
    if (typeof caseId !== 'string' || !UUID.test(caseId)) return null;
    return this.deps.store.getCase(caseId);
  }

  /**
   * Whether this person may decide on the case now, and if not, why (shown on their card). A
   * disabled account gets no buttons on a refreshed card: its click would be refused anyway. The
   * account is read beside the membership, unless the caller has just read it (`enabled`).
   */
  async viewFor(actor: Person, c: OffboardingCase, enabled?: true): Promise<{ canDecide: boolean; notice?: string }> {
    if (c.state !== 'awaiting_approval') return { canDecide: false };
    const slot = slotFor(actor, c, this.deps.policy, this.deps.groups);
    const read = enabled ? { enabled, answer: await slot } : await withAccountStatus(slot, this.deps.groups.isAccountEnabled(actor.id));
    if (!read.enabled) return { canDecide: false, notice: DISABLED_APPROVER };
    return read.answer.allowed ? { canDecide: true } : { canDecide: false, notice: read.answer.reason };
  }

  async decide(
    actor: Person,
    input: { caseId: unknown; version: unknown; decision: 'approved' | 'rejected'; reason?: unknown },
  ): Promise<DecisionResult> {
    let c = await this.load(input.caseId);
    if (!c) {
      // No case, so no case chain to audit into: the log keeps the attempt.
      this.deps.log.warn('approval.unknown_case', { actorId: actor.id, caseId: String(input.caseId).slice(0, 64) });
      return { kind: 'not_found', message: 'This card refers to an offboarding case that does not exist.' };
    }
    if (!isCardVersionOf(input.version, c)) {
      return this.refuse(c, actor, 'This card was not sent by the Offboarding bot for this case. Nothing was changed.', { sawVersion: String(input.version).slice(0, 32) });
    }
    const reason = typeof input.reason === 'string' ? input.reason.trim().slice(0, 500) : '';
    // Read once per click (not per retry below), beside the membership read, once the card checks out.
    let enabled: Promise<boolean> | undefined;
    const accountEnabled = () => (enabled ??= this.deps.groups.isAccountEnabled(actor.id));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (c.state !== 'awaiting_approval') return this.refuse(c, actor, alreadyDecided(c), { attempted: input.decision });
      const outcome = input.decision === 'approved' ? await this.approval(actor, c, accountEnabled) : await this.rejection(actor, c, reason, accountEnabled);
      if (outcome.kind === 'refused') return this.refuse(c, actor, outcome.message, { attempted: input.decision });
      const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: ['awaiting_approval'] }, outcome.changes);
      if (updated) return this.landed(updated, actor, outcome.decision, input.version);
      // Someone else changed the case in between (a double click, another approver): look again.
      const current = await this.deps.store.getCase(c._id);
      if (!current) return { kind: 'not_found', message: 'This card refers to an offboarding case that does not exist.' };
      c = current;
    }
    return { kind: 'unchanged', case: c, message: 'The case is changing quickly; open the card again and retry.' };
  }

  /**
   * Records a refusal that is not about one approval (an unknown verb on a real case, say). The
   * message is also what the cap counts by, so it must be one of our texts, never card data.
   */
  async auditRefusal(c: OffboardingCase, actor: Person, message: string, detail: Record<string, unknown>): Promise<void> {
    if (this.auditedRefusals.take(`${c._id}/${actor.id.toLowerCase()}/${message}`) > 0) {
      this.deps.log.warn('approval.denied_unaudited', { caseId: c._id, actorId: actor.id, reason: message });
      return;
    }
    this.deps.log.warn('approval.denied', { caseId: c._id, actorId: actor.id, reason: message });
    await this.audit(c, actor, 'approval.denied', { reason: message, ...detail });
  }

  private async approval(actor: Person, c: OffboardingCase, accountEnabled: () => Promise<boolean>): Promise<Outcome> {
    const read = await withAccountStatus(slotFor(actor, c, this.deps.policy, this.deps.groups), accountEnabled());
    if (!read.enabled) return { kind: 'refused', message: DISABLED_APPROVER };
    const slot = read.answer;
    if (!slot.allowed) return { kind: 'refused', message: slot.reason };
    const decision = this.decision(actor, 'approved', slot.slot);
    const approvals = withApproval(c.approvals ?? { security: [] }, decision);
    const next: OffboardingCase = { ...c, approvals };
    // Only when every required approval is in does the case move on; until then it keeps waiting.
    const state = missingApprovals(next).length === 0 ? 'approved' : 'awaiting_approval';
    return { kind: 'apply', decision, changes: { state, approvals, decisions: [...c.decisions, decision] } };
  }

  private async rejection(actor: Person, c: OffboardingCase, reason: string, accountEnabled: () => Promise<boolean>): Promise<Outcome> {
    const read = await withAccountStatus(mayReject(actor, c, this.deps.policy, this.deps.groups), accountEnabled());
    if (!read.enabled) return { kind: 'refused', message: DISABLED_APPROVER };
    const answer = read.answer;
    if (!answer.allowed) return { kind: 'refused', message: answer.reason };
    if (!reason) return { kind: 'refused', message: 'Give a reason to reject.' };
    const decision = { ...this.decision(actor, 'rejected'), reason };
    return { kind: 'apply', decision, changes: { state: 'rejected', decisions: [...c.decisions, decision] } };
  }

  private decision(actor: Person, decision: Decision['decision'], as?: ApprovalSlot): Decision {
    return { by: actor, decision, at: this.now().toISOString(), ...(as ? { as } : {}) };
  }

  private async landed(updated: OffboardingCase, actor: Person, decision: Decision, sawVersion: unknown): Promise<DecisionResult> {
    const event = updated.state === 'awaiting_approval' ? 'case.approval_recorded' : `case.${updated.state}`;
    // The card's version is what the approver saw; kept as evidence. The decision itself is
    // guarded by the stored version and state, so a double click cannot decide twice.
    await this.audit(updated, actor, event, {
      sawVersion,
      ...(decision.as ? { as: decision.as } : {}),
      ...(decision.reason ? { reason: decision.reason } : {}),
      ...(updated.state === 'awaiting_approval' ? { stillMissing: missingApprovals(updated) } : {}),
    });
    this.deps.log.info(event, { caseId: updated._id, actorId: actor.id, as: decision.as });
    if (updated.state === 'rejected') await this.deps.store.releaseTarget(updated.target.id, updated._id);
    // The clicker gets the new card in the invoke answer; the other copies are updated after it,
    // so the answer does not wait on Teams (it must come well within Teams' ~15 s), a few at a
    // time, and once the clicks still waiting for their answers have them.
    void this.cardUpdates.run(async () => {
      await this.deps.answersWaiting?.();
      await this.deps.notifier.caseChanged(updated);
    }).catch((err: Error) =>
      this.deps.log.warn('card.update_failed', { caseId: updated._id, error: err.message }),
    );
    if (updated.state === 'approved') this.deps.onApproved(updated);
    return { kind: 'decided', case: updated };
  }

  private async refuse(c: OffboardingCase, actor: Person, message: string, detail: Record<string, unknown>): Promise<DecisionResult> {
    await this.auditRefusal(c, actor, message, detail);
    return { kind: 'unchanged', case: c, message };
  }

  private audit(c: OffboardingCase, actor: Person, event: string, detail?: Record<string, unknown>): Promise<void> {
    return this.deps.store.appendAudit({ caseId: c._id, at: this.now().toISOString(), actor: actor.id, event, detail });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}

type Outcome =
  | { kind: 'refused'; message: string }
  | { kind: 'apply'; decision: Decision; changes: Partial<Omit<OffboardingCase, '_id' | 'version'>> };

function withApproval(given: GivenApprovals, d: Decision): GivenApprovals {
  if (d.as === 'manager') return { ...given, manager: d };
  if (d.as === 'globalAdmin') return { ...given, globalAdmin: d };
  return { ...given, security: [...given.security, d] };
}

/**
 * The version a card carries is one the bot rendered for this case: a whole number from 0 to the
 * stored version (cards are rendered before and after each change). Anything else was made up.
 */
function isCardVersionOf(version: unknown, c: OffboardingCase): boolean {
  const n = typeof version === 'string' && /^\d{1,9}$/.test(version) ? Number(version) : version;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= c.version;
}

function alreadyDecided(c: OffboardingCase): string {
  if (c.state === 'cancelled') return `This case was cancelled${c.cancellation ? `: ${c.cancellation.reason}` : ''}. Nothing was changed.`;
  const last = c.decisions[c.decisions.length - 1];
  if (!last) return `This case is ${c.state.replace(/_/g, ' ')}.`;
  return `Already ${last.decision} by ${last.by.displayName} at ${last.at.replace('T', ' ').slice(0, 16)} UTC.`;
}
