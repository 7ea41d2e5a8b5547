import { type Activity, type ConversationReference, TeamsInfo, TurnContext } from 'botbuilder';
import type { CaseStore } from '../store/case-store';

const TENANT_KEY = 'tenant:latest';

/**
 * Where the bot can reach people proactively. References are captured from every activity
 * (installation, conversation updates, messages) and kept in the store, so they survive restarts
 * and are shared by every instance.
 */
export class ConversationRefs {
  constructor(private readonly store: CaseStore) {}

  async capture(activity: Activity): Promise<void> {
    const ref = TurnContext.getConversationReference(activity) as ConversationReference;
    const channelData = (activity.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
    const now = new Date().toISOString();
    const keys: string[] = [];
    if (channelData.team?.id) keys.push(`team:${channelData.team.id}`);
    if (channelData.channel?.id) keys.push(`channel:${channelData.channel.id}`);
    if (activity.conversation?.conversationType === 'personal') {
      keys.push(`conversation:${activity.conversation.id}`);
      // The person's own chat with the bot, to send them cards (a manager's approval) later.
      if (activity.from?.aadObjectId) keys.push(`user:${activity.from.aadObjectId.toLowerCase()}`);
    }
    // The person's Teams id (MRI), which card refresh lists need; Entra ids are not accepted there.
    if (activity.from?.aadObjectId && activity.from.id) await this.saveMri(activity.from.aadObjectId, activity.from.id, now);
    // The latest way to reach this tenant's Teams at all: enough to address any channel by id.
    if (ref.serviceUrl && activity.channelId === 'msteams') keys.push(TENANT_KEY);
    for (const key of keys) {
      // A channel reference points at the channel itself, not at the thread the activity was in.
      const reference = key.startsWith('channel:') ? withConversation(ref, key.slice('channel:'.length)) : ref;
      await this.store.saveConversationRef(key, { reference: reference as unknown as Record<string, unknown>, updatedAt: now });
    }
  }

  /**
   * On install or a team change, learn every channel of the team, so the bot can post into the
   * Security and IT channels before anyone has written there.
   */
  async captureTeamChannels(context: TurnContext): Promise<string[]> {
    const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    if (!teamId) return [];
    const channels = await TeamsInfo.getTeamChannels(context, teamId);
    const ref = TurnContext.getConversationReference(context.activity);
    const now = new Date().toISOString();
    for (const channel of channels) {
      if (!channel.id) continue;
      await this.store.saveConversationRef(`channel:${channel.id}`, {
        reference: withConversation(ref, channel.id) as unknown as Record<string, unknown>,
        updatedAt: now,
      });
    }
    return channels.map((c) => c.id ?? '').filter(Boolean);
  }

  /** Learns the Teams ids of everyone in the team, so approvers get their own view of a card. */
  async captureTeamMembers(context: TurnContext): Promise<number> {
    const now = new Date().toISOString();
    let count = 0;
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 100, token);
      for (const m of page.members) {
        if (m.aadObjectId && m.id) {
          await this.saveMri(m.aadObjectId, m.id, now);
          count++;
        }
      }
      token = page.continuationToken;
    } while (token);
    return count;
  }

  /** Teams ids (MRIs) of the given Entra users, for those the bot has seen. */
  async mrisOf(userIds: readonly string[]): Promise<string[]> {
    const found = await Promise.all(userIds.map((id) => this.store.getConversationRef(`mri:${id.toLowerCase()}`)));
    return [...new Set(found.flatMap((r) => (r && typeof r.reference.mri === 'string' ? [r.reference.mri] : [])))];
  }

  private async saveMri(aadObjectId: string, mri: string, updatedAt: string): Promise<void> {
    await this.store.saveConversationRef(`mri:${aadObjectId.toLowerCase()}`, { reference: { mri }, updatedAt });
  }

  async forConversation(conversationId: string): Promise<Partial<ConversationReference> | null> {
    const stored = await this.store.getConversationRef(`conversation:${conversationId}`);
    return stored ? (stored.reference as Partial<ConversationReference>) : null;
  }

  /** The personal chat with this person (Entra object id), if they have ever talked to the bot. */
  async forUser(userId: string): Promise<Partial<ConversationReference> | null> {
    const stored = await this.store.getConversationRef(`user:${userId.toLowerCase()}`);
    return stored ? (stored.reference as Partial<ConversationReference>) : null;
  }

  /**
   * A reference for posting a new message into a channel. Teams addresses a channel by its id on
   * the tenant's service URL, so a channel never seen yet is reached through the latest known
   * service URL; if the app is not installed in that team, Teams answers 403 and the caller says so.
   */
  async forChannel(channelId: string): Promise<Partial<ConversationReference> | null> {
    const stored = (await this.store.getConversationRef(`channel:${channelId}`)) ?? (await this.store.getConversationRef(TENANT_KEY));
    return stored ? withConversation(stored.reference as Partial<ConversationReference>, channelId) : null;
  }
}

function withConversation(ref: Partial<ConversationReference>, channelId: string): Partial<ConversationReference> {
  return {
    ...ref,
    activityId: undefined,
    conversation: { ...(ref.conversation ?? {}), id: channelId, isGroup: true, conversationType: 'channel' } as ConversationReference['conversation'],
  };
}
