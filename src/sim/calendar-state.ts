/**
 * Calendars in Exchange Online: the meetings each user organizes, single or weekly series. A
 * meeting sits in its organizer's calendar and in the calendar of every attendee whose address is
 * on it (Graph's calendarView reads both); a cancelled occurrence is gone from all of them, as
 * Remove-CalendarEvents leaves it ("removes them from attendee and resource calendars").
 */
import { daysAfter, daysBefore } from './seed-clock';
import type { SimUser } from './state';

/** A meeting in its organizer's calendar: a single one, or a weekly series (its occurrences are computed). */
export interface SimMeeting {
  /** The Graph event id (of the series master, for a series). */
  id: string;
  /** The organizer's user id: the calendar's owner. */
  organizerId: string;
  subject: string;
  /** ISO UTC; the first occurrence's, for a series. */
  start: string;
  durationMinutes: number;
  /** Email addresses, inside or outside the company; a meeting with none is an appointment. */
  attendees: string[];
  /** For a weekly series: how many occurrences in all; absent for a single meeting. */
  weeklyOccurrences?: number;
  /** Set when cancelled: Remove-CalendarEvents cancels occurrences from `cancelledFrom` on (a series started before keeps its past occurrences). */
  cancelledFrom?: string;
}

/** One instance in a calendar: a single meeting, or one occurrence of a series. */
export interface SimOccurrence {
  meeting: SimMeeting;
  /** The meeting's own id, or `${seriesId}_${yyyymmdd}` for an occurrence. */
  id: string;
  start: Date;
  end: Date;
}

const WEEK_MS = 7 * 86_400_000;

/** Every instance of the meeting that has not been cancelled, earliest first. */
export function liveOccurrences(meeting: SimMeeting): SimOccurrence[] {
  const first = Date.parse(meeting.start);
  const cancelledFrom = meeting.cancelledFrom === undefined ? Infinity : Date.parse(meeting.cancelledFrom);
  const count = meeting.weeklyOccurrences ?? 1;
  const occurrences: SimOccurrence[] = [];
  for (let i = 0; i < count; i++) {
    const start = new Date(first + i * WEEK_MS);
    if (start.getTime() >= cancelledFrom) break;
    const id = meeting.weeklyOccurrences === undefined ? meeting.id : `${meeting.id}_${start.toISOString().slice(0, 10).replace(/-/g, '')}`;
    occurrences.push({ meeting, id, start, end: new Date(start.getTime() + meeting.durationMinutes * 60_000) });
  }
  return occurrences;
}

/** An ISO 8601 moment as Outlook and Exchange read it, a date and time without an offset as UTC; NaN when unreadable. */
export function utcMoment(raw: string): number {
  return Date.parse(/T/.test(raw) && !/(Z|[+-]\d\d:?\d\d)$/i.test(raw) ? `${raw}Z` : raw);
}

/** The user's calendar holds the meetings they organize and those they are invited to by address. */
export function inCalendarOf(meeting: SimMeeting, user: SimUser): boolean {
  const mail = user.mail?.toLowerCase();
  return meeting.organizerId === user.id || (mail !== undefined && meeting.attendees.some((a) => a.toLowerCase() === mail));
}

/** The Monday on or before `days` days before `from`, at `timeOfDay` UTC. */
function mondayBefore(from: Date, days: number, timeOfDay: string): string {
  const back = days + ((new Date(from.getTime() - days * 86_400_000).getUTCDay() + 6) % 7);
  return daysBefore(from, back, timeOfDay);
}

/**
 * What is in Jane's calendar when she resigns: a pipeline review with colleagues, a renewal call
 * with a partner outside the company, the sales team's weekly meeting she has run for three weeks,
 * a dentist appointment nobody else is invited to, and Alex's access review she attends. Outlook
 * shows calendars by the real clock, which the app reads too, so "in three days" counts from when
 * the tenant starts even when a test dates the tenant's recent activity from a moment in the past.
 */
export function janesMeetings(
  ids: { jane: string; alex: string; pipelineReview: string; fabrikamCall: string; salesWeekly: string; dentist: string; accessReview: string },
  seededAt: Date,
): SimMeeting[] {
  const from = new Date(Math.max(seededAt.getTime(), Date.now()));
  const jane = ids.jane;
  return [
    {
      id: ids.pipelineReview, organizerId: jane, subject: 'Q1 pipeline review', start: daysAfter(from, 3, '14:00:00'), durationMinutes: 60,
      attendees: ['alexw@contoso.com', 'danielb@contoso.com', 'pradeepg@contoso.com'],
    },
    {
      id: ids.fabrikamCall, organizerId: jane, subject: 'Fabrikam renewal call', start: daysAfter(from, 8, '16:00:00'), durationMinutes: 30,
      attendees: ['sam@fabrikam.example', 'alexw@contoso.com'],
    },
    {
      id: ids.salesWeekly, organizerId: jane, subject: 'Sales team weekly', start: mondayBefore(from, 21, '09:00:00'), durationMinutes: 30,
      attendees: ['danielb@contoso.com', 'pradeepg@contoso.com', 'gradya@contoso.com'], weeklyOccurrences: 52,
    },
    { id: ids.dentist, organizerId: jane, subject: 'Dentist', start: daysAfter(from, 5, '08:00:00'), durationMinutes: 60, attendees: [] },
    {
      id: ids.accessReview, organizerId: ids.alex, subject: 'Quarterly access review', start: daysAfter(from, 4, '15:00:00'), durationMinutes: 45,
      attendees: ['janed@contoso.com', 'pattif@contoso.com'],
    },
  ];
}
