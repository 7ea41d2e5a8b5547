import { spawn } from 'node:child_process';
import path from 'node:path';
import { freeLoopbackPort, stopChild, waitUntilOk } from './child-processes';

/** The app's entry point (src/main.ts) in a process of its own, as a host runs it. */
export interface AppProcess {
  url: string;
  /** Warnings and errors the app logged, by event, with the first one's fields. */
  problems: Map<string, { count: number; first: string }>;
  output(): string;
  /** SIGTERM, then waits for the graceful shutdown (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

/** Starts the app on a free loopback port with `env` on top of a bare environment (no inherited credentials). */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const port = await freeLoopbackPort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
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
  const app: AppProcess = { url: `http://127.0.0.1:${port}`, problems, output: () => output, stop: (graceMs) => stopChild(child, graceMs) };
  try {
    await waitUntilOk(`${app.url}/healthz`, child, 60_000);
  } catch (err) {
    await app.stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return app;
}
