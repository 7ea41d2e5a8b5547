import type { ActionName, CaseEvidence, CaseState, OffboardingCase, Step } from '../cases/case';
import type { CaseNotifier } from '../cases/case-notifier';
import type { OffboardingAction } from '../actions/offboarding-action';
import { describeError } from '../actions/describe-error';
import { runAction } from '../actions/run-action';
import type { Graph } from '../m365/graph';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

export interface RunnerDeps {
  store: CaseStore;
  graph: Graph;
  notifier: CaseNotifier;
  actions: Record<ActionName, OffboardingAction>;
  log: Logger;
  now?: () => Date;
}

/**
 * Executes approved cases: claims the case with a conditional update (so two instances or two
 * triggers never run it twice), runs each step in order, stores every outcome as it lands, and
 * closes the case. Only a case with no failed step is "completed".
 */
export class CaseRunner {
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: RunnerDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Runs the case if it is approved and its cut-off has come; otherwise does nothing. */
  async execute(caseId: string): Promise<OffboardingCase | null> {
    if (this.inFlight.has(caseId)) return null;
    this.inFlight.add(caseId);
    try {
      return await this.claimAndRun(caseId);
    } finally {
      this.inFlight.delete(caseId);
    }
  }

  /** Picks up approved cases whose cut-off has come, and cases a crash left running. */
  async sweep(): Promise<void> {
    const cases = await this.deps.store.listCases(500);
    const due = cases.filter(
      (c) => (c.state === 'approved' && Date.parse(c.notBefore) <= this.now().getTime()) || c.state === 'running',
    );
    for (const c of due) await this.execute(c._id);
  }

  private async claimAndRun(caseId: string): Promise<OffboardingCase | null> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return null;
    const due = c.state === 'running' || (c.state === 'approved' && Date.parse(c.notBefore) <= this.now().getTime());
    if (!due) return null;
    let current = await this.deps.store.updateCase(c._id, { version: c.version, states: ['approved', 'running'] }, { state: 'running' });
    if (!current) return null;
    this.deps.log.info('case.running', { caseId });

    for (let i = 0; i < current.steps.length; i++) {
      const step = current.steps[i];
      if (step.status !== 'pending' && step.status !== 'running') continue;
      current = await this.saveStep(current, i, { status: 'running', startedAt: this.now().toISOString() });
      const { evidence, ...outcome } = await this.runStep(current, step);
      current = await this.saveStep(current, i, { ...outcome, finishedAt: this.now().toISOString() }, evidence ? { evidence } : {});
      await this.deps.notifier.caseChanged(current).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId, error: err.message }));
    }
    return this.close(current);
  }

  private async runStep(c: OffboardingCase, step: Step): Promise<Pick<Step, 'status' | 'detail' | 'requestIds'> & { evidence?: CaseEvidence }> {
    const action = this.deps.actions[step.action];
    // The first step's start is when this case began changing the tenant; actions use it to tell
    // their own earlier changes (a resumed or repeated run) from older ones.
    const started = c.steps.map((s) => s.startedAt).filter((t): t is string => t !== undefined).sort()[0];
    try {
      const outcome = await runAction(action, {
        graph: this.deps.graph,
        target: c.target,
        caseId: c._id,
        request: c.request,
        since: started ?? this.now().toISOString(),
        evidence: c.evidence,
      });
      this.deps.log.info('step.finished', { caseId: c._id, action: step.action, status: outcome.status, requestIds: outcome.requestIds });
      if (outcome.status === 'failed') this.deps.log.error('step.failed', { caseId: c._id, action: step.action, error: outcome.detail });
      return { status: outcome.status, detail: outcome.detail, requestIds: [...step.requestIds, ...outcome.requestIds], evidence: outcome.evidence };
    } catch (err) {
      const detail = describeError(err);
      this.deps.log.error('step.failed', { caseId: c._id, action: step.action, error: detail });
      return { status: 'failed', detail, requestIds: step.requestIds };
    }
  }

  private async saveStep(c: OffboardingCase, index: number, change: Partial<Step>, caseChange: Pick<OffboardingCase, 'evidence'> = {}): Promise<OffboardingCase> {
    const steps = c.steps.map((s, i) => (i === index ? { ...s, ...change } : s));
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: ['running'] }, { ...caseChange, steps });
    if (!updated) throw new Error(`case ${c._id} changed while running; another runner took it over`);
    return updated;
  }

  private async close(c: OffboardingCase): Promise<OffboardingCase> {
    const failed = c.steps.some((s) => s.status === 'failed');
    const state: CaseState = failed ? 'completed_with_failures' : 'completed';
    let closed = await this.deps.store.updateCase(c._id, { version: c.version, states: ['running'] }, { state });
    if (!closed) throw new Error(`case ${c._id} changed while closing`);
    if (state === 'completed') await this.deps.store.releaseTarget(closed.target.id, closed._id);
    await this.deps.store.appendAudit({ caseId: c._id, at: this.now().toISOString(), actor: 'engine', event: `case.${state}`, detail: { steps: closed.steps.map((s) => ({ action: s.action, status: s.status })) } });
    this.deps.log.info(`case.${state}`, { caseId: c._id });
    try {
      const posted = await this.deps.notifier.caseFinished(closed);
      closed = (await this.deps.store.updateCase(closed._id, { version: closed.version, states: [state] }, { cards: { ...closed.cards, completion: posted } })) ?? closed;
    } catch (err) {
      this.deps.log.error('completion.post_failed', { caseId: c._id, error: (err as Error).message });
    }
    return closed;
  }
}
