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
 * ever change the tenant for the same step at once), and transient errors are noted.
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
