/**
 * Benchmark 1: offboard N staff of a seeded tenant under the simulator's directory write quota
 * (token bucket), with the engine (many cases at once, its writes paced by one shared adaptive
 * pacer), the same without the pacer, and beside them a naive executor (one case, so one call, at
 * a time; the Graph client's fixed retries). Appends its results to BENCHMARKS.md.
 * Run with `npm run bench`; BENCH_USERS overrides N.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import { CaseRunner } from '../../src/engine/case-runner';
import { WritePacer } from '../../src/engine/write-pacer';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { withStaff } from '../../src/sim/bulk-tenant';
import { startSimTenant } from '../../src/sim/server';
import type { WriteLimit } from '../../src/sim/throttling/limits';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier, staffTarget } from '../engine/engine-fixtures';

const USERS = Number(process.env.BENCH_USERS ?? 200);
/** 40 directory writes per second sustained, bursts of 40: scaled down from Graph's 3,000 per 150 s so a run takes a minute. */
const LIMIT: WriteLimit = { maxWrites: 40, windowSeconds: 1 };

interface Run {
  label: string;
  seconds: number;
  calls: number;
  writes: number;
  throttled: number;
  completed: number;
}

async function offboardAll(label: string, concurrency: number, paced = false): Promise<Run> {
  const sim = await startSimTenant({ seed: withStaff(USERS), writeLimit: LIMIT });
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const store = await EmbeddedCaseStore.open(dir);
  await store.init();
  try {
    // Paced, 429s go to the pacer, which waits them out for every case at once, not to the client.
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: paced ? 0 : 3 });
    const runner = new CaseRunner({
      store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger,
      sweepConcurrency: concurrency, retry: { maxAttempts: 20, baseDelayMs: 500, maxDelayMs: 5_000 },
      writePacer: paced ? new WritePacer() : undefined,
    });
    const ids: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const c = approvedCase(staffTarget(i));
      await store.createCase(c);
      ids.push(c._id);
    }
    const started = Date.now();
    for (;;) {
      await runner.sweep();
      const open = (await store.listCases(USERS)).filter((c) => c.state === 'approved' || c.state === 'running').length;
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    const cases = await Promise.all(ids.map((id) => store.getCase(id)));
    return {
      label, seconds,
      calls: sim.calls.length,
      writes: sim.calls.filter((c) => c.method !== 'GET' && c.status < 300).length,
      throttled: sim.calls.filter((c) => c.status === 429).length,
      completed: cases.filter((c) => c?.state === 'completed').length,
    };
  } finally {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function row(r: Run): string {
  const writesPerUser = r.writes / USERS;
  const perSecond = LIMIT.maxWrites / LIMIT.windowSeconds;
  // The quota allows the first burst at once, then `perSecond`: the least time these writes can take.
  const floorSeconds = Math.max(0, (r.writes - LIMIT.maxWrites) / perSecond);
  const ceilingUsersPerSecond = USERS / floorSeconds;
  const usersPerSecond = USERS / r.seconds;
  return `| ${r.label} | ${r.completed}/${USERS} | ${r.seconds.toFixed(1)} | ${usersPerSecond.toFixed(2)} | ${(r.calls / USERS).toFixed(1)} | ${writesPerUser.toFixed(1)} | ${r.throttled} | ${ceilingUsersPerSecond.toFixed(2)} | ${((100 * usersPerSecond) / ceilingUsersPerSecond).toFixed(0)}% |`;
}

async function main(): Promise<void> {
  const engine = await offboardAll('engine (20 cases at once, shared adaptive write pacer)', 20, true);
  const unpaced = await offboardAll('engine without the pacer (20 cases at once)', 20);
  const naive = await offboardAll('naive (one case, one call at a time)', 1);
  const lines = [
    '',
    `### Bulk offboarding, ${USERS} users — ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. ` +
      `Store: embedded. Simulated quota: directory writes as a token bucket of ${LIMIT.maxWrites}, refilled at ${LIMIT.maxWrites / LIMIT.windowSeconds}/s (429 + Retry-After).`,
    '',
    '| executor | completed | seconds | users/s | Graph calls/user | writes/user | 429s | ceiling users/s | of ceiling |',
    '|---|---|---|---|---|---|---|---|---|',
    row(engine),
    row(unpaced),
    row(naive),
    '',
    'Ceiling: (writes − burst) ÷ sustained write rate is the least time the quota allows for these writes; reads are not limited by the simulator.',
  ];
  console.log(lines.join('\n'));
  await appendFile(path.join(__dirname, '..', '..', 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  console.error(err.stack);
  process.exit(1);
});
