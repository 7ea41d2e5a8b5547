import { z } from 'zod';
import { DEPARTURE_TYPES, type DepartureRequest, type DepartureType, type ExternalSharingDecision, type HandOverDecisions, type MailboxDecisions } from './case';

/**
 * The request card's inputs, as Teams sends them (all strings), validated at the boundary.
 * Returns the request and the instant the case may execute (cut-off), or what is wrong.
 */
const formSchema = z.object({
  departureType: z.enum(DEPARTURE_TYPES, { message: 'Choose a departure type.' }),
  cutoffNow: z.enum(['true', 'false']).default('true'),
  cutoffDate: z.string().trim().optional(),
  cutoffTime: z.string().trim().optional(),
  timeZone: z.string().trim().min(1).default('UTC'),
  ticket: z.string().trim().max(64, 'Ticket number is at most 64 characters.').optional(),
  notes: z.string().trim().max(2000, 'Notes are at most 2000 characters.').optional(),
  convertToShared: z.enum(['true', 'false']).default('true'),
  delegate: z.string().trim().max(256).optional(),
  delegateUntil: z.string().trim().optional(),
  autoReply: z.enum(['true', 'false']).default('true'),
  autoReplyInternal: z.string().trim().max(2000, 'The auto-reply is at most 2000 characters.').optional(),
  autoReplyExternal: z.string().trim().max(2000, 'The auto-reply is at most 2000 characters.').optional(),
  litigationHold: z.enum(['true', 'false']).default('false'),
  meetings: z.enum(['by-departure-type', 'cancel', 'keep'], { message: 'Choose what happens to the meetings the user organizes.' }).default('by-departure-type'),
  licences: z.enum(['remove-after-conversion', 'keep'], { message: 'Choose what happens to the licences.' }).default('remove-after-conversion'),
  devices: z.enum(['retire', 'wipe', 'leave'], { message: 'Choose what happens to the devices.' }).default('retire'),
  filesTo: z.string().trim().max(256).optional(),
  groupsTo: z.string().trim().max(256).optional(),
  externalSharing: z
    .enum(['by-departure-type', 'remove', 'report'], { message: 'Choose what happens to OneDrive files shared outside the company.' })
    .default('by-departure-type'),
});

type Form = z.infer<typeof formSchema>;

/** The request card's cut-off toggle (cards/request.json), which the messages name. */
const NOW_TOGGLE = 'Now, as soon as it is approved';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The mailbox choices: an empty delegate means the manager, "none" means nobody. */
function mailboxChoices(f: Form, now: Date): MailboxDecisions | string {
  const typed = f.delegate ?? '';
  const delegate = typed === '' ? undefined : typed.toLowerCase() === 'none' ? null : typed;
  if (delegate && !ADDRESS.test(delegate)) return 'Give the delegate as an email address, leave it empty for the manager, or type "none".';
  const until = f.delegateUntil || undefined;
  if (until && !isCalendarDate(until)) return 'The mailbox "Access until" date is not a date on the calendar: give it as YYYY-MM-DD.';
  if (until && until < now.toISOString().slice(0, 10)) return 'The mailbox "Access until" date is in the past.';
  return {
    convertToShared: f.convertToShared === 'true',
    ...(delegate !== undefined ? { delegate } : {}),
    ...(until && delegate !== null ? { delegateUntil: until } : {}),
    autoReply: f.autoReply === 'true',
    ...(f.autoReplyInternal ? { autoReplyInternal: f.autoReplyInternal } : {}),
    ...(f.autoReplyExternal ? { autoReplyExternal: f.autoReplyExternal } : {}),
    litigationHold: f.litigationHold === 'true',
    cancelMeetings: f.meetings === 'by-departure-type' ? cancelMeetingsDefault(f.departureType) : f.meetings === 'cancel',
  };
}

/**
 * Meetings someone organized stay when they leave on good terms (the manager hands them over
 * first); they are cancelled when the person is let go or a risk, since nobody can change them later.
 */
export function cancelMeetingsDefault(departureType: DepartureType): boolean {
  return departureType !== 'voluntary';
}

