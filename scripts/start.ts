import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { main } from '../src/main';

/** Signals this close together are one stop passed on by npm and tsx, not a second Ctrl+C. */
const REPEATED_SIGNAL_MS = 1_000;
/** How long the Playground gets to stop on SIGTERM before it is killed. */
const PLAYGROUND_STOP_MS = 5_000;

/** Waits for a child asked to stop; one that does not stop in time is killed. */
async function untilGone(child: ChildProcess, gone: Promise<void>): Promise<void> {
  const timer = setTimeout(() => child.kill('SIGKILL'), PLAYGROUND_STOP_MS);
  await gone;
  clearTimeout(timer);
}

/**
 * `npm start`: the app, and in demo mode the Microsoft 365 Agents Playground as its Teams client.
 * The Playground reads .m365agentsplayground.yml (same people as the simulated tenant).
 */
async function start(): Promise<void> {
  const { app, config } = await main();
  if (config.mode !== 'demo') return;
  const port = process.env.PLAYGROUND_PORT ?? '56150';
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const playground = spawn(
    process.execPath,
    ['--require', path.join(__dirname, 'loopback-only.cjs'), cli, 'start', '-e', `${app.url}/api/messages`, '-c', 'msteams', '-p', port, '--dt'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        TEAMSAPPTESTER_PORT: port,
        // Its default is ./devTools/ in the working directory; keep it with the demo's data instead.
        M365_AGENTS_PLAYGROUND_LOGFILE: process.env.M365_AGENTS_PLAYGROUND_LOGFILE ?? path.resolve(config.dataDir, 'agentsplayground.log'),
      },
    },
  );
  process.stdout.write(`  Teams client (Agents Playground): http://localhost:${port}\n  Type "offboard Jane" in the personal chat as Alex Wilber.\n\n`);

  // main() closes the app and exits 0 on SIGINT/SIGTERM; here the Playground exiting may close it
  // too. A second close of the servers throws ERR_SERVER_NOT_RUNNING, so the app closes once. The
  // close also waits for a Playground asked to stop, so nothing of the demo outlives `npm start`.
  const playgroundGone = new Promise<void>((resolve) => playground.once('exit', () => resolve()));
  const closeApp = app.close.bind(app);
  let closing: Promise<void> | undefined;
  app.close = () => (closing ??= closeApp().then(() => (playgroundStopped ? untilGone(playground, playgroundGone) : undefined)));

  // Ctrl+C reaches the Playground too (same process group), a `kill` of this process does not:
  // stop it here once, whichever it was. Its exit is then expected, and nothing to report.
  let stoppingSince: number | undefined;
  let playgroundStopped = false;
  const stopPlayground = () => {
    if (playgroundStopped || playground.exitCode !== null || playground.signalCode !== null) return;
    playgroundStopped = true;
    playground.kill('SIGTERM');
  };
  const deliberateStop = (signal: NodeJS.Signals) => {
    if (stoppingSince === undefined) {
      stoppingSince = Date.now();
      stopPlayground();
      return;
    }
    // npm and tsx pass the group's signal on to this process again a moment later: the same stop.
    // Without a listener left, tsx's own handler would end the process with 130 mid-shutdown.
    if (Date.now() - stoppingSince < REPEATED_SIGNAL_MS) return;
    // A second Ctrl+C from the person: stop now, without waiting for running steps.
    process.exit(128 + constants.signals[signal]);
  };
  process.on('SIGINT', deliberateStop);
  process.on('SIGTERM', deliberateStop);
  process.once('exit', stopPlayground);
  playground.once('exit', (code, signal) => {
    if (stoppingSince !== undefined) return;
    process.stderr.write(
      `The Agents Playground stopped (${signal ? `signal ${signal}` : `exit code ${code}`}). If .m365agentsplayground.yml is invalid, the reason is in its log (M365_AGENTS_PLAYGROUND_LOGFILE).\n`,
    );
    void app.close().then(() => process.exit(code || 1));
  });
}

void start();
