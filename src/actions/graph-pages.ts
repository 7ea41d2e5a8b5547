import type { GraphCalls } from './offboarding-action';
import type { BatchCall, BatchOutcome } from '../m365/graph-batch';
import { M365Error } from '../m365/m365-error';

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/**
 * Every item of a Graph collection, following @odata.nextLink (absolute) page by page; with
 * `limit`, it stops reading once it has that many and returns at most that many.
 */
export async function readAll<T>(graph: GraphCalls, path: string, limit = Infinity): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  while (next && items.length < limit) {
    const page: Page<T> = (await graph.get<Page<T>>(next)).body;
    items.push(...page.value);
    next = page['@odata.nextLink'] ? afterVersion(page['@odata.nextLink']) : undefined;
  }
  return items.slice(0, limit);
}

/** graph-client wants the path after the version segment. */
export function afterVersion(link: string): string {
  const url = new URL(link);
  return url.pathname.replace(/^\/(v1\.0|beta)/, '') + url.search;
}

/** A delete that finds the object already gone has reached the wanted state (a repeated run). */
export async function deleteIfPresent(graph: GraphCalls, path: string): Promise<'deleted' | 'already gone'> {
  try {
    await graph.send('DELETE', path);
    return 'deleted';
  } catch (err) {
    if (err instanceof M365Error && err.status === 404) return 'already gone';
    throw err;
  }
}

/** Runs one change per object, so one refusal does not stop the others; returns the failures. */
export async function eachObject<T>(items: readonly T[], change: (item: T) => Promise<unknown>, describe: (item: T, err: unknown) => string): Promise<string[]> {
  const failures: string[] = [];
  for (const item of items) {
    try {
      await change(item);
    } catch (err) {
      failures.push(describe(item, err));
    }
  }
  return failures;
}

/**
 * eachObject for independent calls sent through $batch: one call per object, one failure line per
 * object that could not be changed. A 404 counts as done (the object is already gone, as with
 * deleteIfPresent). If the batch cannot be sent at all (e.g. the step's lease is lost), every
 * object fails with that reason.
 */
export async function eachObjectInBatch<T>(
  graph: GraphCalls,
  items: readonly T[],
  call: (item: T) => BatchCall,
  describe: (item: T, err: unknown) => string,
): Promise<string[]> {
  if (items.length === 0) return [];
  let outcomes: BatchOutcome[];
  try {
    outcomes = await graph.batch(items.map(call));
  } catch (err) {
    return items.map((item) => describe(item, err));
  }
  return items.flatMap((item, i) => {
    const o = outcomes[i];
    return o.ok || o.error.status === 404 ? [] : [describe(item, o.error)];
  });
}

/** deleteIfPresent for many objects at once, through $batch; returns the failure lines. */
export function deleteEachIfPresent<T>(graph: GraphCalls, items: readonly T[], path: (item: T) => string, describe: (item: T, err: unknown) => string): Promise<string[]> {
  return eachObjectInBatch(graph, items, (item) => ({ method: 'DELETE', path: path(item) }), describe);
}

/**
 * The client with every read's request-id kept, for an evidence section: `requestId()` lists
 * them comma-separated (undefined before any read).
 */
export function keepingReadIds(graph: GraphCalls): { graph: GraphCalls; requestId(): string | undefined } {
  const ids: string[] = [];
  return {
    graph: {
      get: async <T>(p: string, h?: Record<string, string>) => {
        const res = await graph.get<T>(p, h);
        if (res.requestId) ids.push(res.requestId);
        return res;
      },
      send: (...args) => graph.send(...args),
      batch: (calls) => graph.batch(calls),
    },
    requestId: () => (ids.length > 0 ? ids.join(',') : undefined),
  };
}
