import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ActionName, CaseEvidence, CaseState, OffboardingCase } from '../cases/case';
import type { CaseNotifier } from '../cases/case-notifier';
import type { OffboardingAction } from '../actions/offboarding-action';
import type { Graph } from '../m365/graph';
import { exchangeNotConnected, type ExchangeCalls } from '../m365/exchange';
import type { CaseStore, StepClaim } from '../store/case-store';
import type { Logger } from '../log';
import { runStep, type ScheduledStep } from './run-step';
import { DEFAULT_LEASE, StepLease, type LeaseTiming } from './step-lease';
import { DEFAULT_RETRY, type RetryPolicy } from './step-retry';

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
  /** Cases one sweep runs at the same time. */
  sweepConcurrency?: number;
}

const TERMINAL = ['succeeded', 'failed', 'skipped', 'manual'];
/** Conditional writes of a step's outcome retry on a fresh read when another write came first. */
const SAVE_ATTEMPTS = 20;
const SWEEP_LIMIT = 500;

/**
 * Executes approved cases whose cut-off has come. Each step is claimed from the store with a
 * lease before it runs (src/store: a unique-_id insert per lease term), renewed while it runs,
 * and recorded on the case afterwards; so instances sharing a store never run one step at once,
 * and a step whose instance died is taken over once its lease runs out. Steps re-plan from the
 * tenant before changing it, so a step re-run after a crash applies nothing twice.
 */
export class CaseRunner {
  private readonly inFlight = new Set<string>();
  readonly instanceId: string;

  constructor(private readonly deps: RunnerDeps) {
    this.instanceId = deps.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
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
    if (this.inFlight.has(caseId)) return null;
    this.inFlight.add(caseId);
    try {
      return await this.run(caseId);
    } finally {
      this.inFlight.delete(caseId);
    }
  }

