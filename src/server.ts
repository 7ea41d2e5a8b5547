import restify from 'restify';
import type { Logger } from './log';

export interface ServerDeps {
  /** Handles POST /api/messages (the Bot Framework adapter). */
  messages: (req: restify.Request, res: restify.Response) => Promise<void>;
  health: () => Promise<Record<string, unknown>>;
  log: Logger;
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'teams-offboarding', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await deps.messages(req, res);
  });
  server.get('/healthz', async (_req, res) => {
    try {
      res.json(200, { status: 'ok', ...(await deps.health()) });
    } catch (err) {
      deps.log.error('health.failed', { error: (err as Error).message });
      res.json(503, { status: 'unavailable' });
    }
  });
  return server;
}

export function listen(server: restify.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.url.replace('[::]', 'localhost').replace('0.0.0.0', 'localhost')));
  });
}
