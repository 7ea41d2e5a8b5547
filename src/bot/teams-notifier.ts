import { type CloudAdapter, CardFactory, type ConversationReference, MessageFactory, type TurnContext } from 'botbuilder';
import type { FollowUp, OffboardingCase, PostedCard } from '../cases/case';
import { type CaseNotifier, DeliveryError, type SignInNoticeStyle } from '../cases/case-notifier';
import { approvalCard, noticeCard, type AdaptiveCardJson } from '../cards';
import { approvalProgress } from '../cards/approval-card';
import { FOLLOW_UP_LABELS, formatUtc } from '../cards/wording';
import { missingApprovals } from '../cases/policy';
import { requesterStatusCard } from './requester-status';
import type { Logger } from '../log';
import { itProgressCard } from './case-cards';
import type { ConversationRefs } from './conversation-refs';

export interface TeamsNotifierDeps {
  adapter: CloudAdapter;
  appId: string;
  refs: ConversationRefs;
  channels: { securityChannelId: string; itChannelId: string; escalationChannelId?: string };
  /** Entra ids of the people who should get their own view of a case's approval card. */
  approvalViewers: (c: OffboardingCase) => Promise<string[]>;
  /** Keeps where a card was posted on the case, to update it in place later. */
  rememberCard: (caseId: string, which: keyof OffboardingCase['cards'], posted: PostedCard) => Promise<void>;
  log: Logger;
}

const cardActivity = (card: AdaptiveCardJson) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

/** Posts and updates case cards in Teams channels and chats, outside of any user's turn. */
export class TeamsNotifier implements CaseNotifier {
  constructor(private readonly deps: TeamsNotifierDeps) {}

  async requestSecurityApproval(c: OffboardingCase): Promise<PostedCard> {
    // The posted copy shows the buttons, so clients without Universal Actions refresh still work;
    // listed viewers get their own view on open, and the server decides on every click anyway.
    return this.post(this.deps.channels.securityChannelId, 'Security', approvalCard(c, { canDecide: true }, await this.refreshIds(c)));
  }

  /** Teams ids (MRIs) of the case's approval viewers; a viewer the bot never saw is left out. */
  private async refreshIds(c: OffboardingCase): Promise<string[]> {
    try {
      return await this.deps.refs.mrisOf(await this.deps.approvalViewers(c));
    } catch (err) {
      this.deps.log.warn('refresh_ids.unavailable', { caseId: c._id, error: (err as Error).message });
      return [];
    }
  }

  /** The manager's copy goes to their personal chat, which exists only once they talked to the bot. */
  async requestManagerApproval(c: OffboardingCase): Promise<PostedCard> {
    const manager = c.requiredApprovals?.manager;
    if (!manager) throw new DeliveryError('This case needs no manager approval.');
    const ref = await this.deps.refs.forUser(manager.id);
    if (!ref) {
      throw new DeliveryError(
        `${manager.displayName} has never opened a chat with the Offboarding bot, so their approval card cannot be sent. Ask them to send "help" to the bot in Teams; the card follows automatically.`,
      );
    }
    return this.postTo(ref, 'manager', approvalCard(c, { canDecide: true }, [], { forManager: true }));
  }

  /**
   * The IT channel's progress card becomes the completion summary, in the same message: the
   * caseChanged that follows the close turns it into the summary. Posted afresh only when no
   * progress card was posted.
   */
  async caseFinished(c: OffboardingCase): Promise<PostedCard> {
    return c.cards.itProgress ?? this.post(this.deps.channels.itChannelId, 'IT', itProgressCard(c));
  }

  /** A reminder in the Security channel and, when configured, a note in the escalation channel. */
  async remindApprovers(c: OffboardingCase, escalation: { groupId?: string }): Promise<void> {
    const what = `The offboarding of ${c.target.displayName} (case ${c._id}), requested by ${c.requester.displayName} at ${formatUtc(c.createdAt)}, still waits for approval.`;
    const missing = `Still missing: ${missingApprovals(c).join(', ')}. ${approvalProgress(c).join(' ')}`;
    const channel = this.deps.channels.escalationChannelId;
    const escalated = !escalation.groupId
      ? 'No escalation group is configured (ESCALATION_GROUP_ID), so nobody else was told.'
      : channel
        ? 'The escalation group was told in its channel.'
        : `The escalation group (${escalation.groupId}) has no channel configured (ESCALATION_CHANNEL_ID), so it was not told in Teams.`;
    await this.post(this.deps.channels.securityChannelId, 'Security', noticeCard('Reminder: approval needed', `${what} ${missing} ${escalated}`));
    if (escalation.groupId && channel) {
      await this.post(channel, 'escalation', noticeCard('Escalation: offboarding approval is overdue', `${what} ${missing}`));
    }
  }

  /** A follow-up's finding for the security team: the files the person took out before leaving. */
  async reportDownloads(c: OffboardingCase, report: string): Promise<void> {
    const text = `Offboarding of ${c.target.displayName} (case ${c._id}), from Microsoft Purview's audit log: ${report}`;
    await this.post(this.deps.channels.securityChannelId, 'Security', noticeCard('Files downloaded before leaving', text, 'warning'));
  }

  /** A follow-up's finding for the security team: sign-ins as the person after they were shut out. */
  async reportSignIns(c: OffboardingCase, report: string, style: SignInNoticeStyle): Promise<void> {
    const text = `Offboarding of ${c.target.displayName} (case ${c._id}), from Entra ID's sign-in log: ${report}`;
    await this.post(this.deps.channels.securityChannelId, 'Security', noticeCard('Sign-ins after the block', text, style));
  }

