/**
 * Reads the recent sign-ins and directory audits of the users whose cases run at the same time,
 * several users per query. Entra ID's reports allow 5 requests per 10 s per app per tenant: one
 * query per user and log made bulk offboarding wait on them (200 users, ~400 s), far below what
 * the directory write quota allows. Users asking within a short window (or until a query holds
 * `maxUsersPerQuery`) are answered by one query, which is then split per user.
 *
 * The query forms, from Microsoft's Graph reference and what real clients send:
 * - signIns: `createdDateTime ge {since} and (userId eq 'a' or userId eq 'b' ...)`. The signIn
 *   resource documents $filter eq on userId and eq/le/ge on createdDateTime, with an unquoted
 *   DateTimeOffset (a quoted one is "Invalid filter clause": microsoft-graph-docs issue #14173).
 *   `in` is not listed for the logs; an `or` of eq clauses is plain OData and what scripts send
 *   this endpoint (e.g. `userPrincipalName eq '..' or userId eq '..'` with Get-MgAuditLogSignIn).
 *   "List signIns": newest first, pages of at most 1,000 followed through @odata.nextLink.
 * - directoryAudits: `activityDateTime ge {since} and (targetResources/any(t:t/id eq 'a') or
 *   targetResources/any(t:t/id eq 'b') ...)`. The directoryAudit resource documents eq/ge/le on
 *   activityDateTime; the per-user lambda is the documented way to find audits about an object,
 *   joined with `or` (one lambda per id, as other Graph clients do, rather than an `or` inside it).
 * - invitations (directoryAudits again): `activityDateTime ge {since} and activityDisplayName eq
 *   'Invite external user' and (initiatedBy/user/id eq 'a' or ...)`: the guests each user invited.
 *   directoryaudit-list names initiatedBy/user/id among the properties it filters on, and eq (and
 *   startswith) on activityDisplayName.
 * Pages are asked for 999 at a time, which both logs accept. At 15 users a $filter stays near
 * 1,000 characters once encoded, well inside Graph's URL limit.
 */
import type { GraphResponse } from './graph';
import { guidSegment, odataString } from './odata';

/** The part of the Graph client the reader needs: plain reads (they need no lease fence). */
export interface LogReads {
  get<T>(path: string): Promise<GraphResponse<T>>;
}

export interface AuditLogReaderOptions {
  /** How long the first asker waits for others to join its query. */
  windowMs?: number;
  /** Users per query; past it a query goes out at once and the next askers start another. */
  maxUsersPerQuery?: number;
  /** How far back the logs are read (Entra ID keeps them 30 days with P1/P2). */
  lookBackDays?: number;
  /** Entries kept per user, newest first. */
  entriesPerUser?: number;
  /** $top of each page; 999, which both logs accept, unless a test wants to see paging. */
  pageSize?: number;
  now?: () => Date;
}

/** One user's entries and what fetched them: the query sent and the request-id of each page. */
export interface UserLogEntries<T> {
  value: T[];
  path: string;
  requestIds: string[];
}

export interface SignInEntry {
  id: string;
  createdDateTime: string;
  userId: string;
  [property: string]: unknown;
}

export interface DirectoryAuditEntry {
  id: string;
  activityDateTime: string;
  targetResources: Array<{ id: string | null; type?: string | null }>;
  initiatedBy?: { user?: { id?: string | null } | null } | null;
  result?: string;
  [property: string]: unknown;
}

/** Entra's audit activity for a guest invitation. */
export const INVITE_ACTIVITY = 'Invite external user';

type LogName = 'signIns' | 'directoryAudits' | 'invitations';

interface Log<T> {
  collection: string;
  time: (entry: T) => string;
  timeProperty: string;
  /** A clause every entry of this log must meet, whoever it is about. */
  scope?: string;
  /** The $filter clause for one user. */
  about: (userId: string) => string;
  concerns: (entry: T, userId: string) => boolean;
}

const LOGS: { signIns: Log<SignInEntry>; directoryAudits: Log<DirectoryAuditEntry>; invitations: Log<DirectoryAuditEntry> } = {
  signIns: {
    collection: '/auditLogs/signIns',
    timeProperty: 'createdDateTime',
    time: (s) => s.createdDateTime,
    about: (id) => `userId eq ${odataString(id)}`,
    concerns: (s, id) => typeof s.userId === 'string' && s.userId.toLowerCase() === id,
  },
  directoryAudits: {
    collection: '/auditLogs/directoryAudits',
    timeProperty: 'activityDateTime',
    time: (a) => a.activityDateTime,
    about: (id) => `targetResources/any(t:t/id eq ${odataString(id)})`,
    concerns: (a, id) => (a.targetResources ?? []).some((t) => typeof t.id === 'string' && t.id.toLowerCase() === id),
  },
  invitations: {
    collection: '/auditLogs/directoryAudits',
    timeProperty: 'activityDateTime',
    time: (a) => a.activityDateTime,
    scope: `activityDisplayName eq ${odataString(INVITE_ACTIVITY)}`,
    about: (id) => `initiatedBy/user/id eq ${odataString(id)}`,
    concerns: (a, id) => typeof a.initiatedBy?.user?.id === 'string' && a.initiatedBy.user.id.toLowerCase() === id,
  },
};

interface Waiter {
  resolve(entries: UserLogEntries<unknown>): void;
  reject(err: unknown): void;
}

