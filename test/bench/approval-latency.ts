/**
 * Benchmark 2: how long Teams waits for the answer to an approval click when 50 security approvers
 * click at once. Runs the real server (restify + CloudAdapter) in its own process on FerretDB (or
 * MONGODB_URI) against a simulated tenant in this one (SIM_URL), drives it with the bot-over-HTTP
 * fixtures, and times each `adaptiveCard/action` approve invoke from Megan Bowen.
 * Three rounds: 10 one after another and 50 at once with cut-off tomorrow (approval only), then 50
 * at once with cut-off now (each approval also starts its case's execution in the app's process
 * once the invokes waiting are answered). Between them, the store alone: the conditional case write each approval
 * needs, 50 at once, which no app can beat. Appends to BENCHMARKS.md.
 * Run with `npm run bench` (BENCH=approval for this one alone); BENCH_APPROVALS overrides 50;
 * BENCH_STORE=embedded puts the app on its embedded store instead of FerretDB.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { staffId, withStaff } from '../../src/sim/bulk-tenant';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { DEMO_USER_HEADER } from '../../src/tab/tab-sign-in';
import { buildApp, startAppProcess, type AppProcess } from '../support/app-process';
import { cardText, cardVerbs } from '../support/card-text';
import { ConnectorRecorder } from '../support/connector-recorder';
import { startMongoForTests, stopMongoForTests } from '../support/ferretdb';
import { cardAction, installInTeam, postActivity, type TeamsUser } from '../support/teams-activities';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 50);
/** BENCH_STORE=embedded runs the app on its embedded store, to see what the app alone can do. */
const EMBEDDED = process.env.BENCH_STORE === 'embedded';
/** Requests are submitted a few at a time: setting up the cases is not what is measured. */
const SUBMIT_CONCURRENCY = 5;
const GOAL_P99_MS = 300;
/** Approvals sent one after another first: the time one invoke takes with nothing else going on. */
const ONE_BY_ONE = 10;
/** How long the cut-off-now round waits for its cases to close before reporting what it has. */
const CLOSE_WAIT_MS = 10 * 60_000;

const SECURITY = '19:security@thread.tacv2';
const IT = '19:it-operations@thread.tacv2';
const alex: TeamsUser = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: SEED_IDS.alex };
const megan: TeamsUser = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: SEED_IDS.megan };
/** IT Operations may request anyone's offboarding; the staff have no manager, so one security approval decides. */
const isaiah: TeamsUser = { id: 'user-id-3', name: 'Isaiah Langer', aadObjectId: SEED_IDS.isaiah };
const isaiahChat = { id: `a:personal-${isaiah.id}`, conversationType: 'personal' };
const securityThread = { id: SECURITY, conversationType: 'channel' };

interface Round {
  label: string;
  latencies: number[];
  approved: number;
  /** Graph calls the engine made while the approval invokes were in flight. */
  graphCallsDuring: number;
  /**
   * CPU the app's process used from the first click to the last answer, per approval. With a store
   * that answers as fast as MongoDB does, this is what bounds the slowest answer: the invokes share
   * one event loop, so 50 at once all wait until about 50 times this has been spent. Absent for
   * the store-alone row, which does not involve the app.
   */
  appCpuMsPerApproval?: number;
  /** From the first click until every case of the round closed (or the wait ran out); absent when nothing runs now. */
  execution?: { seconds: number; closed: number; disabled: Disabled };
}

/** When the round's people had their accounts disabled in the tenant, in seconds after the first click. */
interface Disabled {
  median: number;
  worst: number;
  count: number;
}

interface Bench {
  /** The app, in its own process as in production: only it runs there. */
  app: AppProcess;
  /** The simulated tenant, in this process with the load generator and the Teams stand-in. */
  sim: SimTenant;
  /** This process's own connection to the app's database, through the app's store code; none on the embedded store. */
  store?: CaseStore;
  /** The MongoDB-protocol server, as it reports itself. */
  storeName: string;
  connector: ConnectorRecorder;
  /** Cases already requested by earlier rounds. */
  requested: Set<string>;
  close(): Promise<void>;
}

