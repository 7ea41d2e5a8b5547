/**
 * Guests the person invited: a way back in that outlives their account. Anyone may invite a guest
 * (unless the tenant forbids it), and a guest at a personal address they own keeps whatever teams,
 * sites and files it was given. Entra's directory audit log records each invitation ("Invite
 * external user", kept 30 days).
 *
 * A guest whose address is one of the person's own, as the evidence snapshot knows them (where
 * their mailbox or an inbox rule forwarded their mail), is blocked and its sessions
 * revoked, the same containment as the person's own account. Every other guest they invited that
 * is still enabled is left to a person: it may be a real partner someone else relies on.
 */
import { INVITE_ACTIVITY } from '../m365/audit-log-reader';
import { M365Error } from '../m365/m365-error';
import { guidSegment, odataString } from '../m365/odata';
import { describeError } from './describe-error';
import { mailboxIdentity } from './exchange-mailbox';
import { eachObjectInBatch, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';
import { parseSnapshot } from './take-evidence';

/** How far back the log is read: Entra keeps directory audits 30 days (P1 and P2). */
const INVITES_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Audit {
  activityDateTime: string;
  result?: string;
  targetResources?: Array<{ id?: string | null; type?: string | null }>;
}

interface GuestUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
}

/** A guest the person invited, as the plan lists it. */
export interface InvitedGuest {
  id: string;
  displayName: string;
  mail: string;
  invitedAt: string;
  /** Where the evidence shows the person sent their mail to the guest's address: it is their own. */
  theirsBy: string[];
  /** The groups and teams it is a member of, by name. */
  memberOf: string[];
}

const readGuest = async (ctx: ActionContext, id: string): Promise<GuestUser | undefined> => {
  try {
    return (await ctx.graph.get<GuestUser>(`/users/${guidSegment(id)}?$select=id,displayName,mail,userType,accountEnabled`)).body;
  } catch (err) {
    // Deleted since: it lets nobody in.
    if (err instanceof M365Error && err.status === 404) return undefined;
    throw err;
  }
};

/**
 * Where the person sent their own mail, as the evidence recorded it: an address their mailbox
 * forwarded to, or an inbox rule forwarded or redirected to, is one they read, so their own. An
 * address they merely shared files with is not: partners get links too.
 */
const OWN_ADDRESS_SECTIONS: Readonly<Record<string, string>> = { mailbox: "the mailbox's forwarding", inboxRules: 'an inbox rule' };

/** Those records, lower-cased, by section: from the evidence once taken, read now for the plan preview (none that cannot be read). */
async function whereMailWent(ctx: ActionContext): Promise<Record<string, string>> {
  const sections = parseSnapshot(ctx.evidence)?.sections;
  const text = (value: unknown) => JSON.stringify(value).toLowerCase();
  if (sections) {
    return Object.fromEntries(Object.keys(OWN_ADDRESS_SECTIONS).flatMap((name) => {
      const section = sections[name];
      return section && 'value' in section ? [[name, text(section.value)]] : [];
    }));
  }
  const [mailbox, inboxRules] = await Promise.all([
    ctx.exchange.invoke('Get-Mailbox', { Identity: mailboxIdentity(ctx) }).then((res) => text(res.value), () => undefined),
    readAll(ctx.graph, `/users/${guidSegment(ctx.target.id)}/mailFolders/inbox/messageRules`).then(text, () => undefined),
  ]);
  return { ...(mailbox ? { mailbox } : {}), ...(inboxRules ? { inboxRules } : {}) };
}

/** The records that name `address` whole: 'jd@outlook.com' is not in 'smtp:ajd@outlook.com'. */
function sectionsWith(records: Record<string, string>, address: string): string[] {
  const escaped = address.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const whole = new RegExp(`(^|[^a-z0-9._%+-])${escaped}($|[^a-z0-9.-])`);
  return Object.entries(OWN_ADDRESS_SECTIONS)
    .filter(([name]) => records[name] !== undefined && whole.test(records[name]))
    .map(([, words]) => words);
}

/**
 * Who the person invited since `since`, newest first, each once: the audit entry's target user.
 * In the engine the reader asks for several people's invitations in one query (the report API
 * allows 5 requests per 10 s for the whole tenant, and a layoff has many people).
 */
async function invitations(ctx: ActionContext, since: number): Promise<Map<string, string>> {
  const filter = `initiatedBy/user/id eq ${odataString(ctx.target.id)} and activityDisplayName eq ${odataString(INVITE_ACTIVITY)} and activityDateTime ge ${new Date(since).toISOString()}`;
  const audits: Audit[] = ctx.auditLogs
    ? (await ctx.auditLogs.invitationsBy(ctx.target.id)).value
    : await readAll<Audit>(ctx.graph, `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`);
  const invited = new Map<string, string>();
  for (const a of audits) {
    const user = a.targetResources?.find((t) => t.type === 'User' && t.id);
    if ((a.result === undefined || a.result === 'success') && user?.id && !invited.has(user.id.toLowerCase())) invited.set(user.id.toLowerCase(), a.activityDateTime);
  }
  return invited;
}

