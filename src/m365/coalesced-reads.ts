import type { Graph, GraphResponse } from './graph';
import { MAX_BATCH_SIZE } from './graph-batch';

/**
 * Small Graph reads asked for in the same turn of the event loop, sent together as JSON batches
 * (Graph.batch, which re-sends a throttled sub-request on its own). Each answer or error is the one
 * Graph.get would give. A decision reads the clicker's account status and group membership
 * together; under a burst of approval clicks the reads of many clicks share a batch, so the app
 * makes a few HTTP calls instead of two per click, and answers sooner. A read asked for alone goes
 * as a plain GET, with no wait.
 */
export class CoalescedReads {
  private queued: { path: string; resolve: (r: GraphResponse<unknown>) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly graph: Graph) {}

  get<T>(path: string): Promise<GraphResponse<T>> {
    return new Promise<GraphResponse<unknown>>((resolve, reject) => {
      // Sent once the current turn's reads are in: the reads of one decision start in one turn.
      if (this.queued.length === 0) setImmediate(() => this.send());
      this.queued.push({ path, resolve, reject });
    }) as Promise<GraphResponse<T>>;
  }

  private send(): void {
    const reads = this.queued;
    this.queued = [];
    if (reads.length === 1) {
      const [read] = reads;
      this.graph.get(read.path).then(read.resolve, read.reject);
      return;
    }
    // Batches of one turn go side by side: a click should not wait behind another batch.
    for (let start = 0; start < reads.length; start += MAX_BATCH_SIZE) {
      const chunk = reads.slice(start, start + MAX_BATCH_SIZE);
      this.graph.batch(chunk.map((r) => ({ method: 'GET', path: r.path }))).then(
        (outcomes) =>
          outcomes.forEach((o, i) => (o.ok ? chunk[i].resolve({ status: o.status, body: o.body, requestId: o.requestId }) : chunk[i].reject(o.error))),
        (err: unknown) => chunk.forEach((r) => r.reject(err)),
      );
    }
  }
}
