import { randomUUID } from 'node:crypto';
import type { OffboardingCase, Person, PlanPreviewItem } from './case';
import { DeliveryError, type CaseNotifier } from './case-notifier';
import { parseDepartureForm } from './departure-form';
import { ApprovalDeadlines } from './approval-deadlines';
import { mayRequest, requiredApprovals, requiredOf, type PolicySettings } from './policy';
import { planSteps } from './plan';
import { requestWarnings } from './request-warnings';
import { mailboxDecisions } from '../actions/mailbox-decisions';
import { APP_READ_PERMISSIONS, describeNeed } from '../actions/required-permissions';
import type { Directory, DirectoryUser } from '../m365/directory';
import { isGuid } from '../m365/odata';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

export type LookupResult =
  /** `warnings`: what approvers will be told about the person, shown on the form before submitting. */
  | { kind: 'request'; target: DirectoryUser; warnings?: string[] }
  | { kind: 'pick'; matches: DirectoryUser[] }
  | { kind: 'refused'; message: string };

export type SubmitResult =
  | { kind: 'created'; case: OffboardingCase; deliveryProblem?: string }
  | { kind: 'invalid'; target: DirectoryUser; problem: string; warnings?: string[] }
  | { kind: 'refused'; message: string };

export interface RequestDeps {
  directory: Directory;
  store: CaseStore;
  notifier: CaseNotifier;
  policy: PolicySettings;
  log: Logger;
  /** Reads the concrete plan from the tenant (no writes), for approvers to see before deciding. */
  previewPlan?: (c: OffboardingCase) => Promise<PlanPreviewItem[]>;
  now?: () => Date;
}

const MAX_TYPED = 100;
/** How long a new case's own request has to post its approval cards before the sweep tries. */
const REPOST_AFTER_MS = 30_000;

/** From "offboard Jane" to a case awaiting security approval. */
export class OffboardingRequests {
  private readonly deadlines: ApprovalDeadlines;
  /** Cases whose cards this instance is posting from the sweep right now. */
  private readonly reposting = new Set<string>();

