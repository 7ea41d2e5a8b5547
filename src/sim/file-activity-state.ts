/**
 * SharePoint and OneDrive file activity in Microsoft Purview's unified audit log, and the audit log
 * queries (Graph's microsoft.graph.security.auditLogQuery) that search it. Purview does not answer
 * a search at once: a query is created, runs for a while, and only then has records to list, so a
 * client has to poll it. How long it runs, and whether it ends well, are tenant settings a test or
 * the demo chooses (Workplace.auditSearchSeconds and auditSearchOutcome).
 */
import { daysBefore } from './seed-clock';
import type { Workplace } from './workplace';

export type FileOperation = 'FileAccessed' | 'FileDownloaded' | 'FileSyncDownloadedFull' | 'FileUploaded' | 'FileModified' | 'FileDeleted';

/** One unified audit log record of a file operation (record type SharePointFileOperation). */
export interface SimFileActivity {
  /** A guid, as Purview gives every record. */
  id: string;
  /** ISO UTC. */
  createdDateTime: string;
  operation: FileOperation;
  /** The workload: a team site's library is SharePoint, a personal site OneDrive. */
  service: 'SharePoint' | 'OneDrive';
  userPrincipalName: string;
  /** Purview writes the UPN here too, not the Entra object id. */
  userId: string;
  /** The file's full URL. */
  objectId: string;
  clientIp: string;
  /** SourceFileName in the record's audit data. */
  fileName: string;
  /** The site collection the file is in, ending in '/'. */
  siteUrl: string;
  userAgent: string;
}

export type AuditLogQueryStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';

/** A search of the audit log, with the filters as the client sent them. */
export interface SimAuditLogQuery {
  id: string;
  displayName: string | null;
  filterStartDateTime: string;
  filterEndDateTime: string;
  operationFilters: string[];
  userPrincipalNameFilters: string[];
  recordTypeFilters: string[];
  serviceFilters: string[];
  /** When it was created (ms since the epoch): it runs for auditSearchSeconds from then. */
  createdAt: number;
  status: AuditLogQueryStatus;
  /** What it found, fixed when it succeeds: activity logged later does not join a finished search. */
  records: SimFileActivity[];
}

/**
 * A search has finished by the time it is first read, and succeeded, unless the seed says otherwise:
 * the app looks again 10 seconds after starting one, so the demo shows its report soon, and tests
 * whose clock is not the wall clock see the same outcome every run. A seed with auditSearchSeconds
 * keeps searches running that long, by the wall clock.
 */
export const AUDIT_SEARCH_DEFAULTS: Pick<Workplace, 'auditSearchSeconds' | 'auditSearchOutcome'> = { auditSearchSeconds: 0, auditSearchOutcome: 'succeeded' };

/** Every file operation is this record type (Purview's RecordType 6), OneDrive's as well. */
export const FILE_RECORD_TYPE = 'sharePointFileOperation';

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** An empty filter lets everything through, as Purview reads one left out. */
const admits = (filter: readonly string[], value: string) => filter.length === 0 || filter.some((f) => sameText(f, value));

/** Whether the query's filters take the record in: its moment in [start, end), and each filter given. */
export function matches(query: SimAuditLogQuery, record: SimFileActivity): boolean {
  const at = Date.parse(record.createdDateTime);
  return (
    at >= Date.parse(query.filterStartDateTime) &&
    at < Date.parse(query.filterEndDateTime) &&
    admits(query.userPrincipalNameFilters, record.userPrincipalName) &&
    admits(query.operationFilters, record.operation) &&
    admits(query.serviceFilters, record.service) &&
    admits(query.recordTypeFilters, FILE_RECORD_TYPE)
  );
}

/**
 * Moves the query on as a client reads it: the search starts when first looked at, runs until
 * auditSearchSeconds have passed since it was created (by the real clock), then ends as the
 * tenant's auditSearchOutcome says. A search that succeeds keeps what matched then, oldest first.
 */
export function advance(tenant: Pick<Workplace, 'fileActivity' | 'auditSearchSeconds' | 'auditSearchOutcome'>, query: SimAuditLogQuery, now = Date.now()): AuditLogQueryStatus {
  if (query.status === 'succeeded' || query.status === 'failed') return query.status;
  query.status = 'running';
  if (now - query.createdAt < tenant.auditSearchSeconds * 1000) return query.status;
  query.status = tenant.auditSearchOutcome;
  if (query.status === 'succeeded') {
    query.records = tenant.fileActivity
      .filter((r) => matches(query, r))
      .sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
  }
  return query.status;
}

