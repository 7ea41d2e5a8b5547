import { type CloudAdapter, CardFactory, type ConversationReference, MessageFactory, type TurnContext } from 'botbuilder';
import type { OffboardingCase, PostedCard } from '../cases/case';
import { type CaseNotifier, DeliveryError } from '../cases/case-notifier';
import { approvalCard, completionCard, statusCard, type AdaptiveCardJson } from '../cards';
import type { Logger } from '../log';
import type { ConversationRefs } from './conversation-refs';

export interface TeamsNotifierDeps {
  adapter: CloudAdapter;
  appId: string;
  refs: ConversationRefs;
  channels: { securityChannelId: string; itChannelId: string };
  log: Logger;
}

const cardActivity = (card: AdaptiveCardJson) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

/** Posts and updates case cards in Teams channels and chats, outside of any user's turn. */
export class TeamsNotifier implements CaseNotifier {
  constructor(private readonly deps: TeamsNotifierDeps) {}

  requestSecurityApproval(c: OffboardingCase): Promise<PostedCard> {
    // The posted copy shows the buttons; the server decides on every click who may use them.
    return this.post(this.deps.channels.securityChannelId, 'Security', approvalCard(c, { canDecide: true }, []));
  }

  caseFinished(c: OffboardingCase): Promise<PostedCard> {
    return this.post(this.deps.channels.itChannelId, 'IT', completionCard(c));
  }

  async caseChanged(c: OffboardingCase): Promise<void> {
    const updates: [PostedCard | undefined, AdaptiveCardJson][] = [
      [c.cards.securityApproval, approvalCard(c, { canDecide: c.state === 'awaiting_approval' }, [])],
      [c.cards.requesterStatus, statusCard(c)],
    ];
    for (const [posted, card] of updates) if (posted) await this.update(posted, card);
  }

  /** Replaces a posted card in place, so every viewer and device sees the new state. */
  async update(posted: PostedCard, card: AdaptiveCardJson): Promise<void> {
    const ref = await this.reference(posted.conversationId);
    await this.deps.adapter.continueConversationAsync(this.deps.appId, { ...ref, conversation: { ...ref.conversation, id: posted.conversationId } as ConversationReference['conversation'] }, async (ctx: TurnContext) => {
      await ctx.updateActivity({ ...cardActivity(card), id: posted.activityId, conversation: ctx.activity.conversation });
    });
  }

  private async post(channelId: string, channelName: string, card: AdaptiveCardJson): Promise<PostedCard> {
    const ref = await this.deps.refs.forChannel(channelId);
    if (!ref) {
      throw new DeliveryError(
        `The ${channelName} channel cannot be reached: add the Offboarding app to the team that holds it (channel id ${channelId}), then ask IT to post the card again.`,
      );
    }
    let posted: PostedCard | undefined;
    await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, async (ctx: TurnContext) => {
      const res = await ctx.sendActivity(cardActivity(card));
      if (res?.id) posted = { conversationId: ctx.activity.conversation.id, activityId: res.id };
    });
    if (!posted) throw new DeliveryError(`Teams did not confirm the post in the ${channelName} channel.`);
    this.deps.log.info('card.posted', { channel: channelName, conversationId: posted.conversationId, activityId: posted.activityId });
    return posted;
  }

  private async reference(conversationId: string): Promise<Partial<ConversationReference>> {
    const channelId = conversationId.split(';')[0];
    const ref = (await this.deps.refs.forChannel(channelId)) ?? (await this.deps.refs.forConversation(conversationId));
    if (!ref) throw new DeliveryError(`No stored Teams reference for conversation ${conversationId}.`);
    return ref;
  }
}