  constructor(private readonly deps: RequestDeps) {
    this.deadlines = new ApprovalDeadlines(deps);
  }

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
    return this.withWarnings(await this.check(requester, target));
  }

  /** The requester picked one person from a pick list: check them again from the directory. */
  async pick(requester: Person, targetId: unknown): Promise<LookupResult> {
    const target = await this.loadTarget(targetId);
    if (!target) return { kind: 'refused', message: 'That person is no longer in the directory.' };
    return this.withWarnings(await this.check(requester, target));
  }

  async submit(requester: Person, targetId: unknown, form: Record<string, unknown>): Promise<SubmitResult> {
    const target = await this.loadTarget(targetId);
    if (!target) return { kind: 'refused', message: 'That person is no longer in the directory.' };
    const checked = await this.check(requester, target);
    if (checked.kind !== 'request') return { kind: 'refused', message: (checked as { message: string }).message };
    // Read again: the account or the approvers group may have changed since the form was shown.
    const warnings = await this.warningsAbout(target);
    const now = this.now();
    const parsed = parseDepartureForm(form, now);
    if (!parsed.ok) return { kind: 'invalid', target, problem: parsed.problem, warnings };
    const delegateProblem = await this.delegateProblem(target, parsed.request);
    if (delegateProblem) return { kind: 'invalid', target, problem: delegateProblem, warnings };
    const required = await this.requiredFor(requester, target, parsed.request.departureType);
    if (!required.ok) return { kind: 'refused', message: required.reason };

    const c: OffboardingCase = {
      _id: randomUUID(),
      version: 1,
      state: 'awaiting_approval',
      target: { id: target.id, displayName: target.displayName, userPrincipalName: target.userPrincipalName, mail: target.mail, manager: target.manager },
      requester,
      request: parsed.request,
      notBefore: parsed.notBefore,
      decisions: [],
      requiredApprovals: required.required,
      approvals: { security: [] },
      steps: planSteps(),
      cards: {},
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    if (this.deps.previewPlan) c.planPreview = await this.deps.previewPlan(c);
    if (warnings.length > 0) c.personRisks = warnings;
    if ((await this.deps.store.createCase(c)) === 'target_has_open_case') {
      return { kind: 'refused', message: `${target.displayName} already has an open offboarding case.` };
    }
    await this.deps.store.appendAudit({ caseId: c._id, at: now.toISOString(), actor: requester.id, event: 'case.requested', detail: { targetId: target.id, departureType: c.request.departureType, required: required.required } });
    this.deps.log.info('case.requested', { caseId: c._id, targetId: target.id, requesterId: requester.id });
    return this.postForApproval(c);
  }

  /**
   * The periodic approval sweep: posts approval cards that could not be posted before (app not yet
   * in the team, manager never talked to the bot, Teams down), then reminds, escalates and expires.
   */
  async postMissingApprovalCards(): Promise<void> {
    // A fresh request posts its own cards while the requester waits: leave those to it.
    const settled = this.now().getTime() - REPOST_AFTER_MS;
    const waiting = (await this.deps.store.listCasesInStates(['awaiting_approval'], 'createdAt', 500)).filter(
      (c) => missingCard(c) && Date.parse(c.createdAt) < settled,
    );
    for (const listed of waiting) {
      if (this.reposting.has(listed._id)) continue;
      this.reposting.add(listed._id);
      try {
        // The list may be stale: an approval or the request itself may have moved the case since.
        const c = await this.deps.store.getCase(listed._id);
        if (c && c.state === 'awaiting_approval' && missingCard(c)) await this.postForApproval(c);
      } finally {
        this.reposting.delete(listed._id);
      }
    }
    await this.deadlines.sweep();
  }

  private async postForApproval(c: OffboardingCase): Promise<SubmitResult> {
    // The manager's card first, so the Security channel card can say if the manager is unreachable.
    const current = await this.postManagerCard(c);
    if (current.cards.securityApproval) {
      // Only a change (the manager's card now posted, or a new reason) needs the cards redrawn.
      if (current !== c) await this.deps.notifier.caseChanged(current).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId: c._id, error: err.message }));
      return { kind: 'created', case: current };
    }
    try {
      const posted = await this.deps.notifier.requestSecurityApproval(current);
      const updated = await this.deps.store.updateCase(c._id, { version: current.version, states: ['awaiting_approval'] }, { cards: { ...current.cards, securityApproval: posted } });
      this.deps.log.info('approval.posted', { caseId: c._id });
      return { kind: 'created', case: updated ?? current };
    } catch (err) {
      // The case is kept: it waits for approval; the card can be posted again once fixed.
      const message = err instanceof DeliveryError ? err.message : 'The approval card could not be posted to the Security channel.';
      this.deps.log.error('approval.post_failed', { caseId: c._id, error: (err as Error).message });
      return { kind: 'created', case: current, deliveryProblem: message };
    }
  }

  /** Sends the manager their approval card; when they cannot be reached, records why on the case. */
  private async postManagerCard(c: OffboardingCase): Promise<OffboardingCase> {
    if (!needsManagerCard(c)) return c;
    let change: Partial<OffboardingCase>;
    try {
      if (!this.deps.notifier.requestManagerApproval) throw new DeliveryError('This installation cannot send approval cards to managers.');
      const posted = await this.deps.notifier.requestManagerApproval(c);
      change = { cards: { ...c.cards, managerApproval: posted }, managerUnreachable: undefined };
      this.deps.log.info('approval.manager_posted', { caseId: c._id });
    } catch (err) {
      const why = err instanceof DeliveryError ? err.message : 'The approval card could not be sent to the manager.';
      if (why === c.managerUnreachable) return c;
      change = { managerUnreachable: why };
      this.deps.log.warn('approval.manager_unreachable', { caseId: c._id, error: (err as Error).message });
      await this.deps.store.appendAudit({ caseId: c._id, at: this.now().toISOString(), actor: 'system', event: 'approval.manager_unreachable', detail: { reason: why } });
    }
    return (await this.deps.store.updateCase(c._id, { version: c.version, states: ['awaiting_approval'] }, change)) ?? c;
  }

  /**
   * Why the chosen mailbox delegate cannot have the mailbox, or undefined: they must be an enabled
   * person of this tenant (Exchange grants FullAccess only to its own recipients), and not the
   * person leaving. Caught here, on the form, rather than as an Exchange error after approval.
   */
  private async delegateProblem(target: DirectoryUser, request: OffboardingCase['request']): Promise<string | undefined> {
    const { delegate } = mailboxDecisions(request);
    if (!delegate) return undefined;
    const same = (a: string | undefined) => a?.toLowerCase() === delegate.toLowerCase();
    const person = (await this.deps.directory.findPeople(delegate)).find((p) => same(p.mail) || same(p.userPrincipalName));
    if (!person) return `Nobody in this organisation has the address ${delegate}: give the delegate as a colleague's email address, leave it empty for the manager, or type "none".`;
    if (person.id.toLowerCase() === target.id.toLowerCase()) return `${delegate} is ${target.displayName}, who is leaving: give someone else the mailbox.`;
    if (person.accountEnabled === false) return `${person.displayName}'s account is disabled, so they cannot open the mailbox: give someone else.`;
    return undefined;
  }

  /** The approvals this request needs; a Global Administrator without an approver group is refused. */
  private async requiredFor(requester: Person, target: DirectoryUser, departureType: OffboardingCase['request']['departureType']) {
    let roleIds: string[];
    try {
      roleIds = await this.deps.directory.directoryRoleIdsOf(target.id);
    } catch (err) {
      // Fail closed: without the roles, the number of approvers cannot be decided.
      this.deps.log.error('roles.read_failed', { targetId: target.id, error: (err as Error).message });
      return { ok: false as const, reason: `${target.displayName}'s directory roles could not be read, so the approvals this needs are unknown. Try again later, or ask IT to check that the app has ${describeNeed(APP_READ_PERMISSIONS.approvalsNeeded)}.` };
    }
    return requiredApprovals(requester, target, departureType, roleIds, this.deps.policy);
  }

  /** The request form says, before anything is submitted, what approvers will be told about the person. */
  private async withWarnings(result: LookupResult): Promise<LookupResult> {
    if (result.kind !== 'request') return result;
    return { ...result, warnings: await this.warningsAbout(result.target) };
  }

  private warningsAbout(target: DirectoryUser): Promise<string[]> {
    return requestWarnings(target, { store: this.deps.store, groups: this.deps.directory, policy: this.deps.policy, log: this.deps.log });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private async loadTarget(targetId: unknown): Promise<DirectoryUser | null> {
    if (typeof targetId !== 'string' || !isGuid(targetId)) return null;
    return this.deps.directory.getUser(targetId);
  }

  private async check(requester: Person, target: DirectoryUser): Promise<LookupResult> {
    const answer = await mayRequest(requester, target, this.deps.policy, this.deps.directory);
    if (!answer.allowed) {
      // No case exists yet to audit into: the log keeps who was refused (a disabled account, say).
      this.deps.log.warn('request.denied', { requesterId: requester.id, targetId: target.id, reason: answer.reason });
      return { kind: 'refused', message: answer.reason };
    }
    const open = await this.deps.store.findOpenCaseFor(target.id);
    if (open) return { kind: 'refused', message: `${target.displayName} already has an open offboarding case (case ${open._id}, requested by ${open.requester.displayName}, ${open.state.replace(/_/g, ' ')}).` };
    return { kind: 'request', target };
  }
}

const needsManagerCard = (c: OffboardingCase) => !!requiredOf(c).manager && !c.approvals?.manager && !c.cards.managerApproval;
const missingCard = (c: OffboardingCase) => !c.cards.securityApproval || needsManagerCard(c);
