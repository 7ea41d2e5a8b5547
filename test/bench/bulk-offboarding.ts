/**
 * Benchmark 1: offboard N staff of a seeded tenant under the simulator's throttling: directory
 * writes as a token bucket (scaled so a run takes about a minute) and Microsoft's documented
 * limits for the rest (directory resource units, sign-in/audit reports 5 per 10 s, Outlook,
 * Intune, SharePoint). Three executors on the same tenant: the engine (many cases at once, calls
 * paced per service, independent calls in $batch), the same without the pacers (graph-client's
 * own retries), and a naive executor (one case and one call at a time, no batching, fixed
 * retries). Appends its results to BENCHMARKS.md.
 * Run with `npm run bench` (BENCH=bulk for this one alone); BENCH_USERS overrides N.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { BatchOutcome } from '../../src/m365/graph-batch';
import { CaseRunner } from '../../src/engine/case-runner';
import { ServicePacers } from '../../src/engine/service-pacers';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { serviceOfPath, type Service } from '../../src/m365/graph-service';
import { M365Error } from '../../src/m365/m365-error';
import type { SimCall } from '../../src/sim/calls';
import { withStaff } from '../../src/sim/bulk-tenant';
import { startSimTenant } from '../../src/sim/server';
import { documentedLimits, type TenantLimits } from '../../src/sim/throttling/limits';
import type { Quota } from '../../src/sim/throttling/token-bucket';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier, staffTarget } from '../engine/engine-fixtures';

const USERS = Number(process.env.BENCH_USERS ?? 200);
/** The naive executor is bound by the reports limit (2 log reads per user, 5 per 10 s): a sample keeps the run short. */
const NAIVE_USERS = Math.min(USERS, 40);
/** Cases one engine instance runs at once: enough for full log queries (15 users) while others wait on theirs. */
const ENGINE_CASES_AT_ONCE = Number(process.env.BENCH_CASES_AT_ONCE ?? 45);
/** 40 directory writes per second sustained, bursts of 40: Graph's 3,000 per 150 s (20/s) made twice as fast and its burst small, so a run takes a minute and the quota binds. */
const DIRECTORY_WRITES: Quota = { max: 40, windowSeconds: 1 };
const LIMITS: TenantLimits = { ...documentedLimits(USERS), directoryWrites: DIRECTORY_WRITES };

interface Run {
  label: string;
  users: number;
  seconds: number;
  calls: SimCall[];
  completed: number;
}

/** The naive executor's Graph: what the engine would batch goes one call after another. */
function oneCallAtATime(graph: Graph): Graph {
  graph.batch = async (calls) => {
    const outcomes: BatchOutcome[] = [];
    for (const c of calls) {
      try {
        const res = await graph.send(c.method, c.path, c.body, c.headers);
        outcomes.push({ ok: true, status: res.status, body: res.body, requestId: res.requestId, requestIds: res.requestId ? [res.requestId] : [] });
      } catch (err) {
        if (!(err instanceof M365Error)) throw err;
        outcomes.push({ ok: false, error: err, requestIds: err.requestId ? [err.requestId] : [] });
      }
    }
    return outcomes;
  };
  return graph;
}