  /** A scheduled follow-up: asks IT, in its channel, to look at a closed case again. */
  async remindReview(c: OffboardingCase): Promise<void> {
    const text = `The offboarding of ${c.target.displayName} (case ${c._id}) was closed a while ago and is due for review. Check that nothing was left behind: exceptions resolved, the shared mailbox and its delegate still needed, licences, devices and files handed back.`;
    await this.post(this.deps.channels.itChannelId, 'IT', noticeCard('Review: offboarding follow-up', text));
  }

  /** A follow-up that failed for good: IT hears of it, since nothing retries it by itself. */
  async followUpFailed(c: OffboardingCase, followUp: FollowUp): Promise<void> {
    const text = `The follow-up "${FOLLOW_UP_LABELS[followUp.action]}" of the offboarding of ${c.target.displayName} (case ${c._id}) failed. ${followUp.detail ?? ''} Fix the cause, then retry it with "Retry failed steps" on the case in the dashboard.`;
    await this.post(this.deps.channels.itChannelId, 'IT', noticeCard('Follow-up failed', text, 'attention'));
  }

  async caseChanged(c: OffboardingCase): Promise<void> {
    const awaiting = c.state === 'awaiting_approval';
    // Rendered only for the copies that were posted: a case without a manager card renders none.
    if (c.cards.securityApproval) await this.update(c.cards.securityApproval, approvalCard(c, { canDecide: awaiting }, awaiting ? await this.refreshIds(c) : []));
    if (c.cards.managerApproval) await this.update(c.cards.managerApproval, approvalCard(c, { canDecide: awaiting && !c.approvals?.manager }, [], { forManager: true }));
    await this.stepsChanged(c);
  }

  async stepsChanged(c: OffboardingCase): Promise<void> {
    if (c.cards.requesterStatus) await this.update(c.cards.requesterStatus, requesterStatusCard(c));
    await this.showProgressToIt(c);
  }

  /** IT watches execution: a progress card posted when it starts, then updated as steps finish. */
  private async showProgressToIt(c: OffboardingCase): Promise<void> {
    // Once the case closed, the same message is its completion summary: kept current as follow-ups
    // run and exceptions are handled, since IT files it as the ticket's note.
    const summary = c.cards.itProgress ?? c.cards.completion;
    if (summary) {
      await this.update(summary, itProgressCard(c));
      return;
    }
    if (c.state !== 'running') return;
    const posted = await this.post(this.deps.channels.itChannelId, 'IT', itProgressCard(c));
    await this.deps.rememberCard(c._id, 'itProgress', posted);
  }

  /** Replaces a posted card in place, so every viewer and device sees the new state. */
  async update(posted: PostedCard, card: AdaptiveCardJson): Promise<void> {
    const ref = await this.reference(posted.conversationId);
    const target = { ...ref, conversation: { ...ref.conversation, id: posted.conversationId } as ConversationReference['conversation'] };
    await this.proactively(target, async (ctx) => {
      await ctx.updateActivity({ ...cardActivity(card), id: posted.activityId, conversation: ctx.activity.conversation });
    });
  }

  /**
   * Runs logic in a proactive turn and lets its errors reach the caller: errors thrown inside
   * continueConversationAsync would otherwise go to the adapter's onTurnError and be lost.
   */
  private async proactively(ref: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    let failure: unknown;
    await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, async (ctx: TurnContext) => {
      try {
        await logic(ctx);
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure;
  }

  private async post(channelId: string, channelName: string, card: AdaptiveCardJson): Promise<PostedCard> {
    const ref = await this.deps.refs.forChannel(channelId);
    if (!ref) {
      throw new DeliveryError(
        `The ${channelName} channel cannot be reached yet: add the Offboarding app to the team that holds it (channel id ${channelId}); the card is posted again automatically.`,
      );
    }
    return this.postTo(ref, channelName, card, channelId);
  }

  private async postTo(ref: Partial<ConversationReference>, channelName: string, card: AdaptiveCardJson, channelId = ref.conversation?.id): Promise<PostedCard> {
    let posted: PostedCard | undefined;
    try {
      await this.proactively(ref, async (ctx) => {
        const res = await ctx.sendActivity(cardActivity(card));
        if (res?.id) posted = { conversationId: ctx.activity.conversation.id, activityId: res.id };
      });
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      this.deps.log.warn('card.post_refused', { channel: channelName, status, error: (err as Error).message });
      if (status === 403 || status === 404) {
        throw new DeliveryError(
          `Teams refused the post in the ${channelName} channel (HTTP ${status}): add the Offboarding app to the team that holds it (channel id ${channelId}); the card is posted again automatically.`,
        );
      }
      throw err;
    }
    if (!posted) throw new DeliveryError(`Teams did not confirm the post in the ${channelName} channel.`);
    this.deps.log.info('card.posted', { channel: channelName, conversationId: posted.conversationId, activityId: posted.activityId });
    return posted;
  }

  private async reference(conversationId: string): Promise<Partial<ConversationReference>> {
    const channelId = conversationId.split(';')[0];
    const ref = (await this.deps.refs.forConversation(conversationId)) ?? (await this.deps.refs.forChannel(channelId));
    if (!ref) throw new DeliveryError(`No stored Teams reference for conversation ${conversationId}.`);
    return ref;
  }
}
