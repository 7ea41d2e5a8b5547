/**
 * What a departing person downloaded, in words for the security team, from the Purview audit
 * records of their file downloads and syncs (Graph's microsoft.graph.security.auditLogRecord).
 */

/** The parts of an audit record the report reads. */
export interface DownloadRecord {
  createdDateTime: string;
  operation: string;
  objectId?: string | null;
  clientIp?: string | null;
  auditData?: { SourceFileName?: string } | null;
}

/** Files named in the report at most; the rest are counted. */
const FILES_NAMED = 10;
const ADDRESSES_NAMED = 5;

export interface DownloadsReport {
  count: number;
  text: string;
}

/**
 * `records` in any order; `who` is the person's display name, `search` says where the records came
 * from. `knownAddresses`, when given, are those the person's recent sign-ins came from (the
 * evidence snapshot): an address outside them is pointed out.
 */
export function downloadsReport(who: string, records: readonly DownloadRecord[], search: string, knownAddresses?: ReadonlySet<string>): DownloadsReport {
  if (records.length === 0) return { count: 0, text: `${who} downloaded or synced no file (${search}).` };
  const times = records.map((r) => r.createdDateTime).sort();
  const files = tally(records.map(fileName));
  const addresses = tally(records.map((r) => r.clientIp || 'no address recorded'));
  const [hour, inHour] = tally(records.map((r) => `${r.createdDateTime.slice(0, 13)}:00`))[0];
  const named = files.slice(0, FILES_NAMED).map(([name, n]) => (n > 1 ? `${name} (${n})` : name));
  const moreFiles = files.length - named.length;
  const text = [
    `${who} downloaded or synced ${plural(records.length, 'file')} (${plural(files.length, 'different file')}) between ${day(times[0])} and ${day(times[times.length - 1])} (${search}).`,
    inHour > 1 ? `Busiest hour: ${inHour} in the hour from ${hour.replace('T', ' ')} UTC.` : '',
    `From: ${addresses.slice(0, ADDRESSES_NAMED).map(([ip, n]) => `${ip} (${n}${knownAddresses && !knownAddresses.has(ip) ? ', not among the recent sign-ins' : ''})`).join(', ')}${addresses.length > ADDRESSES_NAMED ? ` and ${addresses.length - ADDRESSES_NAMED} more addresses` : ''}.`,
    `Files: ${named.join(', ')}${moreFiles > 0 ? `, and ${moreFiles} more` : ''}.`,
  ];
  return { count: records.length, text: text.filter(Boolean).join(' ') };
}

/** The file's name as Purview recorded it, else the last part of its URL. */
function fileName(r: DownloadRecord): string {
  const recorded = r.auditData?.SourceFileName;
  if (recorded) return recorded;
  const url = r.objectId ?? '';
  const last = url.split('/').filter(Boolean).pop();
  try {
    return last ? decodeURIComponent(last) : 'a file with no name recorded';
  } catch {
    return last ?? 'a file with no name recorded';
  }
}

/** Each distinct value with how often it occurs, most frequent first, ties by first seen. */
function tally(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

const day = (iso: string) => iso.slice(0, 10);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