/** "'JD Consulting' (jd@outlook.com) they invited on 2026-11-24, member of 'Sales Team'". */
const describeGuest = (g: InvitedGuest) =>
  `'${g.displayName}' (${g.mail || 'no address'}) they invited on ${g.invitedAt.slice(0, 10)}${g.memberOf.length > 0 ? `, member of ${g.memberOf.map((n) => `'${n}'`).join(', ')}` : ''}`;

async function plan(ctx: ActionContext): Promise<PlannedChange<InvitedGuest>> {
  let invited: Map<string, string>;
  try {
    invited = await invitations(ctx, Date.parse(ctx.since) - INVITES_DAYS * DAY_MS);
  } catch (err) {
    return {
      changes: [],
      found: 'the directory audit log could not be read.',
      manual: [
        `The directory audit log could not be read (${describeError(err)}): in Entra ID, Audit logs, look for "${INVITE_ACTIVITY}" initiated by them in the ${INVITES_DAYS} days before, and block any guest that is their own.`,
      ],
    };
  }
  const guests: InvitedGuest[] = [];
  const records = invited.size > 0 ? await whereMailWent(ctx) : {};
  for (const [id, invitedAt] of invited) {
    const user = await readGuest(ctx, id);
    if (!user || user.userType !== 'Guest' || user.accountEnabled === false) continue;
    const groups = await readAll<{ displayName?: string | null }>(ctx.graph, `/users/${guidSegment(user.id)}/memberOf?$select=id,displayName`);
    const mail = user.mail ?? '';
    guests.push({
      id: user.id,
      displayName: user.displayName ?? user.id,
      mail,
      invitedAt,
      theirsBy: mail ? sectionsWith(records, mail) : [],
      memberOf: groups.map((g) => g.displayName).filter((n): n is string => !!n),
    });
  }
  const theirs = guests.filter((g) => g.theirsBy.length > 0);
  const others = guests.filter((g) => g.theirsBy.length === 0);
  const found =
    invited.size === 0
      ? `invited no guest in the ${INVITES_DAYS} days before.`
      : `invited ${invited.size} guest(s) in the ${INVITES_DAYS} days before; ${guests.length} still enabled${theirs.length > 0 ? `, ${theirs.length} at their own address` : ''}.`;
  return {
    changes: theirs,
    found,
    manual: others.map(
      (g) =>
        `Guest ${describeGuest(g)}, is still enabled: ask who at Contoso works with it, and block it (Entra ID › Users › '${g.displayName}' › Block sign-in) if nobody does.`,
    ),
  };
}

/**
 * Blocks the guests the person invited at their own addresses, revoking their sessions, and flags
 * the other guests they invited. User.EnableDisableAccount.All, User.RevokeSessions.All,
 * AuditLog.Read.All and Directory.Read.All, and a User Administrator role.
 */
export const containInvitedGuests: OffboardingAction<InvitedGuest> = {
  name: 'containInvitedGuests',
  plan,
  async apply(ctx, planned) {
    const guest = (g: InvitedGuest) => `/users/${guidSegment(g.id)}`;
    const notBlocked = new Set<string>();
    const blocked = await eachObjectInBatch(ctx.graph, planned.changes, (g) => ({ method: 'PATCH', path: guest(g), body: { accountEnabled: false } }), (g, err) => {
      notBlocked.add(g.id);
      return `Could not block guest '${g.displayName}': ${describeError(err)}`;
    });
    const revoked = await eachObjectInBatch(ctx.graph, planned.changes, (g) => ({ method: 'POST', path: `${guest(g)}/revokeSignInSessions` }), (g, err) => `Could not revoke the sessions of guest '${g.displayName}': ${describeError(err)}`);
    const lines = planned.changes.map(
      (g) => `${notBlocked.has(g.id) ? 'To block: guest' : 'Blocked guest'} ${describeGuest(g)}: its address is theirs (their mail went there: ${g.theirsBy.join(', ')}).`,
    );
    return { detail: lines.join(' '), failures: [...blocked, ...revoked] };
  },
  async verify(ctx, planned) {
    const still = (await Promise.all(planned.changes.map((g) => readGuest(ctx, g.id)))).filter((u): u is GuestUser => u?.accountEnabled === true);
    return still.length === 0 ? { ok: true, detail: '(verified: blocked)' } : { ok: false, detail: `Still enabled: ${still.map((u) => `'${u.displayName}'`).join(', ')}.` };
  },
};
