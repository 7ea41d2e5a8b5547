import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** One call the bot made to the Bot Connector service. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
}

/**
 * A Bot Connector service on loopback that records what the bot sends, for bot-over-HTTP tests:
 * replies, proactive posts and updates, and answers the team channel list.
 */
export class ConnectorRecorder {
  readonly calls: ConnectorCall[] = [];
  private server?: http.Server;
  url = '';
  /** Set to make Teams refuse to start personal chats, as it does for a user without the app. */
  refusePersonalChats = false;

  constructor(private readonly channels: { id: string; name: string }[]) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => this.answer(req, raw, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Messages (sent or updated) whose first attachment is an Adaptive Card, in order. */
  cards(filter: { conversationId?: string; method?: string } = {}): { call: ConnectorCall; card: Record<string, unknown> }[] {
    return this.calls
      .filter((c) => (!filter.conversationId || c.conversationId === filter.conversationId) && (!filter.method || c.method === filter.method))
      .flatMap((call) => {
        const attachments = (call.body.attachments ?? []) as { contentType?: string; content?: Record<string, unknown> }[];
        const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
        return card ? [{ call, card }] : [];
      });
  }

  texts(conversationId?: string): string[] {
    return this.calls.filter((c) => !conversationId || c.conversationId === conversationId).map((c) => String(c.body.text ?? '')).filter(Boolean);
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > until) throw new Error('timed out waiting for the bot');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // Creating a personal chat answers the one chat Teams keeps between the bot and that person.
    if (req.method === 'POST' && path === '/v3/conversations') {
      const body = raw ? (JSON.parse(raw) as { members?: Array<{ id: string }> }) : {};
      this.calls.push({ method: 'POST', path, conversationId: '', body: body as Record<string, unknown> });
      if (this.refusePersonalChats) return reply(403, { error: { code: 'Forbidden', message: 'The bot is not installed for this user.' } });
      return reply(201, { id: `a:personal-${body.members?.[0]?.id ?? 'unknown'}` });
    }
    const teams = /^\/v3\/teams\/([^/]+)\/conversations$/.exec(path);
    if (req.method === 'GET' && teams) return reply(200, { conversations: this.channels });
    const activity = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (activity) {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      this.calls.push({ method: req.method ?? '', path, conversationId: activity[1], activityId: activity[2], body });
      return reply(200, { id: req.method === 'PUT' ? activity[2] : `activity-${randomUUID()}` });
    }
    reply(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
  }
}
