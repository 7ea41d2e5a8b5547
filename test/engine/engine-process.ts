/**
 * One engine instance as its own process, for the crash test: `tsx test/engine/engine-process.ts`
 * with SIM_URL (a simulated tenant started elsewhere), STORE_DIR (an embedded store) and
 * INSTANCE_ID. It sweeps until killed and logs JSON lines to stdout, which the test watches.
 */
import { ACTIONS } from '../../src/actions/catalogue';
import { CaseRunner } from '../../src/engine/case-runner';
import { createLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { RecordingNotifier } from './engine-fixtures';

const SWEEP_EVERY_MS = 100;
/** Short, so a restarted instance takes over the dead one's step within the test's patience. */
const LEASE = { ms: 1_500, renewEveryMs: 400 };

async function main(): Promise<void> {
  const store = await EmbeddedCaseStore.open(process.env.STORE_DIR!);
  await store.init();
  const log = createLogger('info');
  const graph = Graph.connect({ baseUrl: process.env.SIM_URL!, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 1 });
  const runner = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log, lease: LEASE, instanceId: process.env.INSTANCE_ID });
  log.info('engine.started', { instance: runner.instanceId });
  for (;;) {
    await runner.sweep();
    await new Promise((resolve) => setTimeout(resolve, SWEEP_EVERY_MS));
  }
}

main().catch((err: Error) => {
  console.error(err.stack);
  process.exit(1);
});
