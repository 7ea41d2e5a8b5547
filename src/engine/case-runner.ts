import type { ActionName, CaseState, OffboardingCase, Step } from '../cases/case';
import type { CaseNotifier } from '../cases/case-notifier';
import type { OffboardingAction } from '../actions/offboarding-action';
import type { Graph } from '../m365/graph';
import { M365Error } from '../m365/m365-error';
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
      const outcome = await this.runStep(current, step);
      current = await this.saveStep(current, i, { ...outcome, finishedAt: this.now().toISOString() });
      await this.deps.notifier.caseChanged(current).catch((err: Error) => this.deps.log.warn('card.update_failed', { caseId, error: err.message }));
    }
    return this.close(current);
  }

  private async runStep(c: OffboardingCase, step: Step): Promise<Pick<Step, 'status' | 'detail' | 'requestIds'>> {
    const action = this.deps.actions[step.action];
    try {
      const outcome = await action.run({ graph: this.deps.graph, target: c.target });
      this.deps.log.info('step.finished', { caseId: c._id, action: step.action, status: outcome.status, requestIds: outcome.requestIds });
      return { status: outcome.status, detail: outcome.detail, requestIds: [...step.requestIds, ...outcome.requestIds] };
    } catch (err) {
      const detail =
        err instanceof M365Error
          ? `${err.message} (${err.code}, HTTP ${err.status}${err.requestId ? `, request-id ${err.requestId}` : ''})`
          : `Unexpected error: ${(err as Error).message}`;
      this.deps.log.error('step.failed', { caseId: c._id, action: step.action, error: detail });
      const requestIds = err instanceof M365Error && err.requestId ? [...step.requestIds, err.requestId] : step.requestIds;
      return { status: 'failed', detail, requestIds };
    }
  }

  private async saveStep(c: OffboardingCase, index: number, change: Partial<Step>): Promise<OffboardingCase> {
    const steps = c.steps.map((s, i) => (i === index ? { ...s, ...change } : s));
    const updated = await this.deps.store.updateCase(c._id, { version: c.version, states: ['running'] }, { steps });
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
