import type { GraphCalls } from '../actions/offboarding-action';
import type { ExchangeCalls } from '../m365/exchange';
import type { M365Error } from '../m365/m365-error';
import { isTransient } from './step-retry';
import type { StepLease } from './step-lease';
import type { ServicePacers } from './service-pacers';

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
 * The Graph client as one step sees it: every call waits its turn with its service's pacer (when
 * the engine has them: a 429 then goes to the pacer, which slows that service down for every
 * case), every write then checks the step's lease right before it goes out (no two instances
 * ever change the tenant for the same step at once), and transient errors are noted, those of a
 * batch's sub-requests included. A batch is fenced once, before its first round: its re-sent
 * rounds wait at most the Graph client's batchMaxWaitSeconds, as graph-client's own retries of
 * a single write are not fenced either.
 */
export function fencedGraph(graph: GraphCalls, lease: StepLease, log: StepCallLog, pacers?: ServicePacers): GraphCalls {
  const watch = async <R>(call: () => Promise<R>): Promise<R> => {
    try {
      return await call();
    } catch (err) {
      if (isTransient(err)) log.transient.push(err);
      throw err;
    }
  };
  return {
    get: (path, headers) => watch(() => (pacers ? pacers.send(path, 'read', () => graph.get(path, headers)) : graph.get(path, headers))),
    send: (method, path, body, headers) => {
      if (method === 'GET') {
        const read = () => graph.send<never>(method, path, body, headers);
        return watch(() => (pacers ? pacers.send(path, 'read', read) : read()));
      }
      const fenced = () => {
        if (!lease.held) {
          log.leaseLost = true;
          return Promise.reject(new LeaseLostError(method, path));
        }
        return graph.send<never>(method, path, body, headers);
      };
      return watch(() => (pacers ? pacers.send(path, 'write', fenced) : fenced()));
    },
    batch: async (calls) => {
      const writes = calls.filter((c) => c.method !== 'GET');
      // One turn per call with its service's pacer before the batch goes; the batch re-sends its
      // own throttled sub-requests after their Retry-After, so the pacers do not see inner 429s.
      if (pacers) await Promise.all(calls.map((c) => pacers.send(c.path, c.method === 'GET' ? 'read' : 'write', async () => undefined)));
      if (writes.length > 0) {
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