  /** Picks up approved cases whose cut-off has come, and running ones (a dead instance's, or retries). */
  async sweep(): Promise<void> {
    const now = this.now().getTime();
    const due = (await this.deps.store.listCases(SWEEP_LIMIT)).filter(
      (c) => (c.state === 'approved' && Date.parse(c.notBefore) <= now) || c.state === 'running',
    );
    const queue = due.map((c) => c._id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        await this.execute(id).catch((err: Error) => this.deps.log.error('case.run_failed', { caseId: id, error: err.message }));
      }
    };
    await Promise.all(Array.from({ length: this.deps.sweepConcurrency ?? 8 }, worker));
  }

  private async run(caseId: string): Promise<OffboardingCase | null> {
    let c = await this.start(caseId);
    if (!c) return null;
    for (;;) {
      const index = c.steps.findIndex((s) => !TERMINAL.includes(s.status));
      if (index === -1) return this.close(c);
      const retryAt = (c.steps[index] as ScheduledStep).retryAt;
      if (retryAt && Date.parse(retryAt) > this.now().getTime()) return c;
      const next = await this.claimAndRunStep(c._id, index);
      if (!next) return (await this.deps.store.getCase(caseId)) ?? c;
      c = next;
    }
  }

  /** The case, moved from approved to running, if it is due; null when it is not to run now. */
  private async start(caseId: string): Promise<OffboardingCase | null> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return null;
    if (c.state === 'running') return c;
    if (c.state !== 'approved' || Date.parse(c.notBefore) > this.now().getTime()) return null;
    const running = await this.deps.store.updateCase(c._id, { version: c.version, states: ['approved'] }, { state: 'running' });
    if (running) {
      this.deps.log.info('case.running', { caseId, instance: this.instanceId });
      return running;
    }
    const current = await this.deps.store.getCase(caseId);
    return current?.state === 'running' ? current : null;
  }

  /** Runs step `index` under a lease; null when another instance has it (or took it over). */
  private async claimAndRunStep(caseId: string, index: number): Promise<OffboardingCase | null> {
    const claim = await this.claim(caseId, index);
    if (!claim) return null;
    const lease = new StepLease(claim, { store: this.deps.store, now: () => this.now(), timing: this.lease(), log: this.deps.log });
    lease.start();
    let recorded = false;
    try {
      // Read again under the claim: the step may have been finished by the previous holder.
      const c = await this.deps.store.getCase(caseId);
      if (!c || c.state !== 'running') return null;
      const step = c.steps[index];
      if (TERMINAL.includes(step.status)) {
        recorded = true;
        return c;
      }
      const started = await this.saveStep(caseId, index, { ...step, status: 'running', startedAt: step.startedAt ?? this.now().toISOString() });
      if (!started) return null;
      const result = await runStep(started, index, {
        graph: this.deps.graph,
        exchange: this.deps.exchange ?? exchangeNotConnected,
        action: this.deps.actions[step.action],
        lease,
        retry: this.deps.retry ?? DEFAULT_RETRY,
        now: () => this.now(),
      });
      // Recording the outcome is a write too: only a holder that can still renew may make it.
      if (result.kind === 'abandoned' || !(await lease.renew())) return null;
      this.logStep(caseId, result.step);
      const saved = await this.saveStep(caseId, index, result.step, result.evidence ? { evidence: result.evidence } : {});
      recorded = saved !== null;
      if (saved) await this.deps.notifier.caseChanged(saved).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId, error: err.message }));
      return saved;
    } finally {
      await lease.stop(recorded);
    }
  }

  private claim(caseId: string, index: number): Promise<StepClaim | null> {
    return this.deps.store.claimStep(caseId, index, this.instanceId, this.now(), this.lease().ms);
  }

  private lease(): LeaseTiming {
    return this.deps.lease ?? DEFAULT_LEASE;
  }

  private logStep(caseId: string, step: ScheduledStep): void {
    const fields = { caseId, action: step.action, status: step.status, requestIds: step.requestIds, instance: this.instanceId };
    if (step.status === 'failed') this.deps.log.error('step.failed', { ...fields, error: step.detail });
    else if (step.retryAt) this.deps.log.warn('step.retry_scheduled', { ...fields, retryAt: step.retryAt, error: step.detail });
    else this.deps.log.info('step.finished', fields);
  }

  /**
   * Writes step `index` onto the freshest copy of the case. Only the step's lease holder writes
   * its step, so merging onto a fresh read loses nothing; the version check catches the other writes.
   */
  private async saveStep(caseId: string, index: number, step: ScheduledStep, change: { evidence?: CaseEvidence } = {}): Promise<OffboardingCase | null> {
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const c = await this.deps.store.getCase(caseId);
      if (!c || c.state !== 'running') return null;
      const steps = c.steps.map((s, i) => (i === index ? step : s));
      const updated = await this.deps.store.updateCase(caseId, { version: c.version, states: ['running'] }, { ...change, steps });
      if (updated) return updated;
    }
    throw new Error(`case ${caseId} is changing too often to record step ${index}`);
  }

  /** Closes a case whose steps all ended; claimed like a step, so exactly one instance closes it. */
  private async close(c: OffboardingCase): Promise<OffboardingCase> {
    const claim = await this.claim(c._id, c.steps.length);
    if (!claim) return c;
    try {
      return (await this.closeClaimed(c._id)) ?? c;
    } finally {
      await this.deps.store.releaseStepClaim(claim);
    }
  }

  private async closeClaimed(caseId: string): Promise<OffboardingCase | null> {
    const c = await this.deps.store.getCase(caseId);
    if (!c || c.state !== 'running' || !c.steps.every((s) => TERMINAL.includes(s.status))) return c;
    const state: CaseState = c.steps.some((s) => s.status === 'failed') ? 'completed_with_failures' : 'completed';
    let closed = await this.deps.store.updateCase(c._id, { version: c.version, states: ['running'] }, { state });
    if (!closed) return this.deps.store.getCase(caseId);
    if (state === 'completed') await this.deps.store.releaseTarget(closed.target.id, closed._id);
    await this.deps.store.appendAudit({ caseId, at: this.now().toISOString(), actor: 'engine', event: `case.${state}`, detail: { steps: closed.steps.map((s) => ({ action: s.action, status: s.status })) } });
    this.deps.log.info(`case.${state}`, { caseId, instance: this.instanceId });
    try {
      const posted = await this.deps.notifier.caseFinished(closed);
      closed = (await this.deps.store.updateCase(closed._id, { version: closed.version, states: [state] }, { cards: { ...closed.cards, completion: posted } })) ?? closed;
    } catch (err) {
      this.deps.log.error('completion.post_failed', { caseId, error: (err as Error).message });
    }
    return closed;
  }
}
