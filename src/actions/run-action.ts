import { M365Error } from '../m365/m365-error';
import { describeError } from './describe-error';
import { describeNeed, needOf } from './required-permissions';
import { exchangeNotConnected, type ExchangeCalls } from '../m365/exchange';
import type { ActionContext, ActionOutcome, GraphCalls, OffboardingAction, Wait } from './offboarding-action';

/**
 * Graph's 403 and Exchange's 401: the app was refused, for a permission not granted, a directory
 * role not assigned, or a person its role does not outrank.
 */
function isRefusal(err: unknown, service: 'graph' | 'exchange'): boolean {
  return err instanceof M365Error && err.status === (service === 'graph' ? 403 : 401);
}

/** What the wrappers saw while a step ran. */
interface Seen {
  ids: string[];
  refused: boolean;
}

/** Wraps the Graph client so every call's request-id is kept, including those of failed calls. */
function recording(graph: GraphCalls, seen: Seen): GraphCalls {
  const ids = seen.ids;
  const keep = async <R extends { requestId?: string }>(call: Promise<R>): Promise<R> => {
    try {
      const res = await call;
      if (res.requestId) ids.push(res.requestId);
      return res;
    } catch (err) {
      if (err instanceof M365Error && err.requestId) ids.push(err.requestId);
      if (isRefusal(err, 'graph')) seen.refused = true;
      throw err;
    }
  };
  return {
    get: (path, headers) => keep(graph.get(path, headers)),
    send: (method, path, body, headers) => keep(graph.send(method, path, body, headers)),
    batch: async (calls) => {
      try {
        const outcomes = await graph.batch(calls);
        // Each batch's request-id once, and every failed sub-request's own.
        ids.push(...new Set(outcomes.flatMap((o) => o.requestIds)));
        if (outcomes.some((o) => !o.ok && isRefusal(o.error, 'graph'))) seen.refused = true;
        return outcomes;
      } catch (err) {
        if (err instanceof M365Error && err.requestId) ids.push(err.requestId);
        if (isRefusal(err, 'graph')) seen.refused = true;
        throw err;
      }
    },
  };
}

/** The same for Exchange: one request-id per page read, and the failed call's. */
function recordingExchange(exchange: ExchangeCalls, seen: Seen): ExchangeCalls {
  return {
    async invoke(cmdlet, parameters) {
      try {
        const res = await exchange.invoke(cmdlet, parameters);
        seen.ids.push(...res.requestIds);
        return res as never;
      } catch (err) {
        if (err instanceof M365Error && err.requestId) seen.ids.push(err.requestId);
        if (isRefusal(err, 'exchange')) seen.refused = true;
        throw err;
      }
    },
  };
}

/** An action's outcome, and whether it went as far as changing the tenant (apply ran). */
export type RunOutcome = ActionOutcome & { changed: boolean };

/** What a runner hands over; a runner not connected to Exchange leaves mailbox steps to a person. */
export type RunContext = Omit<ActionContext, 'exchange'> & { exchange?: ExchangeCalls };

/**
 * Runs one action: plan from the tenant's current state; stop there if the action must not run or
 * there is nothing to change; otherwise apply, then verify by reading back. A step "succeeds" only
 * when every object was changed and the read-back agrees.
 */
export async function runAction(action: OffboardingAction, ctx: RunContext): Promise<RunOutcome> {
  const seen: Seen = { ids: [], refused: false };
  const outcome = await runRecorded(action, ctx, seen);
  if (outcome.status !== 'failed' || !seen.refused) return outcome;
  const need = needOf(action.name);
  if (!need) return outcome;
  // A refusal is most often consent or a role not given: say what the step needs, first, so the
  // cards (which show the start of a detail) carry it; Graph's own words and request-id follow.
  const hint =
    `Microsoft 365 refused the app. This step needs ${describeNeed(need)}: grant what the readiness check ` +
    "(the dashboard's banner, GET /api/readiness) names as missing, then retry; if it names nothing, the person may hold a role above the app's.";
  return { ...outcome, detail: `${hint} ${outcome.detail}` };
}

async function runRecorded(action: OffboardingAction, ctx: RunContext, seen: Seen): Promise<RunOutcome> {
  const requestIds = seen.ids;
  let changed = false;
  const exchange = recordingExchange(ctx.exchange ?? exchangeNotConnected, seen);
  const recorded: ActionContext = { ...ctx, graph: recording(ctx.graph, seen), exchange };
  try {
    const plan = await action.plan(recorded);
    if (plan.stop) return { status: plan.stop.status, detail: plan.stop.reason, requestIds, changed };
    if (plan.wait) return waiting(plan.wait, requestIds, plan.changedByThisCase === true);
    const manual = plan.manual ?? [];
    const leftForPerson = [...(plan.notes ?? []), ...(manual.length > 0 ? [`For a person to do: ${manual.join(' ')}`] : [])];
    if (plan.changes.length === 0) {
      changed = plan.changedByThisCase === true;
      return {
        status: manual.length > 0 ? 'manual' : 'succeeded',
        detail: [`Nothing to change: ${plan.found}`, ...leftForPerson].join(' '),
        requestIds,
        changed,
      };
    }
    changed = true;
    const applied = await action.apply(recorded, plan);
    const verified = await action.verify(recorded, plan, applied);
    const failed = applied.failures.length > 0 || !verified.ok;
    if (applied.wait && !failed) return waiting(applied.wait, requestIds, changed, [applied.detail, verified.detail].filter(Boolean).join(' '));
    return {
      status: failed ? 'failed' : manual.length > 0 ? 'manual' : 'succeeded',
      detail: [applied.detail, ...applied.failures, verified.detail, ...leftForPerson].filter(Boolean).join(' '),
      requestIds,
      evidence: applied.evidence,
      changed,
    };
  } catch (err) {
    // No Exchange connection configured: a person has to do the mailbox part, nothing failed.
    if (err instanceof M365Error && err.code === 'ExchangeNotConnected') {
      return { status: 'manual', detail: `${err.message} Do this step in the Exchange admin center.`, requestIds, changed };
    }
    return { status: 'failed', detail: describeError(err), requestIds, changed };
  }
}

/** The step waits for Microsoft 365: pending until `wait.until`, saying what it waits for. */
function waiting(wait: Wait, requestIds: string[], changed: boolean, done = ''): RunOutcome {
  return { status: 'pending', waitUntil: wait.until.toISOString(), detail: [done, `${wait.reason} Looking again at ${wait.until.toISOString()}.`].filter(Boolean).join(' '), requestIds, changed };
}
