import type { CaseStore } from './case-store';

/** About 5 s of waiting in all (20 ms × 2^n with jitter), longer than FerretDB's busy spells under load. */
const ATTEMPTS = 8;
const BASE_DELAY_MS = 20;

/**
 * Errors a MongoDB-protocol server raises when it is momentarily overloaded and did not apply the
 * operation: FerretDB's SQLite backend ("database is locked", SQLITE_BUSY) and Azure Cosmos DB's
 * request-rate limit (code 16500). Trying again later is safe.
 */
export function isBusy(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 16500 || (typeof e?.message === 'string' && /database is locked|SQLITE_BUSY|TooManyRequests/i.test(e.message));
}

/** The store, with every operation retried (backoff with jitter) while the server says it is busy. */
export function retryWhenBusy(store: CaseStore, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): CaseStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await value.apply(target, args);
          } catch (err) {
            if (!isBusy(err) || attempt >= ATTEMPTS) throw err;
            await sleep(BASE_DELAY_MS * 2 ** attempt * (0.5 + Math.random()));
          }
        }
      };
    },
  });
}
