import { spawn } from 'node:child_process';
import path from 'node:path';
import { main } from '../src/main';

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
  const stop = () => playground.kill('SIGTERM');
  process.once('exit', stop);
  playground.once('exit', (code) => {
    process.stderr.write(`The Agents Playground stopped (exit code ${code}). If .m365agentsplayground.yml is invalid, the reason is in its log (M365_AGENTS_PLAYGROUND_LOGFILE).\n`);
    void app.close().then(() => process.exit(code ?? 1));
  });
}

void start();
