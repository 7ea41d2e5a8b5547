/**
 * Remove-CalendarEvents (Exchange Online), the cmdlet Microsoft recommends before a mailbox goes:
 * with -CancelOrganizedMeetings it cancels the meetings the mailbox organizes that have one or
 * more attendees and an occurrence from QueryStartDate (default today) within QueryWindowInDays
 * (1 to 1825, mandatory), sending the cancellations that remove them from attendees' calendars.
 * Appointments without attendees stay. A series that began before QueryStartDate keeps its past
 * occurrences; the rest of it goes, beyond the window too. Without the switch, or with
 * -PreviewOnly or -WhatIf, nothing changes. Like other void cmdlets it returns no objects. The
 * sim reads dates and days in UTC (Exchange uses the mailbox's time zone).
 */
import { liveOccurrences, utcMoment, type SimMeeting } from '../calendar-state';
import type { TenantState } from '../state';
import { bool, int, str, type Cmdlet, type Params } from './cmdlet';
import { invalidValue } from './exchange-errors';
import { findMailbox } from './recipients';

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 1825;

const isOn = (p: Params, name: string) => p[name] !== undefined && bool(p, name);

/** ExDateTime from "2026-03-01", "2026-03-01T09:00:00Z" or the en-US short date "3/1/2026" ("3-1-2026"); without a zone, UTC. */
function queryStart(p: Params): number {
  if (p.QueryStartDate === undefined) {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  }
  const raw = str(p, 'QueryStartDate').trim();
  const us = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(raw);
  const iso = us ? `${us[3]}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}` : raw;
  const at = utcMoment(iso);
  if (Number.isNaN(at)) throw invalidValue('QueryStartDate', raw, 'Microsoft.Exchange.ExchangeSystem.ExDateTime');
  return at;
}

/** A meeting the mailbox organizes, with attendees, with an occurrence still on in [from, to). */
function toCancel(meeting: SimMeeting, organizerId: string, from: number, to: number): boolean {
  if (meeting.organizerId !== organizerId || meeting.attendees.length === 0) return false;
  return liveOccurrences(meeting).some((o) => o.start.getTime() >= from && o.start.getTime() < to);
}

const removeCalendarEvents: Cmdlet = {
  parameters: ['Identity', 'CancelOrganizedMeetings', 'QueryStartDate', 'QueryWindowInDays', 'PreviewOnly', 'UseCustomRouting', 'WhatIf'],
  required: ['Identity', 'QueryWindowInDays'],
  run: (p, state: TenantState) => {
    // PowerShell validates the arguments before the cmdlet looks for the mailbox.
    const days = int(p, 'QueryWindowInDays', 1, MAX_WINDOW_DAYS);
    const from = queryStart(p);
    const { user } = findMailbox(state, str(p, 'Identity'));
    const cancelling = isOn(p, 'CancelOrganizedMeetings') && !isOn(p, 'PreviewOnly') && !isOn(p, 'WhatIf');
    if (!cancelling) return [];
    for (const meeting of state.meetings.filter((m) => toCancel(m, user.id, from, from + days * DAY_MS))) {
      // From the query's start on (the whole meeting if it starts later); an earlier cancellation stays.
      const wanted = Math.max(Date.parse(meeting.start), from);
      const earlier = meeting.cancelledFrom === undefined ? Infinity : Date.parse(meeting.cancelledFrom);
      meeting.cancelledFrom = new Date(Math.min(wanted, earlier)).toISOString();
    }
    return [];
  },
};

export const CALENDAR_CMDLETS: Record<string, Cmdlet> = {
  'Remove-CalendarEvents': removeCalendarEvents,
};