/** The real app on FerretDB in a process of its own, on a simulated tenant of the seed people and `staff` more. */
async function startBench(staff: number): Promise<Bench> {
  const mongo = EMBEDDED ? undefined : await startMongoForTests();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-approval-'));
  const connector = await new ConnectorRecorder([{ id: IT, name: 'General' }, { id: SECURITY, name: 'Security' }]).start();
  const sim = await startSimTenant({ seed: withStaff(staff) });
  const db = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  // Compiled, as production runs it (`npm run build && npm run start:app`), not through tsx.
  buildApp();
  const app = await startAppProcess({ SIM_URL: sim.url, DATA_DIR: dataDir, ...(mongo ? { MONGODB_URI: mongo.uri, MONGODB_DB: db } : {}), LOG_LEVEL: 'warn' }, 'built');
  const store = mongo ? await openCaseStore({ mongodbUri: mongo.uri, mongodbDb: db, dataDir }) : undefined;
  const installed = await postActivity(app.url, installInTeam(connector.url, alex));
  if (installed.status !== 200) throw new Error(`installing the bot answered ${installed.status}`);
  return {
    app, sim, store, connector, requested: new Set(), storeName: mongo ? await describeStore(mongo.uri) : 'the embedded store (no MONGODB_URI), on disk in the app process',
    async close() {
      await app.stop(30_000);
      await store?.close();
      await sim.close();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function tomorrow(): string {
  return new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
}

/** Isaiah (IT) requests the offboarding of each target; returns the Approve data of each new approval card. */
async function requestAll(b: Bench, targets: number[], cutoff: Record<string, string>): Promise<Record<string, unknown>[]> {
  const queue = [...targets];
  const submitter = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const res = await postActivity(b.app.url, cardAction(b.connector.url, isaiah, isaiahChat, 'submitRequest', { targetId: staffId(i), departureType: 'involuntary', timeZone: 'UTC', ...cutoff }));
      if (res.body?.statusCode !== 200 || !/awaiting|approval/i.test(cardText(res.body.value))) {
        throw new Error(`request for staff ${i} was not accepted: ${cardText(res.body?.value)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: SUBMIT_CONCURRENCY }, submitter));
  // Keyed by case: the approval sweep may post a second card for a case (see the duplicates noted in the results).
  const fresh = new Map<string, Record<string, unknown>>();
  await b.connector.waitFor(() => {
    for (const { card } of b.connector.cards({ conversationId: SECURITY, method: 'POST' })) {
      const approve = cardVerbs(card).find((a) => a.verb === 'approve');
      const caseId = String(approve?.data.caseId);
      if (approve && !b.requested.has(caseId)) fresh.set(caseId, approve.data);
    }
    return fresh.size >= targets.length;
  }, 60_000);
  for (const caseId of fresh.keys()) b.requested.add(caseId);
  return [...fresh.values()];
}

/** Times one approve invoke from send to answer; whether the answer says the case is approved. */
async function approve(b: Bench, data: Record<string, unknown>): Promise<{ ms: number; approved: boolean }> {
  const sent = performance.now();
  const res = await postActivity(b.app.url, cardAction(b.connector.url, megan, securityThread, 'approve', data));
  const ms = performance.now() - sent;
  return { ms, approved: res.status === 200 && res.body?.statusCode === 200 && /Approved by Megan Bowen/.test(cardText(res.body.value)) };
}

function roundOf(b: Bench, label: string, answers: { ms: number; approved: boolean }[], callsBefore: number, cpu?: { before: number; after: number }): Round {
  return {
    label,
    latencies: answers.map((a) => a.ms),
    approved: answers.filter((a) => a.approved).length,
    graphCallsDuring: b.sim.calls.length - callsBefore,
    ...(cpu ? { appCpuMsPerApproval: (cpu.after - cpu.before) / answers.length } : {}),
  };
}

async function approveOneByOne(b: Bench, label: string, approves: Record<string, unknown>[]): Promise<Round> {
  const callsBefore = b.sim.calls.length;
  const cpuBefore = await b.app.cpuMs();
  const answers = [];
  for (const data of approves) answers.push(await approve(b, data));
  return roundOf(b, label, answers, callsBefore, { before: cpuBefore, after: await b.app.cpuMs() });
}

/** Megan approves every case at the same moment; each invoke is timed from send to answer. */
async function approveAtOnce(b: Bench, label: string, approves: Record<string, unknown>[], runsNow?: { targets: number[] }): Promise<Round> {
  const callsBefore = b.sim.calls.length;
  const cpuBefore = await b.app.cpuMs();
  const started = performance.now();
  const watch = runsNow ? watchDisabling(b, runsNow.targets, started) : undefined;
  const answers = await Promise.all(approves.map((data) => approve(b, data)));
  const round = roundOf(b, label, answers, callsBefore, { before: cpuBefore, after: await b.app.cpuMs() });
  if (runsNow && watch) {
    const ids = approves.map((d) => String(d.caseId));
    for (;;) {
      const states = await caseStates(b);
      const closed = ids.filter((id) => states.has(id) && !['approved', 'running'].includes(states.get(id)!)).length;
      const seconds = (performance.now() - started) / 1000;
      if (closed === ids.length || seconds * 1000 > CLOSE_WAIT_MS) {
        round.execution = { seconds, closed, disabled: watch.stop() };
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return round;
}

/**
 * Reads the simulated tenant every 20 ms (it lives in this process) and notes when each target's
 * account was disabled: in a layoff approved at once, how long the last person keeps their access.
 */
function watchDisabling(b: Bench, targets: number[], started: number): { stop(): Disabled } {
  const at = new Map<number, number>();
  const look = () => {
    for (const i of targets) {
      if (!at.has(i) && b.sim.state.users.get(staffId(i))?.accountEnabled === false) at.set(i, (performance.now() - started) / 1000);
    }
  };
  const timer = setInterval(look, 20);
  return {
    stop() {
      clearInterval(timer);
      look();
      const s = [...at.values()].sort((x, y) => x - y);
      return { median: s.length ? s[Math.floor((s.length - 1) / 2)] : NaN, worst: s.length ? s[s.length - 1] : NaN, count: s.length };
    },
  };
}

/** Every case's state, as the dashboard API shows it to IT (store-agnostic, and through the real server). */
async function caseStates(b: Bench): Promise<Map<string, string>> {
  const res = await fetch(`${b.app.url}/api/cases`, { headers: { [DEMO_USER_HEADER]: SEED_IDS.isaiah } });
  if (!res.ok) throw new Error(`the dashboard API answered ${res.status}`);
  const { cases } = (await res.json()) as { cases: { id: string; state: string }[] };
  return new Map(cases.map((c) => [c.id, c.state]));
}

/**
 * The store on its own: the one conditional case write every approval needs, made for each case of
 * a round at the same moment through the app's store, without Teams, cards or Graph. No app can
 * answer the approvals faster than this.
 */
async function storeAlone(b: Bench, label: string, caseIds: string[]): Promise<Round | undefined> {
  const store = b.store;
  if (!store) return undefined; // the embedded store lives inside the app's process
  const cases = await Promise.all(caseIds.map((id) => store.getCase(id)));
  const answers = await Promise.all(
    cases.map(async (c) => {
      const sent = performance.now();
      const written = c ? await store.updateCase(c._id, { version: c.version, states: [c.state] }, { decisions: c.decisions }) : null;
      return { ms: performance.now() - sent, approved: written !== null };
    }),
  );
  return roundOf(b, label, answers, b.sim.calls.length);
}

/** What the bench ran against, as the server reports itself. */
async function describeStore(uri: string): Promise<string> {
  const client = await new MongoClient(uri).connect();
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const server = typeof info.ferretdbVersion === 'string' ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`;
    return process.env.MONGODB_URI ? `${server} at MONGODB_URI, on loopback` : `${server} with its SQLite backend, started by the bench on loopback`;
  } finally {
    await client.close();
  }
}

/** Nearest-rank percentile: with 50 samples, p99 is the slowest answer. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function disabledCell(d: Disabled | undefined, of: number): string {
  return d ? `${d.count}/${of}: median ${d.median.toFixed(1)}, last ${d.worst.toFixed(1)}` : '—';
}

function row(r: Round): string {
  const s = [...r.latencies].sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(0);
  const p99 = percentile(s, 99);
  const cpu = r.appCpuMsPerApproval === undefined ? '—' : r.appCpuMsPerApproval.toFixed(1);
  return `| ${r.label} | ${r.approved}/${s.length} | ${ms(percentile(s, 50))} | ${ms(percentile(s, 95))} | ${ms(p99)} | ${ms(s[s.length - 1])} | ${cpu} | ${r.graphCallsDuring} | ${r.execution ? `${r.execution.closed}/${s.length} in ${r.execution.seconds.toFixed(1)}` : '—'} | ${disabledCell(r.execution?.disabled, s.length)} | ${p99 < GOAL_P99_MS ? 'met' : 'not met'} |`;
}

async function main(): Promise<void> {
  const b = await startBench(ONE_BY_ONE + 2 * APPROVALS);
  const rounds: Round[] = [];
  try {
    const staff = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
    // Cut-off tomorrow first: those approvals start nothing, so they measure approval alone.
    const later = { cutoffNow: 'false', cutoffDate: tomorrow(), cutoffTime: '17:00' };
    const single = await requestAll(b, staff(0, ONE_BY_ONE), later);
    rounds.push(await approveOneByOne(b, `${ONE_BY_ONE} one after another, cut-off tomorrow (no execution)`, single));
    const scheduled = await requestAll(b, staff(ONE_BY_ONE, APPROVALS), later);
    rounds.push(await approveAtOnce(b, `${APPROVALS} at once, cut-off tomorrow (no execution)`, scheduled));
    const alone = await storeAlone(b, `store alone: ${APPROVALS} conditional case writes at once (the write each approval makes; no app)`, scheduled.map((d) => String(d.caseId)));
    if (alone) rounds.push(alone);
    const layoff = staff(ONE_BY_ONE + APPROVALS, APPROVALS);
    const immediate = await requestAll(b, layoff, { cutoffNow: 'true' });
    rounds.push(await approveAtOnce(b, `${APPROVALS} at once, cut-off now (each approval starts its case)`, immediate, { targets: layoff }));
  } finally {
    await b.close();
    if (!EMBEDDED) await stopMongoForTests();
  }
  const approvalCards = b.connector.cards({ conversationId: SECURITY, method: 'POST' }).length;
  const problems = [...b.app.problems].map(([event, p]) => `${event} ×${p.count}`).join(', ') || 'none';
  for (const [event, p] of b.app.problems) console.error(`${event} ×${p.count}, first: ${p.first}`);
  const lines = [
    '',
    `### Approval latency, ${APPROVALS} concurrent approvals — ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. ` +
      `Store: ${b.storeName}. The real server (restify + CloudAdapter, demo mode) runs alone in its own process (compiled by \`npm run build\` and started as \`node dist/src/main.js\`, as production runs it; ` +
      `the simulated tenant, the Teams stand-in and the load generator share the bench's process) and answers ` +
      `\`adaptiveCard/action\` approve invokes from one security approver (Megan Bowen), each for a different case awaiting approval ` +
      `(requested through the bot by IT, one security approval needed); each invoke is timed from send to answer. Warnings and errors logged by the app: ${problems}. ` +
      `Approval cards posted to the Security channel: ${approvalCards} for ${b.requested.size} cases.`,
    '',
    '| round | landed | p50 ms | p95 ms | p99 ms | max ms | app CPU ms per approval | Graph calls during the invokes | cases closed after the first click, s | accounts disabled after the first click, s | goal p99 < 300 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rounds.map(row),
    '',
    'Percentiles are nearest-rank over the answers of the round (with 50 answers p99 is the slowest; the one-after-another round is the time one invoke needs on its own). Execution starts in the same process ' +
      'once the invokes waiting are answered, or 3 s after the approval at the latest (`onApproved`, src/answers-first.ts), so in the cut-off-now round ' +
      'the engine’s Graph and store calls compete with invokes still waiting only past that. The store-alone row makes, through the app\'s store code from the bench\'s process and at the same moment, the one conditional case ' +
      'write each approval needs, on the cases the round before approved: no app, Teams or Graph, so no approval can be answered faster. ' +
      'App CPU is what the app\'s process used (all its threads, from /proc, 10 ms resolution) from the first click to the last answer, divided by the approvals; ' +
      'it includes whatever else the app did meanwhile (its sweeps, card edits past their 3 s wait), so a slow store inflates it. ' +
      'The invokes share one event loop, so with a store as fast as MongoDB the slowest of 50 answers comes after about 50 times that. ' +
      'Accounts disabled: the simulated tenant is read every 20 ms during the cut-off-now round; a layoff approved at once, and how long the last person kept their access.',
  ];
  console.log(lines.join('\n'));
  await appendFile(path.join(__dirname, '..', '..', 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  console.error(err.stack);
  process.exit(1);
});