/**
 * Sharing outside the company stays, listed in the report, when someone leaves on good terms (they
 * may have handed files to a partner on purpose); it goes when they are let go or a risk.
 */
export function externalSharingDefault(departureType: DepartureType): ExternalSharingDecision {
  return departureType === 'voluntary' ? 'report' : 'remove';
}

/** Who takes over the files and the groups: empty means the manager; only the files may go to nobody. */
function handOverChoices(f: Form): HandOverDecisions | string {
  const files = f.filesTo ?? '';
  const groups = f.groupsTo ?? '';
  if (files !== '' && files.toLowerCase() !== 'none' && !ADDRESS.test(files)) return 'Give who gets the OneDrive files as an email address, leave it empty for the manager, or type "none".';
  if (groups.toLowerCase() === 'none') return 'The groups the user solely owns need a new owner: give an email address, or leave it empty for the manager.';
  if (groups !== '' && !ADDRESS.test(groups)) return 'Give the new owner of the groups as an email address, or leave it empty for the manager.';
  return {
    ...(files === '' ? {} : { filesTo: files.toLowerCase() === 'none' ? null : files }),
    ...(groups === '' ? {} : { groupsTo: groups }),
    externalSharing: f.externalSharing === 'by-departure-type' ? externalSharingDefault(f.departureType) : f.externalSharing,
  };
}

export type FormResult =
  | { ok: true; request: DepartureRequest; notBefore: string }
  | { ok: false; problem: string };

/**
 * A YYYY-MM-DD date that exists: Date.parse and Date.UTC roll 2099-02-31 over to 3 March, so the
 * month and the day are checked here, leap years included.
 */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/** A time of day as Input.Time sends it, HH:mm (seconds tolerated), as HH:mm; null if it is not one. */
export function timeOfDay(time: string): string | null {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return null;
  return `${m[1]}:${m[2]}`;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** UTC instant of a wall-clock date and time in an IANA time zone. */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that moment: format the UTC guess in the zone and compare.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(asUtc));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(asUtc - (shown - asUtc));
}

export function parseDepartureForm(input: Record<string, unknown>, now: Date): FormResult {
  const parsed = formSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues[0].message };
  const f = parsed.data;
  if (!isTimeZone(f.timeZone)) return { ok: false, problem: `Unknown time zone "${f.timeZone}".` };
  const mailbox = mailboxChoices(f, now);
  if (typeof mailbox === 'string') return { ok: false, problem: mailbox };
  const handOver = handOverChoices(f);
  if (typeof handOver === 'string') return { ok: false, problem: handOver };
  // Removing licences never loses the mailbox: the licence step keeps one carrying an unshared mailbox.
  const base = { departureType: f.departureType, timeZone: f.timeZone, ticket: f.ticket || undefined, notes: f.notes || undefined, mailbox, licences: f.licences, devices: f.devices, handOver };
  // High-risk exits are contained at once, whatever cut-off was typed.
  if (f.cutoffNow === 'true' || f.departureType === 'high-risk') {
    return { ok: true, request: { ...base, cutoff: 'now' }, notBefore: now.toISOString() };
  }
  if (!f.cutoffDate) return { ok: false, problem: `Give the last working day, or turn on "${NOW_TOGGLE}".` };
  if (!isCalendarDate(f.cutoffDate)) return { ok: false, problem: 'The last working day is not a date on the calendar: give it as YYYY-MM-DD.' };
  const time = f.cutoffTime ? timeOfDay(f.cutoffTime) : '17:00';
  if (!time) return { ok: false, problem: 'The cut-off time is not a time of day: give it as HH:mm, from 00:00 to 23:59.' };
  const at = zonedToUtc(f.cutoffDate, time, f.timeZone);
  if (at.getTime() < now.getTime() - 60_000) return { ok: false, problem: `The cut-off is in the past: give a later last working day or time, or turn on "${NOW_TOGGLE}".` };
  return { ok: true, request: { ...base, cutoff: `${f.cutoffDate}T${time}` }, notBefore: at.toISOString() };
}
