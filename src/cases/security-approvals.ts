import type { Decision, OffboardingCase, Person } from './case';
import type { CaseNotifier } from './case-notifier';
import { mayDecide, type MembershipCheck, type PolicySettings } from './policy';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

export type DecisionResult =
  | { kind: 'decided'; case: OffboardingCase }
  /** Nothing changed; the case as it now stands, with why. */
  | { kind: 'unchanged'; case: OffboardingCase; message: string }
  | { kind: 'not_found'; message: string };

export interface ApprovalDeps {
  store: CaseStore;
  notifier: CaseNotifier;
  groups: MembershipCheck;
  policy: PolicySettings;
  log: Logger;
  /** Called after an approval lands, to start execution without waiting for the next poll. */
  onApproved: (c: OffboardingCase) => void;
  now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Security approval of a case. Everything is decided from the stored case and the directory;
 * the card only says which case and which version the clicking person was looking at.
 */
export class SecurityApprovals {
  constructor(private readonly deps: ApprovalDeps) {}

  async load(caseId: unknown): Promise<OffboardingCase | null> {
    if (typeof caseId !== 'string' || !UUID.test(caseId)) return null;
    return this.deps.store.getCase(caseId);
  }

  /** Whether this person may decide on the case now, and if not, why (shown on their card). */
  async viewFor(actor: Person, c: OffboardingCase): Promise<{ canDecide: boolean; notice?: string }> {
    if (c.state !== 'awaiting_approval') return { canDecide: false };
    const answer = await mayDecide(actor, c, this.deps.policy, this.deps.groups);
    return answer.allowed ? { canDecide: true } : { canDecide: false, notice: answer.reason };
  }

  async decide(
    actor: Person,
    input: { caseId: unknown; version: unknown; decision: 'approved' | 'rejected'; reason?: unknown },
  ): Promise<DecisionResult> {
    const c = await this.load(input.caseId);
    if (!c) return { kind: 'not_found', message: 'This card refers to an offboarding case that does not exist.' };
    if (c.state !== 'awaiting_approval') return { kind: 'unchanged', case: c, message: alreadyDecided(c) };
    const answer = await mayDecide(actor, c, this.deps.policy, this.deps.groups);
    if (!answer.allowed) {
      this.deps.log.warn('approval.denied', { caseId: c._id, actorId: actor.id, reason: answer.reason });
      await this.audit(c, actor, 'approval.denied', { reason: answer.reason });
      return { kind: 'unchanged', case: c, message: answer.reason };
    }
    const reason = typeof input.reason === 'string' ? input.reason.trim().slice(0, 500) : '';
    if (input.decision === 'rejected' && !reason) {
      return { kind: 'unchanged', case: c, message: 'Give a reason to reject.' };
    }

    const at = (this.deps.now ?? (() => new Date()))().toISOString();
    const decision: Decision = { by: actor, decision: input.decision, at, ...(reason ? { reason } : {}) };
    const updated = await this.deps.store.updateCase(
      c._id,
      { version: c.version, states: ['awaiting_approval'] },
      { state: input.decision, decisions: [...c.decisions, decision] },
    );
    if (!updated) {
      // Someone else decided in between (a double click, or a second approver): theirs stands.
      const current = (await this.deps.store.getCase(c._id)) ?? c;
      return { kind: 'unchanged', case: current, message: alreadyDecided(current) };
    }
    // The card's version is what the approver saw; kept as evidence. The decision itself is guarded
    // by the stored version and state, so a double click or a second approver cannot decide twice.
    await this.audit(updated, actor, `case.${input.decision}`, { sawVersion: input.version, ...(reason ? { reason } : {}) });
    this.deps.log.info(`case.${input.decision}`, { caseId: c._id, actorId: actor.id });
    if (updated.state === 'rejected') await this.deps.store.releaseTarget(updated.target.id, updated._id);
    await this.deps.notifier.caseChanged(updated).catch((err: Error) =>
      this.deps.log.warn('card.update_failed', { caseId: c._id, error: err.message }),
    );
    if (updated.state === 'approved') this.deps.onApproved(updated);
    return { kind: 'decided', case: updated };
  }

  private audit(c: OffboardingCase, actor: Person, event: string, detail?: Record<string, unknown>): Promise<void> {
    const at = (this.deps.now ?? (() => new Date()))().toISOString();
    return this.deps.store.appendAudit({ caseId: c._id, at, actor: actor.id, event, detail });
  }
}

function alreadyDecided(c: OffboardingCase): string {
  const last = c.decisions[c.decisions.length - 1];
  if (!last) return `This case is ${c.state.replace(/_/g, ' ')}.`;
  return `Already ${last.decision} by ${last.by.displayName} at ${last.at.replace('T', ' ').slice(0, 16)} UTC.`;
}