// ---------------------------------------------------------------------------------------------
// Jane's file activity in the month before she resigns
// ---------------------------------------------------------------------------------------------

const JANE = 'janed@contoso.com';
const ALEX = 'alexw@contoso.com';
/** Her OneDrive (the drive's webUrl in seed-workplace.ts is its Documents library). */
const JANES_ONEDRIVE = 'https://contoso-my.sharepoint.com/personal/janed_contoso_com/';
const SALES_SITE = 'https://contoso.sharepoint.com/sites/Sales/';
const IT_SITE = 'https://contoso.sharepoint.com/sites/IT/';
/** Where Jane signs in from every day (her sign-ins in seed-audit-logs.ts), and Alex from his desk. */
const OFFICE_IP = '198.51.100.23';
const ALEX_IP = '198.51.100.40';
/** In none of her sign-ins: not the office, not even Lagos. */
const UNKNOWN_IP = '192.0.2.214';
const EDGE_ON_LAPTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36';
const SYNC_CLIENT = 'Microsoft SkyDriveSync 24.201.1006.0005 ship; Windows NT 10.0 (19045)';

/** The customer files she took: 22 of them, two downloaded twice (in the browser, then by sync). */
const CUSTOMER_FILES_IN_BROWSER = ['Fabrikam pricing 2027.xlsx', 'Contoso key accounts.xlsx', 'Customer master list 2026.xlsx', 'Woodgrove Bank MSA.pdf'];
const CUSTOMER_FILES_SYNCED = [
  'Fabrikam pricing 2027.xlsx', 'Contoso key accounts.xlsx', 'Northwind contract 2026.pdf', 'Tailspin Toys renewal terms.docx',
  'Adventure Works discount schedule.xlsx', 'Litware pipeline Q1.xlsx', 'Wingtip Toys price list.xlsx', 'Fourth Coffee proposal.pptx',
  'Alpine Ski House quote.xlsx', 'Proseware account plan.docx', 'Coho Winery contacts.xlsx', 'Lamna Healthcare SOW.docx',
  "Margie's Travel rebates.xlsx", 'Relecloud renewal forecast.xlsx', 'Trey Research NDA.pdf', 'Blue Yonder Airlines pricing.xlsx',
  'Humongous Insurance contract.pdf', 'VanArsdel deal memo.docx', 'Consolidated Messenger rates.xlsx', 'Graphic Design Institute quote.pdf',
];

/** Everyday reads in the month: opening a file is FileAccessed, which is no download. */
const EVERYDAY_READS: ReadonlyArray<[days: number, timeOfDay: string, site: string, path: string]> = [
  [28, '09:12:31', SALES_SITE, 'Shared Documents/Pipeline/Weekly pipeline.xlsx'],
  [25, '14:40:02', JANES_ONEDRIVE, 'Documents/Notes.docx'],
  [23, '10:05:47', SALES_SITE, 'Shared Documents/Playbooks/Sales playbook.pdf'],
  [20, '11:21:09', SALES_SITE, 'Shared Documents/Pipeline/Weekly pipeline.xlsx'],
  [18, '16:02:55', JANES_ONEDRIVE, 'Documents/Q3 pricing.xlsx'],
  [15, '09:48:13', SALES_SITE, 'Shared Documents/Price books/Price book 2026.xlsx'],
  [13, '13:30:40', JANES_ONEDRIVE, 'Documents/Fabrikam deal/Proposal.pptx'],
  [10, '10:17:26', SALES_SITE, 'Shared Documents/Pipeline/Weekly pipeline.xlsx'],
  [9, '15:55:01', JANES_ONEDRIVE, 'Documents/Handover checklist.docx'],
  [6, '08:44:38', SALES_SITE, 'Shared Documents/Templates/Quote template.docx'],
  [5, '12:09:50', JANES_ONEDRIVE, 'Documents/Team budget.xlsx'],
  [1, '09:26:14', SALES_SITE, 'Shared Documents/Pipeline/Weekly pipeline.xlsx'],
];

