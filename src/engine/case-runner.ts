import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ActionName, CaseState, OffboardingCase, Person } from '../cases/case';
import type { CaseNotifier } from '../cases/case-notifier';
import type { ActionPolicy, OffboardingAction } from '../actions/offboarding-action';
import { AuditLogReader, type AuditLogReaderOptions, type LogReads } from '../m365/audit-log-reader';
import type { Graph } from '../m365/graph';
import { exchangeNotConnected, type ExchangeCalls } from '../m365/exchange';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';
import { ConcurrencyLimit } from '../concurrency-limit';
import { FollowUpRunner, type FollowUpCancellation } from './follow-ups/follow-up-runner';
import { DEFAULT_FOLLOW_UPS, nextFollowUpAt, scheduleFollowUps, type FollowUpSettings } from './follow-ups/follow-up-schedule';
import { claimSlot, runLeasedStep, TERMINAL, type LeasedStepDeps, type StepSlot } from './leased-step';
import { isDue, type ScheduledStep } from './run-step';
import { DEFAULT_LEASE, releaseClaim, type LeaseTiming } from './step-lease';
import { DEFAULT_RETRY, type RetryPolicy } from './step-retry';
import type { ServicePacers } from './service-pacers';
import { stepRank } from './step-rank';

export interface RunnerDeps {
  store: CaseStore;
  graph: Graph;
  /** Exchange Online admin REST; without it, mailbox steps are left to a person. */
  exchange?: ExchangeCalls;
  notifier: CaseNotifier;
  actions: Record<ActionName, OffboardingAction>;
  log: Logger;
  now?: () => Date;
  /** Names this instance in step claims; unique per process by default. */
  instanceId?: string;
  lease?: LeaseTiming;
  retry?: RetryPolicy;
  /**
   * Cases this instance runs a step of at the same time, however they were started; the others
   * wait their turn, containment first (step-rank.ts).
   */
  sweepConcurrency?: number;
  /**
   * Paces the Graph calls of all the cases this instance runs, per service (service-pacers.ts).
   * The Graph client should then leave 429s to them (Graph.connect retryThrottled: false).
   */
  pacers?: ServicePacers;
  /** When follow-ups fall due; a review after 30 days and no deletion by default. */
  followUps?: FollowUpSettings;
  /** Tenant settings handed to every action (e.g. the Conditional Access block group). */
  actionPolicy?: ActionPolicy;
  /**
   * Reads the evidence's sign-in and audit logs for the cases running at once, several users per
   * query; by default one over `graph`, at the reports pace when there are pacers.
   */
  auditLogs?: AuditLogReader;
  /** Settings of that default reader (e.g. how far back it looks). */
  auditLogOptions?: AuditLogReaderOptions;
}

const CLOSED: readonly CaseState[] = ['completed', 'completed_with_failures'];
const SWEEP_LIMIT = 500;

/**
 * Executes approved cases whose cut-off has come. Each step is claimed from the store with a
 * lease before it runs (src/store: a unique-_id insert per lease term), renewed while it runs,
 * and recorded on the case afterwards; so instances sharing a store never run one step at once,
 * and a step whose instance died is taken over once its lease runs out. Steps re-plan from the
 * tenant before changing it, so a step re-run after a crash applies nothing twice.
 */
export class CaseRunner {
  /** The cases this instance is running or has waiting for a slot, by id. */
  private readonly inFlight = new Map<string, Promise<OffboardingCase | null>>();
  private stopping = false;
  private readonly slots: ConcurrencyLimit;
  readonly instanceId: string;
  private readonly leased: LeasedStepDeps;
  private readonly followUps: FollowUpRunner;
  /** Counts the cases as they come to this instance: the earlier case goes first among equals. */
  private arrivals = 0;

