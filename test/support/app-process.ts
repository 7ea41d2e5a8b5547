import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { freeLoopbackPort, stopChild, waitUntilOk } from './child-processes';

/** The app's entry point (src/main.ts) in a process of its own, as a host runs it. */
export interface AppProcess {
  url: string;
  /** Warnings and errors the app logged, by event, with the first one's fields. */
  problems: Map<string, { count: number; first: string }>;
  output(): string;
  /** CPU time the app's process has used so far (user + system, all its threads), in ms; from /proc, so Linux only. */
  cpuMs(): Promise<number>;
  /** SIGTERM, then waits for the graceful shutdown (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

/**
 * How the app is started: from the TypeScript sources through tsx (the tests), or compiled, as
 * production runs it (`npm run build && npm run start:app`): no loader hooks, no source maps.
 */
export type AppEntry = 'sources' | 'built';

/** Compiles the project (`npm run build`) so `startAppProcess(env, 'built')` runs the current code. */
export function buildApp(): void {
  const run = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm run build failed:\n${run.stdout}${run.stderr}`);
}

/** Starts the app on a free loopback port with `env` on top of a bare environment (no inherited credentials). */
export async function startAppProcess(env: Record<string, string>, entry: AppEntry = 'sources'): Promise<AppProcess> {
  const port = await freeLoopbackPort();
  /** BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the app process there when it stops (to find where an invoke spends). */
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const main = entry === 'built' ? ['dist/src/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...profile, ...main], {
    cwd: root,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const problems = new Map<string, { count: number; first: string }>();
  child.stdout!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: { level?: string; event?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue; // the demo banner
      }
      if ((entry.level !== 'warn' && entry.level !== 'error') || !entry.event) continue;
      const seen = problems.get(entry.event);
      if (seen) seen.count++;
      else problems.set(entry.event, { count: 1, first: line.slice(0, 300) });
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    problems,
    output: () => output,
    cpuMs: () => processCpuMs(child.pid!),
    stop: (graceMs) => stopChild(child, graceMs),
  };
  try {
    await waitUntilOk(`${app.url}/healthz`, child, 60_000);
  } catch (err) {
    await app.stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return app;
}

/** Linux's clock ticks per second for /proc times (USER_HZ), which is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
  // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
