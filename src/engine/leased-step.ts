import type { CaseEvidence, CaseState, OffboardingCase } from '../cases/case';
import type { CaseNotifier } from '../cases/case-notifier';
import type { ActionPolicy } from '../actions/offboarding-action';
import type { AuditLogReader } from '../m365/audit-log-reader';
import type { Graph } from '../m365/graph';
import type { ExchangeCalls } from '../m365/exchange';
import type { CaseStore, StepClaim } from '../store/case-store';
import type { Logger } from '../log';
import { runStep, type NamedAction, type RunnableStep } from './run-step';
import { StepLease, type LeaseTiming } from './step-lease';
import type { RetryPolicy } from './step-retry';
import type { ServicePacers } from './service-pacers';

export const TERMINAL = ['succeeded', 'failed', 'skipped', 'manual'];
/** Conditional writes of a step's outcome retry on a fresh read when another write came first. */
const SAVE_ATTEMPTS = 20;

type CaseChanges = Parameters<CaseStore['updateCase']>[2];

/**
 * Where one step lives on the case: an immediate step in `steps`, or a follow-up. The engine
 * claims, runs and records both the same way; only where they are read and written differs.
 */
export interface StepSlot<S extends RunnableStep> {
  /** The index the step's lease is claimed under (src/store claimStep). */
  claimIndex: number;
  /** Case states in which the step may run and its outcome be recorded. */
  states: readonly CaseState[];
  read(c: OffboardingCase): S | undefined;
  /** The update that stores `step` on a fresh copy `c` of the case. */
  write(c: OffboardingCase, step: S): CaseChanges;
  /** A step's action, or a follow-up's under the follow-up's name. */
  action: NamedAction;
  /** Called once this holder has recorded the step's outcome. */
  recorded?(c: OffboardingCase, step: S): Promise<void>;
}

export interface LeasedStepDeps {
  store: CaseStore;
  graph: Graph;
  exchange: ExchangeCalls;
  notifier: CaseNotifier;
  log: Logger;
  now: () => Date;
  instanceId: string;
  lease: LeaseTiming;
  retry: RetryPolicy;
  pacers?: ServicePacers;
  /** Tenant settings handed to every action (e.g. the Conditional Access block group). */
  actionPolicy?: ActionPolicy;
  /** The instance's reader of sign-in and audit logs, shared by its cases' evidence steps. */
  auditLogs?: AuditLogReader;
}

/**
 * Runs one step under a lease; null when another instance has it (or took it over). The lease is
 * renewed while the step runs, and only a holder that can still renew records the outcome.
 */
export async function runLeasedStep<S extends RunnableStep>(deps: LeasedStepDeps, caseId: string, slot: StepSlot<S>): Promise<OffboardingCase | null> {
  const claim = await claimSlot(deps, caseId, slot.claimIndex);
  if (!claim) return null;
  const lease = new StepLease(claim, { store: deps.store, now: deps.now, timing: deps.lease, log: deps.log });
  lease.start();
  let recorded = false;
  try {
    // Read again under the claim: the step may have been finished by the previous holder.
    const c = await deps.store.getCase(caseId);
    const step = c && slot.states.includes(c.state) ? slot.read(c) : undefined;
    if (!c || !step) return null;
    if (TERMINAL.includes(step.status)) {
      recorded = true;
      return c;
    }
    const started = await saveStep(deps, caseId, slot, { ...step, status: 'running', startedAt: step.startedAt ?? deps.now().toISOString() });
    if (!started) return null;
    const result = await runStep(started, slot.read(started) as S, { ...deps, action: slot.action, lease });
    // Recording the outcome is a write too: only a holder that can still renew may make it.
    if (result.kind === 'abandoned' || !(await lease.renew())) return null;
    logStep(deps, caseId, result.step);
    const saved = await saveStep(deps, caseId, slot, result.step, result.evidence ? { evidence: result.evidence } : {});
    recorded = saved !== null;
    if (saved) await slot.recorded?.(saved, result.step);
    if (saved) await deps.notifier.stepsChanged(saved).catch((err: Error) => deps.log.warn('card.update_failed', { caseId, error: err.message }));
    return saved;
  } finally {
    await lease.stop(recorded);
  }
}

export function claimSlot(deps: Pick<LeasedStepDeps, 'store' | 'instanceId' | 'now' | 'lease'>, caseId: string, claimIndex: number): Promise<StepClaim | null> {
  return deps.store.claimStep(caseId, claimIndex, deps.instanceId, deps.now(), deps.lease.ms);
}

function logStep(deps: LeasedStepDeps, caseId: string, step: RunnableStep): void {
  const fields = { caseId, action: step.action, status: step.status, requestIds: step.requestIds, instance: deps.instanceId };
  if (step.status === 'failed') deps.log.error('step.failed', { ...fields, error: step.detail });
  else if (step.retryAt) deps.log.warn('step.retry_scheduled', { ...fields, retryAt: step.retryAt, error: step.detail });
  else deps.log.info('step.finished', fields);
}

/**
 * Writes the step onto the freshest copy of the case. Only the step's lease holder writes its
 * step, so merging onto a fresh read loses nothing; the version check catches the other writes.
 */
async function saveStep<S extends RunnableStep>(
  deps: LeasedStepDeps,
  caseId: string,
  slot: StepSlot<S>,
  step: S,
  change: { evidence?: CaseEvidence } = {},
): Promise<OffboardingCase | null> {
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const c = await deps.store.getCase(caseId);
    if (!c || !slot.states.includes(c.state)) return null;
    const updated = await deps.store.updateCase(caseId, { version: c.version, states: slot.states }, { ...change, ...slot.write(c, step) });
    if (updated) return updated;
  }
  throw new Error(`case ${caseId} is changing too often to record step ${slot.claimIndex}`);
}
