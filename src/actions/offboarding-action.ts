import type { ActionName, StepStatus, Target } from '../cases/case';
import type { Graph } from '../m365/graph';

export interface ActionContext {
  graph: Graph;
  target: Target;
}

export interface ActionOutcome {
  status: Exclude<StepStatus, 'pending' | 'running'>;
  /** What happened, or what a person must do. */
  detail: string;
  requestIds: string[];
}

/**
 * One offboarding action. `run` is idempotent (safe to run twice: a resumed case re-runs the
 * step it crashed in) and verifies its effect by reading it back.
 */
export interface OffboardingAction {
  name: ActionName;
  run(ctx: ActionContext): Promise<ActionOutcome>;
}

/** Keeps Graph request-ids of the calls an action makes, as evidence. */
export class RequestIds {
  readonly ids: string[] = [];
  keep<T extends { requestId?: string }>(res: T): T {
    if (res.requestId) this.ids.push(res.requestId);
    return res;
  }
}
