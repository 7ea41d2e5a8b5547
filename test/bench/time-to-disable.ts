/**
 * Benchmark 3: from the last approval of an immediate case to the account being disabled in the
 * tenant. Each run starts a fresh app (real server, FerretDB, simulated tenant), has Alex request
 * Jane's offboarding (cut-off now) through the bot, and Megan approve it; the simulated tenant is
 * read every 10 ms until Jane's account is disabled. Appends to BENCHMARKS.md.
 * Run with `npm run bench` (BENCH=disable for this one alone); BENCH_DISABLE_RUNS overrides 10.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { SEED_IDS } from '../../src/sim/seed';
import { cardText, cardVerbs } from '../support/card-text';
import { ConnectorRecorder } from '../support/connector-recorder';
import { startMongoForTests, stopMongoForTests } from '../support/ferretdb';
import { cardAction, installInTeam, personalMessage, postActivity, type TeamsUser } from '../support/teams-activities';

const RUNS = Number(process.env.BENCH_DISABLE_RUNS ?? 10);
const POLL_MS = 10;
const GOAL_MS = 5_000;
/** Give up on one run after this long, so a stuck case fails the benchmark instead of hanging it. */
const GIVE_UP_MS = 60_000;

const SECURITY = '19:security@thread.tacv2';
const IT = '19:it-operations@thread.tacv2';
const alex: TeamsUser = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: SEED_IDS.alex };
const megan: TeamsUser = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: SEED_IDS.megan };
const alexChat = { id: `a:personal-${alex.id}`, conversationType: 'personal' };
const securityThread = { id: SECURITY, conversationType: 'channel' };

interface Run {
  /** All in ms from the moment Megan's approve invoke was sent. */
  answered: number;
  disabled: number;
  closed: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(mongo: { uri: string }): Promise<Run> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-disable-'));
  const connector = await new ConnectorRecorder([{ id: IT, name: 'General' }, { id: SECURITY, name: 'Security' }]).start();
  const db = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const app = await startApp(loadConfig({ PORT: '0', SIM_PORT: '0', DATA_DIR: dataDir, MONGODB_URI: mongo.uri, MONGODB_DB: db }), silentLogger);
  try {
    await postActivity(app.url, installInTeam(connector.url, alex));
    const before = connector.calls.length;
    await postActivity(app.url, personalMessage(connector.url, alex, 'offboard Jane'));
    const reply = await connector.waitFor(() => connector.calls.length > before && connector.calls[connector.calls.length - 1]);
    const requestCard = ((reply.body.attachments as { content: unknown }[] | undefined) ?? [])[0]?.content;
    const submit = cardVerbs(requestCard).find((a) => a.verb === 'submitRequest');
    if (!submit) throw new Error(`no request card for Jane: ${cardText(requestCard)}`);
    const status = await postActivity(app.url, cardAction(connector.url, alex, alexChat, 'submitRequest', { ...submit.data, departureType: 'involuntary', cutoffNow: 'true', timeZone: 'UTC' }));
    if (!/awaiting|approval/i.test(cardText(status.body?.value))) throw new Error(`request not accepted: ${cardText(status.body?.value)}`);
    const posted = await connector.waitFor(() => connector.cards({ conversationId: SECURITY, method: 'POST' })[0]);
    const approve = cardVerbs(posted.card).find((a) => a.verb === 'approve');
    if (!approve) throw new Error('the approval card has no Approve');

    const jane = () => app.sim!.state.users.get(SEED_IDS.jane)!;
    const sent = performance.now();
    let answered = NaN;
    const click = postActivity(app.url, cardAction(connector.url, megan, securityThread, 'approve', approve.data)).then((res) => {
      answered = performance.now() - sent;
      if (!/Approved by Megan Bowen/.test(cardText(res.body?.value))) throw new Error(`approval not recorded: ${cardText(res.body?.value)}`);
    });
    while (jane().accountEnabled) {
      if (performance.now() - sent > GIVE_UP_MS) throw new Error('Jane was not disabled within a minute');
      await sleep(POLL_MS);
    }
    const disabled = performance.now() - sent;
    await click;
    const caseId = String(approve.data.caseId);
    for (;;) {
      const c = await app.store.getCase(caseId);
      if (c && !['approved', 'running'].includes(c.state)) break;
      if (performance.now() - sent > GIVE_UP_MS) throw new Error('the case did not close within a minute');
      await sleep(POLL_MS);
    }
    return { answered, disabled, closed: performance.now() - sent };
  } finally {
    await app.close();
    await connector.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  try {
    const mongo = await startMongoForTests();
    for (let i = 0; i < RUNS; i++) runs.push(await once(mongo));
  } finally {
    await stopMongoForTests();
  }
  const ms = (v: number) => v.toFixed(0);
  const stat = (pick: (r: Run) => number) => `${ms(median(runs.map(pick)))} | ${ms(Math.max(...runs.map(pick)))}`;
  const worstDisabled = Math.max(...runs.map((r) => r.disabled));
  const lines = [
    '',
    `### Approval to account disabled, ${RUNS} runs — ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. ` +
      'Store: MongoDB protocol (FerretDB v1, SQLite backend) on loopback. Each run: a fresh app (real server, demo mode, simulated tenant), ' +
      'Alex requests Jane Doe’s involuntary offboarding with cut-off now, Megan Bowen approves (the only approval needed); ' +
      `Jane’s \`accountEnabled\` is read from the simulated tenant every ${POLL_MS} ms. Times from sending the approve invoke.`,
    '',
    '| measure | median ms | max ms |',
    '|---|---|---|',
    `| approve invoke answered | ${stat((r) => r.answered)} |`,
    `| Jane’s account disabled | ${stat((r) => r.disabled)} |`,
    `| case closed (all steps) | ${stat((r) => r.closed)} |`,
    '',
    `Goal: account disabled within ${GOAL_MS / 1000} s of the approval — ${worstDisabled < GOAL_MS ? 'met' : 'not met'} (worst of ${RUNS} runs: ${ms(worstDisabled)} ms). ` +
      'The sign-in block is the fourth step of the plan, after the evidence snapshot and the removal of directory roles and PIM eligibilities (src/cases/plan.ts).',
  ];
  console.log(lines.join('\n'));
  await appendFile(path.join(__dirname, '..', '..', 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  console.error(err.stack);
  process.exit(1);
});
