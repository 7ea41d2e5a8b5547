/**
 * Cancels the future meetings the user organizes, when the request says so: once the user has gone
 * nobody can move, change or end them, and attendees (partners outside the company among them) keep
 * meetings with an organizer who no longer answers. Exchange's Remove-CalendarEvents sends each
 * attendee a cancellation and ends a running series from today on, keeping its past occurrences;
 * appointments without attendees are left alone. The meetings are read from Graph's calendarView
 * first, to show what will go and to check afterwards that it went.
 * Permissions: Calendars.ReadBasic (Graph) and Exchange.ManageAsApp with the Exchange role.
 */
import { guidSegment } from '../m365/odata';
import { readAll } from './graph-pages';
import { mailboxDecisions } from './mailbox-decisions';
import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import type { ActionContext, OffboardingAction } from './offboarding-action';

/** How far ahead meetings are cancelled: a year covers every usual series' next renewal. */
export const MEETINGS_WINDOW_DAYS = 365;

interface CalendarEvent {
  id: string;
  subject?: string | null;
  start: { dateTime: string; timeZone: string };
  isOrganizer: boolean;
  isCancelled?: boolean;
  type?: string;
  seriesMasterId?: string | null;
  attendees?: unknown[];
}

/** A single meeting, or the occurrences of one series in the window. */
interface Meeting {
  /** The series' id, or the single meeting's. */
  key: string;
  name: string;
  occurrenceIds: string[];
}

/** Today (UTC) at midnight: where the cancelling starts. */
const startOfToday = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

async function readMeetings(ctx: ActionContext, now = new Date()): Promise<Meeting[]> {
  const from = startOfToday(now);
  const to = new Date(from.getTime() + MEETINGS_WINDOW_DAYS * 86_400_000);
  const path =
    `/users/${guidSegment(ctx.target.id)}/calendarView?startDateTime=${from.toISOString()}&endDateTime=${to.toISOString()}` +
    '&$select=subject,start,isOrganizer,isCancelled,attendees,type,seriesMasterId&$top=100';
  const events = (await readAll<CalendarEvent>(ctx.graph, path)).filter((e) => e.isOrganizer && !e.isCancelled && (e.attendees?.length ?? 0) > 0);
  const bySeries = new Map<string, CalendarEvent[]>();
  for (const e of events) {
    const key = e.seriesMasterId ?? e.id;
    bySeries.set(key, [...(bySeries.get(key) ?? []), e]);
  }
  return [...bySeries.entries()].map(([key, occurrences]) => ({ key, name: describe(occurrences), occurrenceIds: occurrences.map((o) => o.id) }));
}

function describe(occurrences: CalendarEvent[]): string {
  const [first] = occurrences;
  const subject = `'${first.subject || '(no subject)'}'`;
  const day = first.start.dateTime.slice(0, 10);
  return first.seriesMasterId ? `${subject} (series, ${occurrences.length} occurrence(s) from ${day})` : `${subject} on ${day}`;
}

const names = (meetings: Meeting[]) => meetings.map((m) => m.name).join(', ');

export const cancelMeetings: OffboardingAction<Meeting> = {
  name: 'cancelMeetings',
  async plan(ctx) {
    if (!mailboxDecisions(ctx.request).cancelMeetings) return notChosen('The request keeps the meetings the user organizes.');
    if (!(await readMailbox(ctx))) return noMailbox();
    const meetings = await readMeetings(ctx);
    return {
      changes: meetings,
      found: meetings.length === 0 ? `no meeting with attendees organized by the user in the next ${MEETINGS_WINDOW_DAYS} days.` : names(meetings),
    };
  },
  async apply(ctx, plan) {
    await ctx.exchange.invoke('Remove-CalendarEvents', {
      Identity: mailboxIdentity(ctx),
      CancelOrganizedMeetings: true,
      QueryStartDate: startOfToday(new Date()).toISOString().slice(0, 10),
      QueryWindowInDays: MEETINGS_WINDOW_DAYS,
      Confirm: false,
    });
    return { detail: `Cancelled ${plan.changes.length} meeting(s) and series, attendees notified: ${names(plan.changes)}.`, failures: [] };
  },
  async verify(ctx, plan) {
    const planned = new Set(plan.changes.flatMap((m) => m.occurrenceIds));
    const left = (await readMeetings(ctx)).filter((m) => m.occurrenceIds.some((id) => planned.has(id)));
    return left.length === 0 ? { ok: true, detail: '(verified: none left in the calendar)' } : { ok: false, detail: `Still in the calendar: ${names(left)}.` };
  },
};
