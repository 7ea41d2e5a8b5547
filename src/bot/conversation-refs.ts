import { type Activity, type ConversationReference, TeamsInfo, TurnContext } from 'botbuilder';
import type { CaseStore } from '../store/case-store';

const TENANT_KEY = 'tenant:latest';
/** Keys remembered as saved; past this the memory starts over (and saves once more each). */
const MAX_REMEMBERED = 10_000;

/**
 * Where the bot can reach people proactively. References are captured from every activity
 * (installation, conversation updates, messages) and kept in the store, so they survive restarts
 * and are shared by every instance.
 */
export class ConversationRefs {
  /**
   * What this instance last saved under each key (without the activity id, which changes with
   * every activity): an unchanged reference is not written again, so an approval click does not
   * wait on a handful of store writes that change nothing.
   */
  private readonly saved = new Map<string, string>();

  constructor(private readonly store: CaseStore) {}

  async capture(activity: Activity): Promise<void> {
    const ref = TurnContext.getConversationReference(activity) as ConversationReference;
    const channelData = (activity.channelData ?? {}) as { channel?: { id?: string } };
    const now = new Date().toISOString();
    const found: [string, Partial<ConversationReference>][] = [];
    // A channel reference points at the channel itself, not at the thread or the person who wrote.
    if (channelData.channel?.id) found.push([`channel:${channelData.channel.id}`, withConversation(ref, channelData.channel.id)]);
    if (activity.conversation?.conversationType === 'personal') {
      found.push([`conversation:${activity.conversation.id}`, ref]);
      // The person's own chat with the bot, to send them cards (a manager's approval) later.
      if (activity.from?.aadObjectId) found.push([`user:${activity.from.aadObjectId.toLowerCase()}`, ref]);
    }
    // The person's Teams id (MRI), which card refresh lists need; Entra ids are not accepted there.
    if (activity.from?.aadObjectId && activity.from.id) await this.saveMri(activity.from.aadObjectId, activity.from.id, now);
    // The latest way to reach this tenant's Teams at all: its service URL is enough to address any
    // channel by id (forChannel puts the channel in).
    if (ref.serviceUrl && activity.channelId === 'msteams') found.push([TENANT_KEY, { ...withConversation(ref, ''), conversation: { tenantId: ref.conversation?.tenantId } as ConversationReference['conversation'] }]);
    for (const [key, reference] of found) await this.save(key, reference as unknown as Record<string, unknown>, now);
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
      await this.save(`channel:${channel.id}`, withConversation(ref, channel.id) as unknown as Record<string, unknown>, now);
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

  private saveMri(aadObjectId: string, mri: string, updatedAt: string): Promise<void> {
    return this.save(`mri:${aadObjectId.toLowerCase()}`, { mri }, updatedAt);
  }

  private async save(key: string, reference: Record<string, unknown>, updatedAt: string): Promise<void> {
    const { activityId: _changesEveryTime, ...lasting } = reference;
    const seen = JSON.stringify(lasting);
    if (this.saved.get(key) === seen) return;
    await this.store.saveConversationRef(key, { reference, updatedAt });
    if (this.saved.size >= MAX_REMEMBERED) this.saved.clear();
    this.saved.set(key, seen);
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
    user: undefined,
    conversation: { ...(ref.conversation ?? {}), id: channelId, isGroup: true, conversationType: 'channel' } as ConversationReference['conversation'],
  };
}
