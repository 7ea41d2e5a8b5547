import type { GraphCalls } from '../actions/offboarding-action';
import type { ExchangeCalls } from '../m365/exchange';
import type { M365Error } from '../m365/m365-error';
import { isTransient } from './step-retry';
import type { StepLease } from './step-lease';
import type { WritePacer } from './write-pacer';

/** Thrown instead of sending a write when the step's lease can no longer be relied on. */
export class LeaseLostError extends Error {
  constructor(method: string, path: string) {
    super(`${method} ${path.split('?')[0]} was not sent: this instance no longer holds the step's lease.`);
    this.name = 'LeaseLostError';
  }
}

/** What the step's calls ran into, so the engine can tell a transient failure from a permanent one. */
export interface StepCallLog {
  transient: M365Error[];
  leaseLost: boolean;
}

/**
 * The Graph client as one step sees it: every write waits its turn with the engine's write pacer
 * (when there is one), then checks the step's lease right before it goes out (no two instances
 * ever change the tenant for the same step at once), and transient errors are noted, those of a
 * batch's sub-requests included. A batch is fenced once, before its first round: its re-sent
 * rounds wait at most the Graph client's batchMaxWaitSeconds, as graph-client's own retries of
 * a single write are not fenced either.
 */
export function fencedGraph(graph: GraphCalls, lease: StepLease, log: StepCallLog, pacer?: WritePacer): GraphCalls {
  const watch = async <R>(call: () => Promise<R>): Promise<R> => {
    try {
      return await call();
    } catch (err) {
      if (isTransient(err)) log.transient.push(err);
      throw err;
    }
  };
  return {
    get: (path, headers) => watch(() => graph.get(path, headers)),
    send: (method, path, body, headers) => {
      if (method === 'GET') return watch(() => graph.send(method, path, body, headers));
      const fenced = () => {
        if (!lease.held) {
          log.leaseLost = true;
          return Promise.reject(new LeaseLostError(method, path));
        }
        return graph.send<never>(method, path, body, headers);
      };
      return watch(() => (pacer ? pacer.send(fenced) : fenced()));
    },
    batch: async (calls) => {
      const writes = calls.filter((c) => c.method !== 'GET');
      if (writes.length > 0) {
        // One pacer turn per write before the batch goes; the batch re-sends its own throttled
        // sub-requests after their Retry-After, so the pacer does not see inner 429s.
        if (pacer) await Promise.all(writes.map(() => pacer.send(async () => undefined)));
        if (!lease.held) {
          log.leaseLost = true;
          throw new LeaseLostError(writes[0].method, writes[0].path);
        }
      }
      const outcomes = await watch(() => graph.batch(calls));
      // What stayed throttled makes the step's failure transient: the engine runs it again later.
      for (const o of outcomes) if (!o.ok && isTransient(o.error)) log.transient.push(o.error);
      return outcomes;
    },
  };
}

/** The same fence for Exchange: Get-* cmdlets read; every other cmdlet changes the tenant. */
export function fencedExchange(exchange: ExchangeCalls, lease: StepLease, log: StepCallLog): ExchangeCalls {
  return {
    invoke: async (cmdlet, parameters) => {
      if (!cmdlet.startsWith('Get-') && !lease.held) {
        log.leaseLost = true;
        throw new LeaseLostError('InvokeCommand', cmdlet);
      }
      try {
        return await exchange.invoke(cmdlet, parameters);
      } catch (err) {
        if (isTransient(err)) log.transient.push(err as M365Error);
        throw err;
      }
    },
  };
}