  constructor(private readonly deps: RunnerDeps) {
    this.instanceId = deps.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leased = {
      store: deps.store,
      graph: deps.graph,
      exchange: deps.exchange ?? exchangeNotConnected,
      notifier: deps.notifier,
      log: deps.log,
      now: () => this.now(),
      instanceId: this.instanceId,
      lease: deps.lease ?? DEFAULT_LEASE,
      retry: deps.retry ?? DEFAULT_RETRY,
      pacers: deps.pacers,
      actionPolicy: deps.actionPolicy,
      auditLogs: deps.auditLogs ?? new AuditLogReader(pacedReads(deps.graph, deps.pacers), { now: () => this.now(), ...deps.auditLogOptions }),
    };
    this.followUps = new FollowUpRunner(this.leased);
    this.slots = new ConcurrencyLimit(deps.sweepConcurrency ?? 8);
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /**
   * Runs the case as far as it can go now: nothing before its cut-off or while another instance
   * holds its current step; a step waiting to retry stops it until the next sweep after `retryAt`.
   * Returns the case as this call left it, or null when there was nothing to do.
   */
  async execute(caseId: string): Promise<OffboardingCase | null> {
    if (this.stopping || this.inFlight.has(caseId)) return null;
    const running = this.run(caseId, ++this.arrivals);
    this.inFlight.set(caseId, running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(caseId);
    }
  }

  /**
   * For a graceful shutdown: takes no more cases and waits (at most `waitMs`) for each running
   * case to finish the step it is in. The cases stay running, and the next sweep of any instance
   * goes on from the next step; a step still unfinished after `waitMs` is taken over once its lease
   * runs out, as after a crash.
   */
  async stop(waitMs: number): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), patience]);
    clearTimeout(timer);
  }

  /**
   * Picks up approved cases whose cut-off has come, running ones (a dead instance's, or retries),
   * and closed ones with a follow-up due.
   */
  async sweep(): Promise<void> {
    const now = this.now();
    // Oldest cut-off first: a running case started after its cut-off, so what is due leads the page.
    const due = (await this.deps.store.listCasesInStates(['approved', 'running'], 'notBefore', SWEEP_LIMIT)).filter(
      (c) => (c.state === 'approved' && Date.parse(c.notBefore) <= now.getTime()) || c.state === 'running',
    );
    const followUps = await this.deps.store.listCasesWithFollowUpsDue(now, SWEEP_LIMIT);
    const queue = [...new Set([...due, ...followUps].map((c) => c._id))];
    // Every case waits for a slot in execute(), so starting them all keeps the bound.
    await Promise.all(queue.map((id) => this.execute(id).catch((err: Error) => this.deps.log.error('case.run_failed', { caseId: id, error: err.message }))));
  }

  /**
   * Holds one of the instance's slots while it runs, but gives it up between steps to waiting work
   * that outranks its next step, so other cases' containment goes ahead of its hand-over
   * (step-rank.ts).
   */
  private async run(caseId: string, arrival: number): Promise<OffboardingCase | null> {
    // A read is short, and what the case needs next is not known before it: it goes first.
    const slot = await this.slots.acquire([]);
    try {
      const current = this.stopping ? null : await this.deps.store.getCase(caseId);
      if (!current) return null;
      if (CLOSED.includes(current.state)) {
        await slot.turn(stepRank(current, 'followUps', arrival));
        return this.stopping ? null : await this.followUps.runDue(current);
      }
      await slot.turn(stepRank(current, current.steps.find((s) => !TERMINAL.includes(s.status))?.action ?? 'close', arrival));
      const started = this.stopping ? null : await this.start(current);
      if (!started) return null;
      let c: OffboardingCase = started;
      for (;;) {
        const index = c.steps.findIndex((s) => !TERMINAL.includes(s.status));
        await slot.turn(stepRank(c, index === -1 ? 'close' : c.steps[index].action, arrival));
        if (index === -1) return this.close(c);
        if (!isDue(c.steps[index], this.now()) || this.stopping) return c;
        const next: OffboardingCase | null = await runLeasedStep(this.leased, c._id, this.stepSlot(c, index));
        if (!next) return (await this.deps.store.getCase(caseId)) ?? c;
        c = next;
      }
    } finally {
      slot.release();
    }
  }

  /** The case, moved from approved to running, if it is due; null when it is not to run now. */
  private async start(c: OffboardingCase | null): Promise<OffboardingCase | null> {
    if (!c) return null;
    if (c.state === 'running') return c;
    if (c.state !== 'approved' || Date.parse(c.notBefore) > this.now().getTime()) return null;
    const running = await this.deps.store.updateCase(c._id, { version: c.version, states: ['approved'] }, { state: 'running' });
    if (running) {
      this.deps.log.info('case.running', { caseId: c._id, instance: this.instanceId });
      await this.cardsChanged(running);
      return running;
    }
    const current = await this.deps.store.getCase(c._id);
    return current?.state === 'running' ? current : null;
  }

  private stepSlot(c: OffboardingCase, index: number): StepSlot<ScheduledStep> {
    return {
      claimIndex: index,
      states: ['running'],
      read: (fresh) => fresh.steps[index],
      write: (fresh, step) => ({ steps: fresh.steps.map((s, i) => (i === index ? step : s)) }),
      action: this.deps.actions[c.steps[index].action],
    };
  }

  /**
   * Calls off a case's pending follow-ups (delegate removal, review reminder, deletion); one an
   * instance is running right now is left to finish and reported busy.
   */
  cancelFollowUps(caseId: string, by: Person, reason: string): Promise<FollowUpCancellation> {
    return this.followUps.cancel(caseId, by, reason);
  }

  /** Closes a case whose steps all ended; claimed like a step, so exactly one instance closes it. */
  private async close(c: OffboardingCase): Promise<OffboardingCase> {
    const claim = await claimSlot(this.leased, c._id, c.steps.length);
    if (!claim) return c;
    try {
      return (await this.closeClaimed(c._id)) ?? c;
    } finally {
      await releaseClaim(this.leased, claim);
    }
  }

  private async closeClaimed(caseId: string): Promise<OffboardingCase | null> {
    const c = await this.deps.store.getCase(caseId);
    if (!c || c.state !== 'running' || !c.steps.every((s) => TERMINAL.includes(s.status))) return c;
    const state: CaseState = c.steps.some((s) => s.status === 'failed') ? 'completed_with_failures' : 'completed';
    const followUps = scheduleFollowUps(c, state, this.now(), this.deps.followUps ?? DEFAULT_FOLLOW_UPS);
    let closed = await this.deps.store.updateCase(c._id, { version: c.version, states: ['running'] }, { state, followUps, nextFollowUpAt: nextFollowUpAt(followUps) });
    if (!closed) return this.deps.store.getCase(caseId);
    if (state === 'completed') await this.deps.store.releaseTarget(closed.target.id, closed._id);
    await this.deps.store.appendAudit({ caseId, at: this.now().toISOString(), actor: 'engine', event: `case.${state}`, detail: { steps: closed.steps.map((s) => ({ action: s.action, status: s.status })), followUps: followUps.map((f) => ({ action: f.action, notBefore: f.notBefore })) } });
    this.deps.log.info(`case.${state}`, { caseId, instance: this.instanceId });
    try {
      const posted = await this.deps.notifier.caseFinished(closed);
      closed = (await this.deps.store.updateCase(closed._id, { version: closed.version, states: [state] }, { cards: { ...closed.cards, completion: posted } })) ?? closed;
    } catch (err) {
      this.deps.log.error('completion.post_failed', { caseId, error: (err as Error).message });
    }
    // The approval cards and the requester's status end on the outcome, not on the last step.
    await this.cardsChanged(closed);
    return closed;
  }

  private cardsChanged(c: OffboardingCase): Promise<void> {
    return this.deps.notifier.caseChanged(c).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId: c._id, error: err.message }));
  }
}

/** Reads that wait their turn with the reports pacer, which also waits out the reports' 429s. */
function pacedReads(graph: Graph, pacers: ServicePacers | undefined): LogReads {
  return { get: (path) => (pacers ? pacers.send(path, 'read', () => graph.get(path)) : graph.get(path)) };
}
