import { randomUUID } from 'node:crypto';
import type { OffboardingCase, Person } from './case';
import { DeliveryError, type CaseNotifier } from './case-notifier';
import { parseDepartureForm } from './departure-form';
import { mayRequest, type PolicySettings } from './policy';
import { planSteps } from './plan';
import type { Directory, DirectoryUser } from '../m365/directory';
import { isGuid } from '../m365/odata';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

export type LookupResult =
  | { kind: 'request'; target: DirectoryUser }
  | { kind: 'pick'; matches: DirectoryUser[] }
  | { kind: 'refused'; message: string };

export type SubmitResult =
  | { kind: 'created'; case: OffboardingCase; deliveryProblem?: string }
  | { kind: 'invalid'; target: DirectoryUser; problem: string }
  | { kind: 'refused'; message: string };

export interface RequestDeps {
  directory: Directory;
  store: CaseStore;
  notifier: CaseNotifier;
  policy: PolicySettings;
  log: Logger;
  now?: () => Date;
}

const MAX_TYPED = 100;

/** From "offboard Jane" to a case awaiting security approval. */
export class OffboardingRequests {
  constructor(private readonly deps: RequestDeps) {}

  /** Resolves what the requester typed to one person they may offboard, a pick list, or a reason. */
  async lookUp(requester: Person, typed: string): Promise<LookupResult> {
    const query = typed.trim();
    if (!query) return { kind: 'refused', message: 'Say who is leaving, for example: offboard Jane Doe' };
    if (query.length > MAX_TYPED) return { kind: 'refused', message: 'That name is too long to be a person.' };
    const matches = await this.deps.directory.findPeople(query);
    if (matches.length === 0) {
      return { kind: 'refused', message: `No one in the directory matches "${query}". Check the spelling, or use their email address.` };
    }
    if (matches.length > 1) return { kind: 'pick', matches };
    // Search results carry no manager; read the person in full before deciding.
    const target = await this.deps.directory.getUser(matches[0].id);
    if (!target) return { kind: 'refused', message: 'That person is no longer in the directory.' };
    return this.check(requester, target);
  }

  /** The requester picked one person from a pick list: check them again from the directory. */
  async pick(requester: Person, targetId: unknown): Promise<LookupResult> {
    const target = await this.loadTarget(targetId);
    if (!target) return { kind: 'refused', message: 'That person is no longer in the directory.' };
    return this.check(requester, target);
  }

  async submit(requester: Person, targetId: unknown, form: Record<string, unknown>): Promise<SubmitResult> {
    const target = await this.loadTarget(targetId);
    if (!target) return { kind: 'refused', message: 'That person is no longer in the directory.' };
    const checked = await this.check(requester, target);
    if (checked.kind !== 'request') return { kind: 'refused', message: (checked as { message: string }).message };
    const now = (this.deps.now ?? (() => new Date()))();
    const parsed = parseDepartureForm(form, now);
    if (!parsed.ok) return { kind: 'invalid', target, problem: parsed.problem };

    const c: OffboardingCase = {
      _id: randomUUID(),
      version: 1,
      state: 'awaiting_approval',
      target: { id: target.id, displayName: target.displayName, userPrincipalName: target.userPrincipalName, mail: target.mail, manager: target.manager },
      requester,
      request: parsed.request,
      notBefore: parsed.notBefore,
      decisions: [],
      steps: planSteps(),
      cards: {},
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    if ((await this.deps.store.createCase(c)) === 'target_has_open_case') {
      return { kind: 'refused', message: `${target.displayName} already has an open offboarding case.` };
    }
    await this.deps.store.appendAudit({ caseId: c._id, at: now.toISOString(), actor: requester.id, event: 'case.requested', detail: { targetId: target.id, departureType: c.request.departureType } });
    this.deps.log.info('case.requested', { caseId: c._id, targetId: target.id, requesterId: requester.id });
    return this.postForApproval(c);
  }

  /** Keeps where the requester's status card is, so it can be updated as the case moves. */
  async rememberRequesterCard(caseId: string, conversationId: string, activityId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const c = await this.deps.store.getCase(caseId);
      if (!c) return;
      const updated = await this.deps.store.updateCase(caseId, { version: c.version, states: [c.state] }, { cards: { ...c.cards, requesterStatus: { conversationId, activityId } } });
      if (updated) return;
    }
    this.deps.log.warn('status_card.not_remembered', { caseId });
  }

  /** Posts approval cards that could not be posted before (app not yet in the team, Teams down). */
  async postMissingApprovalCards(): Promise<void> {
    const waiting = (await this.deps.store.listCases(500)).filter((c) => c.state === 'awaiting_approval' && !c.cards.securityApproval);
    for (const c of waiting) await this.postForApproval(c);
  }

  private async postForApproval(c: OffboardingCase): Promise<SubmitResult> {
    try {
      const posted = await this.deps.notifier.requestSecurityApproval(c);
      const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: ['awaiting_approval'] }, { cards: { ...c.cards, securityApproval: posted } });
      this.deps.log.info('approval.posted', { caseId: c._id });
      return { kind: 'created', case: updated ?? c };
    } catch (err) {
      // The case is kept: it waits for approval; the card can be posted again once fixed.
      const message = err instanceof DeliveryError ? err.message : 'The approval card could not be posted to the Security channel.';
      this.deps.log.error('approval.post_failed', { caseId: c._id, error: (err as Error).message });
      return { kind: 'created', case: c, deliveryProblem: message };
    }
  }

  private async loadTarget(targetId: unknown): Promise<DirectoryUser | null> {
    if (typeof targetId !== 'string' || !isGuid(targetId)) return null;
    return this.deps.directory.getUser(targetId);
  }

  private async check(requester: Person, target: DirectoryUser): Promise<LookupResult> {
    const answer = await mayRequest(requester, target, this.deps.policy, this.deps.directory);
    if (!answer.allowed) return { kind: 'refused', message: answer.reason };
    const open = await this.deps.store.findOpenCaseFor(target.id);
    if (open) return { kind: 'refused', message: `${target.displayName} already has an open offboarding case (requested by ${open.requester.displayName}, ${open.state.replace('_', ' ')}).` };
    return { kind: 'request', target };
  }
}