/** Ordinary downloads from the office, about one a week. */
const EVERYDAY_DOWNLOADS: ReadonlyArray<[days: number, timeOfDay: string, site: string, path: string]> = [
  [26, '10:31:18', SALES_SITE, 'Shared Documents/Price books/Price book 2026.xlsx'],
  [21, '15:12:44', JANES_ONEDRIVE, 'Documents/Q3 pricing.xlsx'],
  [16, '09:03:27', SALES_SITE, 'Shared Documents/Playbooks/Sales playbook.pdf'],
  [11, '11:47:05', SALES_SITE, 'Shared Documents/Templates/Quote template.docx'],
  [7, '14:20:39', JANES_ONEDRIVE, 'Documents/Team budget.xlsx'],
  [3, '16:38:12', SALES_SITE, 'Shared Documents/Pipeline/Weekly pipeline.xlsx'],
];

/** The seconds of a day as a time of day, "22:10:04". */
const timeOfDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19);

/**
 * Jane's file activity in the unified audit log, dated from the seeding moment (seed-clock.ts):
 * a month of everyday work from the office (reads, and a download about once a week), then, two
 * nights before, half an hour (22:10 to 22:40 UTC) in which her customer files left her OneDrive
 * from an address she never signs in from: a few in a browser, then the whole Customers folder
 * through a sync client. Besides: a download from before the 30 days a review looks back, and two
 * of Alex's, which a search for Jane must leave out.
 */
export function janesFileActivity(seededAt: Date): SimFileActivity[] {
  let serial = 0;
  const record = (
    days: number,
    at: string,
    operation: FileOperation,
    siteUrl: string,
    path: string,
    how: { by?: string; clientIp: string; userAgent: string },
  ): SimFileActivity => {
    const by = how.by ?? JANE;
    serial += 1;
    return {
      id: `3f7c2a91-5d4e-4b8a-9c16-${serial.toString(16).padStart(12, '0')}`,
      createdDateTime: daysBefore(seededAt, days, at),
      operation,
      service: siteUrl.includes('-my.sharepoint.com/') ? 'OneDrive' : 'SharePoint',
      userPrincipalName: by,
      userId: by,
      objectId: `${siteUrl}${path}`,
      clientIp: how.clientIp,
      fileName: path.slice(path.lastIndexOf('/') + 1),
      siteUrl,
      userAgent: how.userAgent,
    };
  };
  const atOffice = { clientIp: OFFICE_IP, userAgent: EDGE_ON_LAPTOP };
  const inBrowser = { clientIp: UNKNOWN_IP, userAgent: CHROME_ON_LINUX };
  const bySync = { clientIp: UNKNOWN_IP, userAgent: SYNC_CLIENT };
  const burstStart = 22 * 3600 + 10 * 60 + 4;
  const burst = [
    ...CUSTOMER_FILES_IN_BROWSER.map((name) => ({ name, operation: 'FileDownloaded' as const, how: inBrowser })),
    ...CUSTOMER_FILES_SYNCED.map((name) => ({ name, operation: 'FileSyncDownloadedFull' as const, how: bySync })),
  ];
  return [
    record(40, '10:02:33', 'FileDownloaded', SALES_SITE, 'Shared Documents/Price books/Price book 2025.xlsx', atOffice),
    ...EVERYDAY_READS.map(([days, at, site, path]) => record(days, at, 'FileAccessed', site, path, atOffice)),
    ...EVERYDAY_DOWNLOADS.map(([days, at, site, path]) => record(days, at, 'FileDownloaded', site, path, atOffice)),
    // One every 75 seconds: the last at 22:38:49.
    ...burst.map(({ name, operation, how }, i) =>
      record(2, timeOfDay(burstStart + i * 75), operation, JANES_ONEDRIVE, `Documents/Customers/${name}`, how),
    ),
    record(9, '13:14:22', 'FileDownloaded', IT_SITE, 'Shared Documents/Runbooks/Offboarding runbook.docx', { by: ALEX, clientIp: ALEX_IP, userAgent: EDGE_ON_LAPTOP }),
    record(4, '10:51:07', 'FileDownloaded', IT_SITE, 'Shared Documents/Licences/Licence inventory.xlsx', { by: ALEX, clientIp: ALEX_IP, userAgent: EDGE_ON_LAPTOP }),
  ];
}
