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
  licences: z.enum(['remove-after-conversion', 'keep'], { message: 'Choose what happens to the licences.' }).default('remove-after-conversion'),
  devices: z.enum(['retire', 'wipe', 'leave'], { message: 'Choose what happens to the devices.' }).default('retire'),
  filesTo: z.string().trim().max(256).optional(),
  groupsTo: z.string().trim().max(256).optional(),
  externalSharing: z
    .enum(['by-departure-type', 'remove', 'report'], { message: 'Choose what happens to OneDrive files shared outside the company.' })
    .default('by-departure-type'),
});

type Form = z.infer<typeof formSchema>;

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The mailbox choices: an empty delegate means the manager, "none" means nobody. */
function mailboxChoices(f: Form, now: Date): MailboxDecisions | string {
  const typed = f.delegate ?? '';
  const delegate = typed === '' ? undefined : typed.toLowerCase() === 'none' ? null : typed;
  if (delegate && !ADDRESS.test(delegate)) return 'Give the delegate as an email address, leave it empty for the manager, or type "none".';
  const until = f.delegateUntil || undefined;
  if (until && (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until)))) return 'The date the delegate loses access is not valid.';
  if (until && until < now.toISOString().slice(0, 10)) return 'The date the delegate loses access is in the past.';
  return {
    convertToShared: f.convertToShared === 'true',
    ...(delegate !== undefined ? { delegate } : {}),
    ...(until && delegate !== null ? { delegateUntil: until } : {}),
    autoReply: f.autoReply === 'true',
    ...(f.autoReplyInternal ? { autoReplyInternal: f.autoReplyInternal } : {}),
    ...(f.autoReplyExternal ? { autoReplyExternal: f.autoReplyExternal } : {}),
    litigationHold: f.litigationHold === 'true',
  };
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
  if (!f.cutoffDate || !/^\d{4}-\d{2}-\d{2}$/.test(f.cutoffDate)) {
    return { ok: false, problem: 'Give the last working day, or choose "now".' };
  }
  const time = f.cutoffTime && /^\d{2}:\d{2}/.test(f.cutoffTime) ? f.cutoffTime.slice(0, 5) : '17:00';
  const at = zonedToUtc(f.cutoffDate, time, f.timeZone);
  if (Number.isNaN(at.getTime())) return { ok: false, problem: 'The cut-off date or time is not valid.' };
  if (at.getTime() < now.getTime() - 60_000) return { ok: false, problem: 'The cut-off is in the past: choose "now" or a later time.' };
  return { ok: true, request: { ...base, cutoff: `${f.cutoffDate}T${time}` }, notBefore: at.toISOString() };
}
