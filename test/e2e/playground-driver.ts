// Drives the Microsoft 365 Agents Playground (the local Teams emulator) for end-to-end tests:
// its HTTP endpoints (act as another user, mock activities) and a Playwright page object for its UI.
// Behaviour behind every selector and endpoint here is documented in PLAYGROUND.md.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export interface CardActionAs {
  /** Playground user id from the config (user-id-1 is Megan Bowen), not the Entra object id. */
  userId: string;
  /** Conversation that holds the card: the thread id (`19:…;messageid=…`) in a channel. */
  conversationId: string;
  /** Message id of the card itself. */
  cardMessageId: string;
  verb: string;
  /** Card data merged with input values, exactly as the client would send it. */
  data?: Record<string, unknown>;
}

export interface PlaygroundApi {
  url: string;
  /** serviceUrl the Playground puts on activities; a bot posts proactively against it. */
  serviceUrl: string;
  /** The Playground's mock Teams data (users, chats, team and channels) as it loaded it. */
  config(): Promise<PlaygroundConfig>;
  /** Sends an Action.Execute invoke as another user, like a click by them; returns the bot's invoke response. */
  executeCardActionAs(action: CardActionAs): Promise<unknown>;
  /** Sends any activity JSON to the bot (the "Mock an Activity" feature); the bot's answer is not returned. */
  mockActivity(activity: Record<string, unknown>): Promise<void>;
  /** A pre-filled activity for a conversation; type e.g. 'install', 'botAdded', or omitted for a bare one. */
  activityTemplate(conversationId: string, type?: string): Promise<Record<string, unknown>>;
}

export interface PlaygroundConfig {
  currentUser: { id: string; name: string; aadObjectId: string };
  users: { id: string; name: string; aadObjectId: string }[];
  bot: { id: string; name: string };
  teams: { id: string; name: string; channels: { id: string; name: string }[] }[];
}

/** A message the bot posted, as the Playground pushed it to the UI. */
export interface BotMessage {
  /** Conversation the message lives in; use it for invokes and updates (thread id for channel posts). */
  conversationId: string;
  messageId: string;
  text?: string;
  attachments: { contentType: string; content: unknown }[];
}

/** The HTTP side of a running Playground (its UI's own endpoints): act as users, mock activities. */
export function playgroundApi(url: string, port: number = Number(new URL(url).port)): PlaygroundApi {
  return {
    url,
    serviceUrl: `http://localhost:${port}/_connector`,
    config: async () => ((await requestJson(url, 'GET', '/_internal/v1/config')) as { config: PlaygroundConfig }).config,
    executeCardActionAs: (a) =>
      requestJson(url, 'POST', '/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: a.verb, data: a.data ?? {} } },
        from: { id: a.userId },
        conversation: { id: a.conversationId },
        replyToId: a.cardMessageId,
      }),
    mockActivity: async (activity) => {
      await requestJson(url, 'POST', '/_internal/v1/customActivities', activity);
    },
    activityTemplate: async (conversationId, type) => {
      const query = new URLSearchParams({ conversationId, ...(type ? { type } : {}) });
      return (await requestJson(url, 'GET', `/_internal/v1/customActivities/template?${query}`)) as Record<string, unknown>;
    },
  };
}

export interface OpenPageOptions {
  screenshotsDir?: string;
  chromiumPath?: string;
}

export async function openPlaygroundPage(url: string, options: OpenPageOptions = {}): Promise<PlaygroundPage> {
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const driver = new PlaygroundPage(browser, page, options.screenshotsDir);
  await driver.load(url);
  return driver;
}

export class PlaygroundPage {
  private readonly botMessages: BotMessage[] = [];
  private botName = '';
  private scope: 'personal' | 'groupChat' | 'channel' = 'personal';

