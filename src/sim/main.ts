/**
 * Runs the simulated tenant on its own, for the demo and for end-to-end tests that start the app
 * as a separate process: `SIM_PORT=4000 npx tsx src/sim/main.ts` (SIM_PORT 0 or unset picks a free port;
 * SIM_HOST defaults to 127.0.0.1).
 */
import { startSimTenant } from './server';
import { DOCUMENTED_LIMITS, GRAPH_DIRECTORY_WRITE_LIMIT } from './throttling/limits';

async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SIM_PORT must be a port number (0 for any free port), not '${process.env.SIM_PORT}'.`);
  }
  // SIM_WRITE_LIMIT=graph enforces Graph's real directory write quota, for demos and benchmarks;
  // SIM_LIMITS=documented every throttling limit Microsoft documents.
  const writeLimit = process.env.SIM_WRITE_LIMIT === 'graph' ? GRAPH_DIRECTORY_WRITE_LIMIT : undefined;
  const limits = process.env.SIM_LIMITS === 'documented' ? DOCUMENTED_LIMITS : undefined;
  const sim = await startSimTenant({ port, host: process.env.SIM_HOST, writeLimit, limits });
  console.log(`Simulated Microsoft 365 tenant listening on ${sim.url}`);
  console.log(`Graph base URL: ${sim.graphBaseUrl}`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