async function offboardAll(label: string, executor: 'paced' | 'unpaced' | 'naive', users = USERS): Promise<Run> {
  const sim = await startSimTenant({ seed: withStaff(USERS), limits: LIMITS });
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const store = await EmbeddedCaseStore.open(dir);
  await store.init();
  try {
    const connected = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 3, retryThrottled: executor !== 'paced' });
    const graph = executor === 'naive' ? oneCallAtATime(connected) : connected;
    const runner = new CaseRunner({
      store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger,
      sweepConcurrency: executor === 'naive' ? 1 : ENGINE_CASES_AT_ONCE, retry: { maxAttempts: 20, baseDelayMs: 500, maxDelayMs: 5_000 },
      pacers: executor === 'paced' ? new ServicePacers() : undefined,
    });
    const ids: string[] = [];
    for (let i = 0; i < users; i++) {
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
    return { label, users, seconds, calls: [...sim.calls], completed: cases.filter((c) => c?.state === 'completed').length };
  } finally {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Calls the tenant carried out (each sub-request of a batch counts; the batch itself does not). */
const carriedOut = (calls: SimCall[]) => calls.filter((c) => c.path !== '/v1.0/$batch' && c.status < 400);
const serviceOf = (c: SimCall): Service => serviceOfPath(c.path.replace(/^\/v1\.0/, ''));

/** Users one sign-in or audit log query can cover (the engine's AuditLogReader default). */
const USERS_PER_LOG_QUERY = 15;

/**
 * The least time each limit allows for the work: (calls − burst) ÷ sustained rate, for the
 * directory and Intune writes the run made, and for the report calls the users' logs need at best
 * (two queries per 15 users; an executor that makes more is slower than the ceiling, not the other
 * way round). The longest is the binding limit; users ÷ that time is the ceiling.
 */
function floors(r: Run): { limit: string; seconds: number }[] {
  const done = carriedOut(r.calls);
  const floor = (q: Quota, n: number) => Math.max(0, (n - q.max) / (q.max / q.windowSeconds));
  const directoryWrites = done.filter((c) => c.method !== 'GET' && !c.path.startsWith('/adminapi') && serviceOf(c) === 'directory').length;
  const reports = done.filter((c) => serviceOf(c) === 'reports').length;
  const needed = 2 * Math.ceil(r.users / USERS_PER_LOG_QUERY);
  const intuneWrites = done.filter((c) => c.method !== 'GET' && serviceOf(c) === 'intune').length;
  return [
    { limit: `directory writes (${directoryWrites})`, seconds: floor(LIMITS.directoryWrites!, directoryWrites) },
    { limit: `sign-in/audit reports (${needed} needed, ${reports} made)`, seconds: floor(LIMITS.reports!, needed) },
    { limit: `Intune writes (${intuneWrites})`, seconds: floor(LIMITS.intune!.writes, intuneWrites) },
  ].sort((a, b) => b.seconds - a.seconds);
}

function row(r: Run): string {
  const all = floors(r);
  const [binding] = all;
  const ceilingUsersPerSecond = r.users / binding.seconds;
  const usersPerSecond = r.users / r.seconds;
  const graphCalls = r.calls.filter((c) => !c.path.startsWith('/adminapi'));
  const batches = graphCalls.filter((c) => c.path === '/v1.0/$batch').length;
  const throttled = r.calls.filter((c) => c.status === 429).length;
  return `| ${r.label} | ${r.completed}/${r.users} | ${r.seconds.toFixed(1)} | ${usersPerSecond.toFixed(2)} | ${((graphCalls.length - batches) / r.users).toFixed(1)} | ${(batches / r.users).toFixed(1)} | ${throttled} | ${all.map((f) => `${f.limit}: ${f.seconds.toFixed(0)} s`).join('; ')} | ${ceilingUsersPerSecond.toFixed(2)} | ${((100 * usersPerSecond) / ceilingUsersPerSecond).toFixed(0)}% |`;
}

async function main(): Promise<void> {
  const engine = await offboardAll(`engine (${ENGINE_CASES_AT_ONCE} cases at once, paced per service, $batch)`, 'paced');
  const unpaced = await offboardAll(`engine without the pacers (${ENGINE_CASES_AT_ONCE} cases at once, $batch)`, 'unpaced');
  const naive = await offboardAll(`naive (one case, one call at a time, no batching; first ${NAIVE_USERS} users)`, 'naive', NAIVE_USERS);
  const lines = [
    '',
    `### Bulk offboarding, ${USERS} users — ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. ` +
      `Store: embedded. Simulated limits (429 + Retry-After): directory writes as a token bucket of ${DIRECTORY_WRITES.max}, refilled at ${DIRECTORY_WRITES.max / DIRECTORY_WRITES.windowSeconds}/s; ` +
      'Microsoft\'s documented values for directory resource units, sign-in/audit reports (5 per 10 s), Outlook (4 at once per mailbox), Intune (200 writes per 20 s) and SharePoint (1,250 RU a minute).',
    '',
    '| executor | completed | seconds | users/s | Graph calls/user | batches/user | 429s | least time per limit (calls), binding first | ceiling users/s | of ceiling |',
    '|---|---|---|---|---|---|---|---|---|---|',
    row(engine),
    row(unpaced),
    row(naive),
    '',
    'Ceiling: for each limit, (calls − burst) ÷ sustained rate is the least time it allows: the writes the run made, and the report calls the users\' logs need at 15 users a query; the longest binds. Graph calls count each sub-request of a batch.',
  ];
  console.log(lines.join('\n'));
  await appendFile(path.join(__dirname, '..', '..', 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  console.error(err.stack);
  process.exit(1);
});
