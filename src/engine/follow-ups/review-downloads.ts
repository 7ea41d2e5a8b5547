import type { OffboardingCase } from '../../cases/case';
import type { CaseNotifier } from '../../cases/case-notifier';
import type { ActionContext, OffboardingAction, PlannedChange, Wait } from '../../actions/offboarding-action';
import { readAll } from '../../actions/graph-pages';
import { parseSnapshot, recordedList } from '../../actions/take-evidence';
import { downloadsReport, type DownloadRecord, type DownloadsReport } from './downloads-report';
import { DAY_MS } from './follow-up-schedule';

/** Purview's names for a file taken out of SharePoint or OneDrive: a download, and a full sync to a device. */
export const DOWNLOAD_OPERATIONS = ['FileDownloaded', 'FileSyncDownloadedFull'] as const;
/** How far before the cut-off the search looks. */
export const LOOK_BACK_DAYS = 30;
/** A search still unfinished after this long is left to a person. */
const GIVE_UP_MS = DAY_MS;
/** Records read at most; a report past this says "at least". */
const MAX_RECORDS = 5_000;

/** Graph's microsoft.graph.security.auditLogQuery, as far as this follow-up reads it. */
interface AuditLogQuery {
  id: string;
  displayName?: string;
  status?: string;
}

type Change = { kind: 'search'; body: object } | { kind: 'report'; report: DownloadsReport };

/**
 * Follow-up as the case closes: asks Microsoft Purview's audit log which files the person
 * downloaded or synced in the 30 days before the cut-off and up to the search, and tells the
 * security team, in its channel, what it found (nothing when there was nothing). A search runs in
 * Microsoft 365 for minutes, hours on a busy tenant, so the follow-up starts it, waits pending and
 * looks again, and reads its records once it has finished. The search is named after the case, so
 * a run after a crash finds the one already started instead of starting another. Changes nothing
 * in the tenant. Graph: POST/GET /security/auditLog/queries, GET …/{id}/records, with
 * AuditLogsQuery-SharePoint.Read.All and AuditLogsQuery-OneDrive.Read.All (each shows only its
 * service's records).
 */
export function reviewDownloads(c: OffboardingCase, notifier: CaseNotifier, now: () => Date): Omit<OffboardingAction<Change>, 'name'> {
  const name = `Offboarding ${c._id}: files downloaded by ${c.target.userPrincipalName}`;
  const from = new Date(Date.parse(c.notBefore) - LOOK_BACK_DAYS * DAY_MS);
  const byHand = `Search the audit log in the Microsoft Purview portal for ${DOWNLOAD_OPERATIONS.join(' and ')} by ${c.target.userPrincipalName} since ${from.toISOString().slice(0, 10)}.`;
  return {
    async plan(ctx): Promise<PlannedChange<Change>> {
      const search = await findSearch(ctx, name);
      if (!search) {
        const body = {
          '@odata.type': '#microsoft.graph.security.auditLogQuery',
          displayName: name,
          filterStartDateTime: from.toISOString(),
          filterEndDateTime: now().toISOString(),
          operationFilters: [...DOWNLOAD_OPERATIONS],
          userPrincipalNameFilters: [c.target.userPrincipalName],
        };
        return { changes: [{ kind: 'search', body }], found: 'no audit search for this case yet.' };
      }
      const about = `Purview audit search ${search.id}`;
      if (search.status === 'notStarted' || search.status === 'running') {
        if (now().getTime() - Date.parse(ctx.since) > GIVE_UP_MS) {
          return { changes: [], found: '', stop: { status: 'manual', reason: `${about} has not finished in a day. Read its results in the Purview portal, or: ${byHand}` } };
        }
        return { changes: [], found: '', wait: lookAgain(ctx, now(), `${about} is ${search.status === 'running' ? 'still running' : 'queued'}.`) };
      }
      if (search.status !== 'succeeded') {
        return { changes: [], found: '', stop: { status: 'manual', reason: `${about} ended ${search.status ?? 'without a status'}. ${byHand}` } };
      }
      const records = await readRecords(ctx, search.id);
      const window = `${about}, ${LOOK_BACK_DAYS} days before the cut-off until the search`;
      const report = downloadsReport(c.target.displayName, records, records.length >= MAX_RECORDS ? `${window}; at least, reading stopped at ${MAX_RECORDS}` : window, signInAddresses(c));
      if (report.count === 0) return { changes: [], found: report.text };
      if (!notifier.reportDownloads) {
        return { changes: [], found: '', stop: { status: 'manual', reason: `Tell the security team: ${report.text} This app cannot post to its channel.` } };
      }
      return { changes: [{ kind: 'report', report }], found: report.text };
    },
    async apply(ctx, plan) {
      const change = plan.changes[0];
      if (change.kind === 'search') {
        const created = (await ctx.graph.send<AuditLogQuery>('POST', '/security/auditLog/queries', change.body)).body;
        return { detail: `Started Purview audit search ${created.id}.`, failures: [], wait: lookAgain(ctx, now(), 'Purview is searching the audit log.') };
      }
      await notifier.reportDownloads!(c, change.report.text);
      return { detail: `${change.report.text} Posted to the Security channel.`, failures: [] };
    },
    async verify(ctx, plan) {
      if (plan.changes[0].kind === 'report') return { ok: true, detail: '' }; // the notifier throws unless Teams confirmed the post
      const search = await findSearch(ctx, name);
      return search ? { ok: true, detail: '' } : { ok: false, detail: 'The audit search is not among Purview\'s searches after it was started.' };
    },
  };
}

/** The addresses of the person's recent sign-ins, from the evidence snapshot; undefined when it has none to read. */
function signInAddresses(c: OffboardingCase): Set<string> | undefined {
  const signIns = recordedList<{ ipAddress?: unknown }>(parseSnapshot(c.evidence), 'signIns');
  if (!signIns) return undefined;
  return new Set(signIns.map((s) => s.ipAddress).filter((ip): ip is string => typeof ip === 'string'));
}

/** The case's search, found by its name among the tenant's audit searches. */
async function findSearch(ctx: ActionContext, name: string): Promise<AuditLogQuery | undefined> {
  const searches = await readAll<AuditLogQuery>(ctx.graph, '/security/auditLog/queries');
  return searches.find((s) => s.displayName === name);
}

const readRecords = (ctx: ActionContext, id: string) => readAll<DownloadRecord>(ctx.graph, `/security/auditLog/queries/${encodeURIComponent(id)}/records?$top=1000`, MAX_RECORDS);

/**
 * When to look again: half the time the follow-up has waited so far, between 10 seconds and 15
 * minutes, so a quick search is read quickly and a slow one is not asked about every few seconds.
 */
function lookAgain(ctx: ActionContext, at: Date, reason: string): Wait {
  const waited = Math.max(0, at.getTime() - Date.parse(ctx.since));
  const delay = Math.min(15 * 60_000, Math.max(10_000, waited / 2));
  return { until: new Date(at.getTime() + delay), reason };
}
