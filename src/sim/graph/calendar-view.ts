/**
 * GET /users/{id}/calendarView (Graph v1.0, user-list-calendarview): the single instances and
 * occurrences in the user's calendar that overlap the window the required startDateTime and
 * endDateTime give (a value without an offset is UTC), earliest first. Outlook pages ten events at
 * a time unless $top asks for more (up to 1000) and links the next page with $skip. Cancelled
 * occurrences are gone from every calendar. $select keeps the id, which Outlook always returns.
 */
import { inCalendarOf, liveOccurrences, utcMoment, type SimOccurrence } from '../calendar-state';
import type { SimUser, TenantState } from '../state';
import { findUser } from './directory-objects';
import { badRequest } from './errors';
import { withMailbox } from './mailbox-rules';
import { nextPageLink, parseSelect, parseTop, pick, type Json } from './odata';
import type { EntitySchema } from './odata-filter';
import { contextUrl, ok, type GraphRequest } from './request';
import type { Route } from './router';

const OUTLOOK_PAGE_SIZE = 10;
const OUTLOOK_MAX_PAGE_SIZE = 1000;

const EVENT: EntitySchema = {
  typeName: 'microsoft.graph.event',
  resourceName: 'event',
  properties: ['id', 'subject', 'start', 'end', 'isOrganizer', 'isCancelled', 'type', 'seriesMasterId', 'organizer', 'attendees'],
  filterable: [],
};

const NO_WINDOW = 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.';

/** Outlook reads its query parameters whatever their case. */
function queryValue(req: GraphRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return [...req.url.searchParams].find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** An ISO 8601 moment; one without an offset is UTC, as the docs say. */
function windowEdge(req: GraphRequest, name: string): number {
  const raw = queryValue(req, name);
  if (raw === undefined || raw.trim() === '') throw badRequest(NO_WINDOW, 'ErrorInvalidParameter');
  const at = utcMoment(raw);
  // Outlook's wording for an unreadable value is not documented; this text is the sim's own.
  if (Number.isNaN(at)) throw badRequest(`The value '${raw}' of parameter '${name}' is invalid.`, 'ErrorInvalidParameter');
  return at;
}

function parseSkip(raw: string | null): number {
  if (raw === null) return 0;
  const skip = Number(raw);
  if (!Number.isInteger(skip) || skip < 0) throw badRequest(`Invalid value '${raw}' for $skip.`, 'ErrorInvalidParameter');
  return skip;
}

/** Graph writes an event's times without a zone, seven decimals, the zone beside them. */
const graphTime = (at: Date) => ({ dateTime: `${at.toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' });

function emailAddress(state: TenantState, address: string): { name: string; address: string } {
  const user = [...state.users.values(), ...state.deletedUsers].find((u) => u.mail?.toLowerCase() === address.toLowerCase());
  return { name: user?.displayName ?? address, address };
}

function represent(state: TenantState, owner: SimUser, { meeting, id, start, end }: SimOccurrence): Json {
  const organizer = state.users.get(meeting.organizerId) ?? state.deletedUsers.find((u) => u.id === meeting.organizerId);
  const series = meeting.weeklyOccurrences !== undefined;
  return {
    id,
    subject: meeting.subject,
    start: graphTime(start),
    end: graphTime(end),
    isOrganizer: meeting.organizerId === owner.id,
    isCancelled: false,
    type: series ? 'occurrence' : 'singleInstance',
    seriesMasterId: series ? meeting.id : null,
    organizer: { emailAddress: emailAddress(state, organizer?.mail ?? meeting.organizerId) },
    attendees: meeting.attendees.map((address) => ({
      type: 'required',
      status: { response: 'none', time: '0001-01-01T00:00:00Z' },
      emailAddress: emailAddress(state, address),
    })),
  };
}

export const calendarViewRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/calendarView',
    handle: (req, params, state) => {
      const owner = withMailbox(findUser(state, params.id));
      const from = windowEdge(req, 'startDateTime');
      const to = windowEdge(req, 'endDateTime');
      const query = req.url.searchParams;
      const select = parseSelect(query.get('$select'), EVENT);
      const top = parseTop(query.get('$top'), OUTLOOK_PAGE_SIZE, OUTLOOK_MAX_PAGE_SIZE);
      const skip = parseSkip(query.get('$skip'));
      const events = state.meetings
        .filter((m) => inCalendarOf(m, owner))
        .flatMap(liveOccurrences)
        .filter((o) => o.start.getTime() < to && o.end.getTime() > from)
        .sort((a, b) => a.start.getTime() - b.start.getTime());
      const page = events.slice(skip, skip + top).map((o) => represent(state, owner, o));
      const shown = select ? [...new Set(['id', ...select])] : undefined;
      return ok({
        '@odata.context': contextUrl(req, `users('${owner.id}')/calendarView${shown ? `(${shown.join(',')})` : ''}`),
        value: shown ? page.map((e) => pick(e, shown)) : page,
        ...(skip + top < events.length ? { '@odata.nextLink': nextPageLink(req, { $top: String(top), $skip: String(skip + top) }) } : {}),
      });
    },
  },
];