interface PendingQuery {
  /** Lower-case user id → everyone waiting for that user's entries. */
  users: Map<string, Waiter[]>;
  timer?: NodeJS.Timeout;
  /** Its window has closed; it goes out as soon as the query before it is answered. */
  departing: boolean;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export class AuditLogReader {
  private readonly windowMs: number;
  private readonly maxUsers: number;
  private readonly lookBackMs: number;
  private readonly perUser: number;
  private readonly pageSize: number;
  private readonly now: () => Date;
  /** The query users join now, per log. */
  private readonly pending: Partial<Record<LogName, PendingQuery>> = {};
  /** The last query sent (or waiting to be), per log: one query per log at a time. */
  private readonly inFlight: Partial<Record<LogName, Promise<void>>> = {};

  constructor(
    private readonly graph: LogReads,
    options: AuditLogReaderOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 250;
    this.maxUsers = options.maxUsersPerQuery ?? 15;
    this.lookBackMs = (options.lookBackDays ?? 30) * 24 * 3600_000;
    this.perUser = options.entriesPerUser ?? 50;
    this.pageSize = options.pageSize ?? 999;
    this.now = options.now ?? (() => new Date());
  }

  /** The user's most recent sign-ins, newest first. */
  signInsFor(userId: string): Promise<UserLogEntries<SignInEntry>> {
    return this.ask('signIns', userId);
  }

  /** The most recent directory audits naming the user among their targets, newest first. */
  directoryAuditsFor(userId: string): Promise<UserLogEntries<DirectoryAuditEntry>> {
    return this.ask('directoryAudits', userId);
  }

  /** The guests the user invited, newest first (their invitations, each naming the guest among its targets). */
  invitationsBy(userId: string): Promise<UserLogEntries<DirectoryAuditEntry>> {
    return this.ask('invitations', userId);
  }

  private ask<T>(log: LogName, userId: string): Promise<UserLogEntries<T>> {
    let id: string;
    try {
      id = guidSegment(userId);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<UserLogEntries<T>>((resolve, reject) => {
      const query = (this.pending[log] ??= this.newQuery(log));
      const waiters: Waiter[] = query.users.get(id) ?? [];
      waiters.push({ resolve: (entries) => resolve(entries as UserLogEntries<T>), reject });
      query.users.set(id, waiters);
      if (query.users.size >= this.maxUsers) {
        // Full: later askers start the next query.
        if (this.pending[log] === query) delete this.pending[log];
        this.depart(log, query);
      }
    });
  }

  private newQuery(log: LogName): PendingQuery {
    const query: PendingQuery = { users: new Map(), departing: false };
    query.timer = setTimeout(() => this.depart(log, query), this.windowMs);
    return query;
  }

  /**
   * Sends `query` once the log's previous query is answered. Until then users keep joining it
   * (up to the maximum): the slower the reports API answers (throttled, paced), the more users
   * each query carries, where one query per user would only queue up behind the limit.
   */
  private depart(log: LogName, query: PendingQuery): void {
    if (query.departing) return;
    query.departing = true;
    clearTimeout(query.timer);
    const sent = (this.inFlight[log] ?? Promise.resolve()).then(async () => {
      if (this.pending[log] === query) delete this.pending[log];
      try {
        const byUser = await this.read(LOGS[log] as Log<unknown>, [...query.users.keys()]);
        for (const [id, waiters] of query.users) {
          const entries = byUser.get(id)!;
          for (const w of waiters) w.resolve({ ...entries, value: [...entries.value], requestIds: [...entries.requestIds] });
        }
      } catch (err) {
        for (const waiters of query.users.values()) for (const w of waiters) w.reject(err);
      }
    });
    this.inFlight[log] = sent;
  }

  /**
   * One query for all `ids`, page by page. Both logs list the newest entries first, so paging
   * stops once every user has their share: later pages only hold older entries.
   */
  private async read<T>(log: Log<T>, ids: string[]): Promise<Map<string, UserLogEntries<T>>> {
    const since = new Date(this.now().getTime() - this.lookBackMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const scoped = `${log.timeProperty} ge ${since}${log.scope ? ` and ${log.scope}` : ''}`;
    const filter = `${scoped} and (${ids.map(log.about).join(' or ')})`;
    const path = `${log.collection}?$filter=${encodeURIComponent(filter)}&$top=${this.pageSize}`;
    const found = new Map<string, T[]>(ids.map((id) => [id, []]));
    const requestIds: string[] = [];
    let next: string | undefined = path;
    while (next) {
      const res: GraphResponse<Page<T>> = await this.graph.get<Page<T>>(next);
      if (res.requestId) requestIds.push(res.requestId);
      for (const entry of res.body.value) {
        for (const id of ids) if (log.concerns(entry, id)) found.get(id)!.push(entry);
      }
      const link = res.body['@odata.nextLink'];
      const short = [...found.values()].some((entries) => entries.length < this.perUser);
      next = link && short ? afterVersion(link) : undefined;
    }
    const newestFirst = (a: T, b: T) => Date.parse(log.time(b)) - Date.parse(log.time(a));
    // Each user's evidence names only their own part of the query: the others' ids stay out of it.
    const pathFor = (id: string) => {
      const own = `${log.collection}?$filter=${encodeURIComponent(`${scoped} and (${log.about(id)})`)}&$top=${this.pageSize}`;
      return ids.length > 1 ? `${own} (read in one query with ${ids.length - 1} other user(s))` : own;
    };
    return new Map(ids.map((id) => [id, { value: found.get(id)!.sort(newestFirst).slice(0, this.perUser), path: pathFor(id), requestIds }]));
  }
}

/** graph-client wants the path after the version segment of an absolute @odata.nextLink. */
function afterVersion(link: string): string {
  const url = new URL(link);
  return url.pathname.replace(/^\/(v1\.0|beta)/, '') + url.search;
}
