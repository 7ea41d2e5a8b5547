/**
 * `npm run bench`: runs the benchmarks one after another, each in its own process so one's load
 * (servers, FerretDB, timers) cannot slow the next. BENCH=bulk,approval,disable picks some.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHMARKS: Record<string, string> = {
  bulk: 'bulk-offboarding.ts',
  approval: 'approval-latency.ts',
  disable: 'time-to-disable.ts',
};

const wanted = (process.env.BENCH ?? Object.keys(BENCHMARKS).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}.`);
  process.exit(2);
}

const tsx = require.resolve('tsx/cli');
for (const name of wanted) {
  console.log(`\n== ${name} ==`);
  const run = spawnSync(process.execPath, [tsx, path.join(__dirname, BENCHMARKS[name])], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`Benchmark ${name} failed (exit ${run.status ?? run.signal}).`);
    process.exit(1);
  }
}
