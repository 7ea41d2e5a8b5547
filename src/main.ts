import { startApp, type RunningApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger } from './log';

/** Production and demo entry point. Refuses to start on incomplete configuration. */
export async function main(): Promise<{ app: RunningApp; config: AppConfig }> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Refusing to start. ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const app = await startApp(config, log);
  if (config.mode === 'demo') {
    process.stdout.write(
      [
        '',
        '  DEMO MODE: Bot Framework authentication is OFF and the Microsoft 365 tenant is SIMULATED.',
        `  Listening on loopback only: ${app.url}/api/messages`,
        `  Simulated tenant (Contoso): ${app.simUrl}`,
        `  Dashboard tab (demo sign-in): ${app.url}/tab/index.html`,
        `  Store: ${config.mongodb ? 'MongoDB' : `embedded, on disk in ${config.dataDir}`}`,
        '',
      ].join('\n') + '\n',
    );
  }
  log.info('app.started', { mode: config.mode, url: app.url });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { app, config };
}

if (require.main === module) void main();
