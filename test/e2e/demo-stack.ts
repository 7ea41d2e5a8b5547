import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort as freePort, stopChild, waitUntilOk } from '../support/child-processes';

/** `npm start`'s demo stack (app + simulated tenant + Agents Playground) as a child process. */
export interface DemoStack {
  appUrl: string;
  simUrl: string;
  playgroundUrl: string;
  output(): string;
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

export async function startDemoStack(): Promise<DemoStack> {
  const [appPort, simPort, playgroundPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(tmpdir(), 'offboarding-e2e-'));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(appPort), SIM_PORT: String(simPort), PLAYGROUND_PORT: String(playgroundPort), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stack: DemoStack = {
    appUrl: `http://127.0.0.1:${appPort}`,
    simUrl: `http://127.0.0.1:${simPort}`,
    playgroundUrl: `http://127.0.0.1:${playgroundPort}`,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilOk(`${stack.appUrl}/healthz`, child, 30_000);
    await waitUntilOk(`${stack.playgroundUrl}/_debug/ping`, child, 30_000);
  } catch (err) {
    await stack.stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return stack;
}
