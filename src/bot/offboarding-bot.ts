import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type CloudAdapter,
  type ConversationParameters,
  type InvokeResponse,
} from 'botbuilder';
import type { OffboardingRequests } from '../cases/offboarding-requests';
import { noticeCard, pickTargetCard, type AdaptiveCardJson } from '../cards';
import type { Logger } from '../log';
import { actorOf, conversationOf, type CardActions } from './card-actions';
import { RateWindow } from '../rate-window';
import { HELP_TEXT, NOT_UNDERSTOOD_TEXT, OFFBOARD_USAGE, parseCommand } from './commands';
import type { ConversationRefs } from './conversation-refs';

export interface BotDeps {
  requests: OffboardingRequests;
  cardActions: CardActions;
  refs: ConversationRefs;
  log: Logger;
  /** The bot's Microsoft App ID ('' in the demo), to start a personal chat with a requester. */
  appId: string;
}

const cardMessage = (card: AdaptiveCardJson) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

/** The OAuth scope of the Bot Connector service in the public cloud (Bot Framework docs). */
const BOT_CONNECTOR_AUDIENCE = 'https://api.botframework.com';

export const SENT_PRIVATELY = 'I answered you in a personal chat with me: an offboarding is for you and the approvers, not for this channel.';

/** The Teams edge: commands in personal chat or with an @mention in a channel, and card actions. */
export class OffboardingBot extends TeamsActivityHandler {
  // Per person, so one account (or a compromised one) cannot flood Graph lookups or the approvers.
  private readonly rateLimit = new RateWindow(10, 60_000);

  constructor(private readonly deps: BotDeps) {
    super();
    this.onTurn(async (context, next) => {
      await this.deps.refs.capture(context.activity).catch((err: Error) => this.deps.log.warn('refs.capture_failed', { error: err.message }));
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.learnChannels(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      if (context.activity.conversation?.conversationType === 'channel') await this.learnChannels(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answerCommand(context);
      await next();
    });
  }

  private async learnChannels(context: TurnContext): Promise<void> {
    try {
      const channels = await this.deps.refs.captureTeamChannels(context);
      this.deps.log.info('team.channels_learned', { count: channels.length });
      const members = await this.deps.refs.captureTeamMembers(context);
      this.deps.log.info('team.members_learned', { count: members });
    } catch (err) {
      this.deps.log.warn('team.channels_unavailable', { error: (err as Error).message });
    }
  }

  private async answerCommand(context: TurnContext): Promise<void> {
    const text = context.activity.conversation?.conversationType === 'personal' ? context.activity.text : TurnContext.removeRecipientMention(context.activity);
    const command = parseCommand(text);
    if (command.kind === 'help' || command.kind === 'unknown') {
      await context.sendActivity(MessageFactory.text(command.kind === 'help' ? HELP_TEXT : NOT_UNDERSTOOD_TEXT));
      return;
    }
    if (command.kind === 'usage') {
      await context.sendActivity(cardMessage(noticeCard(OFFBOARD_USAGE.title, OFFBOARD_USAGE.text)));
      return;
    }
    const actor = actorOf(context);
    if (!actor) {
      await context.sendActivity('Teams did not say who you are, so I cannot start an offboarding.');
      return;
    }
    const waitSeconds = this.rateLimit.take(actor.id);
    if (waitSeconds > 0) {
      this.deps.log.warn('command.rate_limited', { actorId: actor.id });
      await context.sendActivity(`You have sent many offboarding commands in a short time. Please wait ${waitSeconds} seconds and try again.`);
      return;
    }
    const result = await this.deps.requests.lookUp(actor, command.name);
    // In a channel or group chat, who is leaving and what the form warns of go to the requester alone.
    const shared = conversationOf(context) === 'shared';
    const answer = (where: 'personal' | 'shared') =>
      cardMessage(
        result.kind === 'pick'
          ? pickTargetCard(command.name, result.matches)
          : result.kind === 'refused'
            ? noticeCard('Cannot offboard', result.message, 'attention')
            : this.deps.cardActions.lookupCard(result, where),
      );
    if (shared && (await this.answerPrivately(context, answer('personal')))) {
      await context.sendActivity(SENT_PRIVATELY);
      return;
    }
    await context.sendActivity(answer(shared ? 'shared' : 'personal'));
  }

  /**
   * Starts (or reopens) the personal chat between the bot and whoever wrote in a channel, and
   * answers there. False when Teams would not: the app is not available to that person, say.
   */
  private async answerPrivately(context: TurnContext, message: Partial<Activity>): Promise<boolean> {
    const { activity } = context;
    const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const parameters = {
      isGroup: false,
      bot: activity.recipient,
      members: [activity.from],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    try {
      await (context.adapter as CloudAdapter).createConversationAsync(this.deps.appId, activity.channelId, activity.serviceUrl, BOT_CONNECTOR_AUDIENCE, parameters, async (personal) => {
        await personal.sendActivity(message);
      });
      return true;
    } catch (err) {
      this.deps.log.warn('command.personal_chat_unavailable', { actorId: activity.from?.aadObjectId, error: (err as Error).message });
      return false;
    }
  }

  /**
   * A card action whose value has no action object crashes botbuilder's own parsing (a TypeError
   * and a 501); such a payload is malformed, so it gets a clear 400 here.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const value = context.activity.value as { action?: unknown } | undefined;
    if (context.activity.name === 'adaptiveCard/action' && (typeof value?.action !== 'object' || value.action === null)) {
      this.deps.log.warn('invoke.malformed', { fromId: context.activity.from?.aadObjectId });
      const body: AdaptiveCardInvokeResponse = {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'The card action carries no action.' } as unknown as AdaptiveCardInvokeResponse['value'],
      };
      return { status: 400, body };
    }
    return super.onInvokeActivity(context);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return this.deps.cardActions.handle(context, invokeValue);
  }
}
