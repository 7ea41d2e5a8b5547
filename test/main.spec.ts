import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from './support/child-processes';

const root = path.resolve(__dirname, '..');

/**
 * The processes of a process group that still run, as `pid state command` lines read from /proc.
 * Zombies are left out: they run nothing, and one whose parent is gone waits for init to reap it
 * (tsx's esbuild service, when the demo had to compile, dies with the group's signal that way).
 */
async function stillRunning(groupId: number): Promise<string[]> {
  const running: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // pid (command) state ppid pgrp ...: the command may hold spaces and parentheses.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === groupId && state !== 'Z') running.push(`${pid} ${state} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)}`);
  }
  return running;
}

/** Waits up to `graceMs` for every process of the group to end; answers those still running then. */
async function leftRunning(groupId: number, graceMs = 2_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const running = await stillRunning(groupId);
    if (running.length === 0 || Date.now() > deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('starting the app', () => {
  it('refuses a production start with incomplete configuration and lists what is missing', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, BOT_ID: '00000000-0000-0000-0000-000000000011' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /Refusing to start/);
    assert.match(run.stderr, /BOT_PASSWORD/);
    assert.match(run.stderr, /BOT_TENANT_ID/);
    assert.match(run.stderr, /M365_CLIENT_SECRET/);
  });

  describe('the demo (npm start): app and Agents Playground', function () {
    this.timeout(90_000);
    let dataDir: string;
    let demo: ChildProcess | undefined;
    let output = '';

    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'offboarding-start-'));
      output = '';
    });
    afterEach(async () => {
      // Whatever a failed test left running: the whole group, the Playground included.
      if (demo?.pid) {
        try {
          process.kill(-demo.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await rm(dataDir, { recursive: true, force: true });
    });

    /** scripts/start.ts in a process group of its own, as a terminal runs `npm start`; resolves once both are up. */
    async function startDemo(): Promise<{ exited: Promise<number | null> }> {
      const [port, playgroundPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
      demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        cwd: root,
        detached: true,
        env: { PATH: process.env.PATH, HOME: dataDir, DATA_DIR: dataDir, PORT: String(port), PLAYGROUND_PORT: String(playgroundPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));
      demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 60_000;
      while (!/Listening on \d+/.test(output)) {
        if (demo.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return { exited };
    }

    /**
     * The Agents Playground the demo started: its child whose command line runs the Playground's CLI.
     * Not just any child: with a cold tsx cache the demo also has tsx's esbuild service as a child.
     */
    async function playgroundPid(demoPid: number): Promise<number> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const children = execFileSync('pgrep', ['-P', String(demoPid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
        for (const child of children) {
          const command = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
          if (command.includes('m365agentsplayground')) return child;
        }
        if (Date.now() > deadline) throw new Error(`no Agents Playground among the demo's children ${children.join(', ')}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    /** Whether the process still runs: not gone, and not a zombie waiting to be reaped. */
    const runs = async (pid: number) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    };

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`stops quietly with exit code 0 on ${signal} to the process group (Ctrl+C, or a service manager)`, async () => {
        const { exited } = await startDemo();
        process.kill(-demo!.pid!, signal);
        assert.equal(await exited, 0, output);
        assert.doesNotMatch(output, /The Agents Playground stopped/);
        assert.doesNotMatch(output, /ERR_SERVER_NOT_RUNNING|\n\s+at /, 'no stack trace');
        assert.deepEqual(await leftRunning(demo!.pid!), [], 'nothing of the demo is left running');
      });
    }

    it('on SIGTERM to the app alone, stops the Playground too', async () => {
      const { exited } = await startDemo();
      const playground = await playgroundPid(demo!.pid!);
      process.kill(demo!.pid!, 'SIGTERM');
      assert.equal(await exited, 0, output);
      // The demo waits for the Playground to exit before it does: no grace is needed.
      assert.equal(await runs(playground), false, 'the Playground is gone');
      assert.doesNotMatch(output, /The Agents Playground stopped|\n\s+at /);
    });

    it('says so, and stops the app, when the Playground stops on its own', async () => {
      const { exited } = await startDemo();
      const playground = await playgroundPid(demo!.pid!);
      process.kill(playground, 'SIGKILL');
      assert.equal(await exited, 1, output);
      assert.match(output, /The Agents Playground stopped \(signal SIGKILL\)\. If \.m365agentsplayground\.yml is invalid/);
      assert.doesNotMatch(output, /ERR_SERVER_NOT_RUNNING|\n\s+at /, 'no stack trace');
    });
  });
});