  constructor(private readonly browser: Browser, readonly page: Page, private readonly screenshotsDir?: string) {
    // The UI learns about bot messages over this socket; recording them gives tests the message ids.
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => this.recordBotMessage(String(payload)));
    });
  }

  async load(url: string): Promise<void> {
    const config = this.page.waitForResponse((r) => r.url().endsWith('/_internal/v1/config'));
    await this.page.goto(url);
    this.botName = ((await (await config).json()) as { config: PlaygroundConfig }).config.bot.name;
    await this.page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
  }

  async openPersonalChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Personal Chat', exact: true }).click();
    this.scope = 'personal';
  }

  async openGroupChat(name = 'Group Chat'): Promise<void> {
    await this.page.getByRole('treeitem', { name, exact: true }).click();
    this.scope = 'groupChat';
  }

  /** Opens a team channel; the first visit per page load sends installationUpdate + conversationUpdate to the bot. */
  async openChannel(channelName: string): Promise<void> {
    await this.page.getByRole('treeitem', { name: new RegExp(` - ${escapeRegExp(channelName)}$`) }).click();
    this.scope = 'channel';
    await this.page.getByRole('button', { name: 'Post', exact: true }).waitFor();
  }

  /**
   * Sends text as the current user. Outside personal chat the Playground only forwards messages
   * that @mention the bot, so the mention is inserted through the UI's mention picker.
   */
  async send(text: string): Promise<void> {
    // Card inputs are textboxes too; the compose box is the first rich-text editor (in a channel,
    // the "Start a new post" one above the threads).
    await this.page.locator('[data-lexical-editor="true"]').first().click();
    if (this.scope !== 'personal') {
      await this.page.keyboard.type('@');
      await this.page.getByRole('menuitem').filter({ hasText: this.botName }).first().click({ timeout: 5000 });
      await this.page.keyboard.type(' ');
    }
    await this.page.keyboard.type(text);
    if (this.scope === 'channel') await this.page.getByRole('button', { name: 'Post', exact: true }).click();
    else await this.page.keyboard.press('Enter');
  }

  /** Waits for visible text anywhere in the open conversation (bot replies, card text). */
  async waitForText(text: string, timeoutMs = 10_000): Promise<Locator> {
    const match = this.page.getByText(text).last();
    await match.waitFor({ timeout: timeoutMs });
    return match;
  }

  /** The last rendered Adaptive Card containing the text. */
  async waitForCardWithText(text: string, timeoutMs = 10_000): Promise<Locator> {
    const card = this.page.locator('.ac-adaptiveCard', { hasText: text }).last();
    await card.waitFor({ timeout: timeoutMs });
    return card;
  }

  /** Card inputs carry generated DOM ids, so they are found by their label (or placeholder). */
  async fillCardInput(card: Locator, labelOrPlaceholder: string, value: string): Promise<void> {
    // The renderer labels inputs with aria-labelledby "<label> <extra>", so match the label as a prefix.
    const byLabel = card.getByLabel(new RegExp(`^${escapeRegExp(labelOrPlaceholder)}`));
    const input = (await byLabel.count()) > 0 ? byLabel.first() : card.getByPlaceholder(labelOrPlaceholder).first();
    await input.fill(value);
  }

  /** Picks a choice of an Input.ChoiceSet: compact (a native select or a combobox) or expanded (radio / checkbox). */
  async chooseCardChoice(card: Locator, label: string, choiceTitle: string): Promise<void> {
    const field = card.getByLabel(new RegExp(`^${escapeRegExp(label)}`));
    if ((await field.count()) > 0) {
      const first = field.first();
      if ((await first.evaluate((el) => el.tagName)) === 'SELECT') {
        await first.selectOption({ label: choiceTitle });
        return;
      }
      if ((await first.getAttribute('role')) === 'combobox') {
        await first.click();
        await this.page.getByRole('option', { name: choiceTitle, exact: true }).click();
        return;
      }
    }
    const toggle = card.getByRole('radio', { name: choiceTitle, exact: true })
      .or(card.getByRole('checkbox', { name: choiceTitle, exact: true }));
    await toggle.first().check();
  }

  /** Clicks an Action.Execute button and returns the invoke response the UI received. */
  async clickCardAction(card: Locator, title: string, timeoutMs = 15_000): Promise<unknown> {
    const response = this.page.waitForResponse((r) => r.url().endsWith('/_conversation/v1/invoke'), { timeout: timeoutMs });
    await card.getByRole('button', { name: title, exact: true }).click();
    return (await response).json();
  }

  /** How many bot messages the UI has received so far: pass it to waitForBotMessage to see only later ones. */
  get botMessageCount(): number {
    return this.botMessages.length;
  }

  /** The latest bot message pushed to the UI (after the first `since`) whose text or card JSON contains the text. */
  async waitForBotMessage(text: string, timeoutMs = 10_000, since = 0): Promise<BotMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...this.botMessages.slice(since)].reverse().find((m) => JSON.stringify([m.text, m.attachments]).includes(text));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no bot message containing "${text}" within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async screenshot(name: string): Promise<string | undefined> {
    if (!this.screenshotsDir) return undefined;
    mkdirSync(this.screenshotsDir, { recursive: true });
    const file = path.join(this.screenshotsDir, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  private recordBotMessage(payload: string): void {
    let frame: { action?: string; actionConversationId?: string; message?: Record<string, unknown> };
    try {
      frame = JSON.parse(payload);
    } catch {
      return;
    }
    if ((frame.action !== 'createMessage' && frame.action !== 'updateMessage') || !frame.message || !frame.actionConversationId) return;
    const message = frame.message as { messageId: string; text?: string; attachments?: BotMessage['attachments']; postConversationId?: string };
    const entry: BotMessage = {
      conversationId: message.postConversationId ?? frame.actionConversationId,
      messageId: message.messageId,
      text: message.text,
      attachments: message.attachments ?? [],
    };
    const existing = this.botMessages.findIndex((m) => m.messageId === entry.messageId);
    if (existing >= 0) this.botMessages.splice(existing, 1);
    this.botMessages.push(entry);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}





async function requestJson(baseUrl: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(baseUrl + route, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Playground ${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

