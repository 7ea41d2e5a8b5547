import { randomUUID } from 'node:crypto';

/** Activities shaped as Teams sends them, for driving the bot over HTTP in tests. */
export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export const TENANT_ID = '00000000-0000-0000-0000-000000000001';
export const TEAM_ID = '19:it-operations@thread.tacv2';
export const BOT = { id: '28:00000000-0000-0000-0000-000000000011', name: 'Offboarding' };

export function personalMessage(serviceUrl: string, from: TeamsUser, text: string) {
  return base(serviceUrl, from, { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId: TENANT_ID }, { type: 'message', text });
}

export function channelMention(serviceUrl: string, from: TeamsUser, channelId: string, text: string) {
  return {
    ...base(serviceUrl, from, { id: `${channelId};messageid=${Date.now()}`, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID }, {
      type: 'message',
      text: `<at>${BOT.name}</at> ${text}`,
    }),
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
    channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID }, channel: { id: channelId } },
  };
}

export function installInTeam(serviceUrl: string, from: TeamsUser) {
  return {
    ...base(serviceUrl, from, { id: TEAM_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID }, { type: 'installationUpdate', action: 'add' }),
    channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID, name: 'IT Operations' }, channel: { id: TEAM_ID }, source: { name: 'message' } },
  };
}

/** An Action.Execute click: data carries the card's data merged with its input values. */
export function cardAction(
  serviceUrl: string,
  from: TeamsUser,
  conversation: { id: string; conversationType: string },
  verb: string,
  data: Record<string, unknown>,
  replyToId = `activity-${randomUUID()}`,
) {
  return {
    ...base(serviceUrl, from, { ...conversation, tenantId: TENANT_ID }, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
    replyToId,
  };
}

function base(serviceUrl: string, from: TeamsUser, conversation: Record<string, unknown>, rest: Record<string, unknown>) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from,
    recipient: BOT,
    conversation,
    channelData: { tenant: { id: TENANT_ID } },
    ...rest,
  };
}

export async function postActivity(appUrl: string, activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
