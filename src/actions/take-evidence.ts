import type { CaseEvidence } from '../cases/case';
import type { UserLogEntries } from '../m365/audit-log-reader';
import { M365Error } from '../m365/m365-error';
import { guidSegment, odataString } from '../m365/odata';
import { canonicalJson, sha256Hex } from '../audit/canonical-json';
import { mailboxIdentity } from './exchange-mailbox';
import { keepingReadIds, readAll } from './graph-pages';
import { oneDriveSharingSection } from './onedrive-sharing';
import type { ActionContext, GraphCalls, OffboardingAction } from './offboarding-action';

export type EvidenceSection =
  | { path: string; requestId?: string; value: unknown }
  | { path: string; requestId?: string; error: { status: number; code: string; message: string } };

export interface EvidenceSnapshot {
  caseId: string;
  target: { id: string; userPrincipalName: string };
  takenAt: string;
  sections: Record<string, EvidenceSection>;
}

/**
 * How a section is read: one object; a collection in full (all pages); or only the first page of
 * a log, newest first, because the sign-in and audit reports are long and throttled hard (5
 * requests per 10 s) and what matters for the case is the recent past.
 */
type Read = 'object' | 'all pages' | 'first page';

const RECENT_LOG_ENTRIES = 50;

/** What is read from the directory, and from where; collections in full. */
function sectionsFor(userId: string): Record<string, { path: string; collection: boolean }> {
  const user = `/users/${userId}`;
  const principal = encodeURIComponent(`principalId eq ${odataString(userId)}`);
  return {
    profile: {
      path: `${user}?$select=id,displayName,userPrincipalName,mail,jobTitle,department,employeeId,accountEnabled,onPremisesSyncEnabled,createdDateTime,lastPasswordChangeDateTime,signInSessionsValidFromDateTime,usageLocation,assignedLicenses,licenseAssignmentStates`,
      collection: false,
    },
    manager: { path: `${user}/manager?$select=id,displayName,userPrincipalName`, collection: false },
    directReports: { path: `${user}/directReports?$select=id,displayName,userPrincipalName`, collection: true },
    memberOf: { path: `${user}/memberOf?$select=id,displayName,mail,groupTypes,mailEnabled,securityEnabled,membershipRule,isAssignableToRole`, collection: true },
    ownedObjects: { path: `${user}/ownedObjects?$select=id,displayName,mail,groupTypes`, collection: true },
    directoryRoles: { path: `/roleManagement/directory/roleAssignments?$filter=${principal}&$expand=roleDefinition`, collection: true },
    pimEligibility: { path: `/roleManagement/directory/roleEligibilitySchedules?$filter=${principal}&$expand=roleDefinition`, collection: true },
    pimGroupEligibility: { path: `/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=${principal}&$expand=group`, collection: true },
    // Active and later-starting role assignments; the later ones are what the directoryRoles section cannot show.
    pimRoleAssignmentSchedules: { path: `/roleManagement/directory/roleAssignmentSchedules?$filter=${principal}&$expand=roleDefinition`, collection: true },
    pimGroupAssignmentSchedules: { path: `/identityGovernance/privilegedAccess/group/assignmentSchedules?$filter=${principal}&$expand=group`, collection: true },
    licences: { path: `${user}/licenseDetails`, collection: true },
    authenticationMethods: { path: `${user}/authentication/methods`, collection: true },
    managedDevices: {
      path: `${user}/managedDevices?$select=id,deviceName,operatingSystem,osVersion,model,serialNumber,complianceState,managedDeviceOwnerType,lastSyncDateTime`,
      collection: true,
    },
    inboxRules: { path: `${user}/mailFolders/inbox/messageRules`, collection: true },
    oauth2PermissionGrants: { path: `${user}/oauth2PermissionGrants`, collection: true },
    appRoleAssignments: { path: `${user}/appRoleAssignments`, collection: true },
  };
}

/** The recent entries of Entra ID's logs about the user: their sign-ins, and changes made to the account. */
function recentLogsFor(userId: string): Record<string, string> {
  const user = odataString(userId);
  return {
    signIns: `/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq ${user}`)}&$top=${RECENT_LOG_ENTRIES}`,
    directoryAudits: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(`targetResources/any(t:t/id eq ${user})`)}&$top=${RECENT_LOG_ENTRIES}`,
  };
}

/** Reads one section; a failure is recorded in the snapshot rather than stopping the others. */
async function readSection(graph: GraphCalls, path: string, read: Read): Promise<EvidenceSection> {
  const { graph: keeping, requestId } = keepingReadIds(graph);
  try {
    const value =
      read === 'all pages' ? await readAll(keeping, path) : read === 'first page' ? (await keeping.get<{ value: unknown[] }>(path)).body.value : (await keeping.get(path)).body;
    return { path, requestId: requestId(), value };
  } catch (err) {
    // No manager is a fact, not a failure.
    if (err instanceof M365Error && err.status === 404 && path.includes('/manager')) return { path, requestId: err.requestId, value: null };
    return { path, requestId: err instanceof M365Error ? err.requestId : requestId(), error: errorOf(err) };
  }
}

const errorOf = (err: unknown) =>
  err instanceof M365Error ? { status: err.status, code: err.code, message: err.message } : { status: 0, code: 'Unexpected', message: (err as Error).message };

/**
 * The sign-in and audit log sections. In the engine they come from its reader, which asks for
 * several cases' users in one query (src/m365/audit-log-reader.ts); a preview or a lone action
 * reads the user's own first page. A failed query is an error section either way.
 */
async function recentLogSections(ctx: ActionContext, userId: string): Promise<Record<string, EvidenceSection>> {
  const reader = ctx.auditLogs;
  if (!reader) {
    const sections: Record<string, EvidenceSection> = {};
    for (const [name, path] of Object.entries(recentLogsFor(userId))) sections[name] = await readSection(ctx.graph, path, 'first page');
    return sections;
  }
  // Both at once, so this case joins the pending query of each log in the same window.
  const [signIns, directoryAudits] = await Promise.all([
    combinedSection('/auditLogs/signIns', () => reader.signInsFor(userId)),
    combinedSection('/auditLogs/directoryAudits', () => reader.directoryAuditsFor(userId)),
  ]);
  return { signIns, directoryAudits };
}

async function combinedSection(collection: string, read: () => Promise<UserLogEntries<unknown>>): Promise<EvidenceSection> {
  try {
    const entries = await read();
    return { path: entries.path, requestId: entries.requestIds.join(',') || undefined, value: entries.value };
  } catch (err) {
    return { path: collection, requestId: err instanceof M365Error ? err.requestId : undefined, error: errorOf(err) };
  }
}

/** One Exchange cmdlet's answer as a section; Graph cannot see mailbox forwarding or permissions. */
async function exchangeSection(ctx: ActionContext, cmdlet: 'Get-Mailbox' | 'Get-MailboxPermission'): Promise<EvidenceSection> {
  const identity = mailboxIdentity(ctx);
  const path = `Exchange InvokeCommand: ${cmdlet} -Identity ${identity}`;
  try {
    const res = await ctx.exchange.invoke(cmdlet, { Identity: identity });
    return { path, requestId: res.requestIds.join(',') || undefined, value: res.value };
  } catch (err) {
    return { path, requestId: err instanceof M365Error ? err.requestId : undefined, error: errorOf(err) };
  }
}

export async function snapshotOf(ctx: ActionContext, takenAt: string): Promise<CaseEvidence> {
  const userId = guidSegment(ctx.target.id);
  // The sections are independent reads: taken at once, so containment (the next steps) is not held
  // up by one read after another; the engine's pacers keep the pace each service allows. The log
  // query meanwhile waits a moment for other cases' users to join it.
  const [directory, recentLogs, mailbox, mailboxPermissions, oneDriveSharing] = await Promise.all([
    Promise.all(Object.entries(sectionsFor(userId)).map(async ([name, { path, collection }]) => [name, await readSection(ctx.graph, path, collection ? 'all pages' : 'object')] as const)),
    recentLogSections(ctx, userId),
    // The mailbox's type, forwarding (ForwardingSmtpAddress, DeliverToMailboxAndForward) and hold.
    exchangeSection(ctx, 'Get-Mailbox'),
    // Who else may open it (FullAccess and the like).
    exchangeSection(ctx, 'Get-MailboxPermission'),
    // Many reads (each file's permissions), so it has its own reader; no OneDrive is a fact, not an error.
    oneDriveSharingSection(ctx.graph, userId),
  ]);
  const sections: Record<string, EvidenceSection> = { ...Object.fromEntries(directory), ...recentLogs, mailbox, mailboxPermissions, oneDriveSharing };
  const snapshot: EvidenceSnapshot = { caseId: ctx.caseId, target: { id: userId, userPrincipalName: ctx.target.userPrincipalName }, takenAt, sections };
  const text = canonicalJson(snapshot);
  return { takenAt, sha256: sha256Hex(text), snapshot: text };
}

export function parseSnapshot(evidence: CaseEvidence | undefined): EvidenceSnapshot | undefined {
  return evidence ? (JSON.parse(evidence.snapshot) as EvidenceSnapshot) : undefined;
}

/** The records of a collection section, or undefined when there is no snapshot or the section could not be read. */
export function recordedList<T>(snapshot: EvidenceSnapshot | undefined, name: string): T[] | undefined {
  const section = snapshot?.sections[name];
  return section && 'value' in section && Array.isArray(section.value) ? (section.value as T[]) : undefined;
}

/**
 * Records the account as it is before anything changes: profile, manager, reports, memberships,
 * owned groups, roles, PIM eligibilities and assignments (those that start later too), licences,
 * sign-in methods, devices, inbox rules, app consents, the mailbox (type, forwarding, hold) and
 * who may open it, OneDrive sharing outside the company, and the recent sign-ins and directory
 * audits, each with its request-id, hashed with SHA-256. Taken once per case: a resumed case keeps
 * the first one. A section lost to throttling or a service fault fails the step, which the engine
 * retries before any change; if the last attempt still has gaps, a retry later leaves them to a
 * person.
 */
export const takeEvidence: OffboardingAction<'snapshot'> = {
  name: 'takeEvidence',
  async plan(ctx) {
    if (!ctx.evidence) return { changes: ['snapshot'], found: 'no evidence snapshot yet.' };
    const taken = `the evidence snapshot was already taken at ${ctx.evidence.takenAt} (SHA-256 ${ctx.evidence.sha256}).`;
    // Retaking it now would record the account after the changes, not before: a person fills the gap.
    const gaps = passingGaps(parseSnapshot(ctx.evidence)!);
    if (gaps.length === 0) return { changes: [], found: taken };
    return {
      changes: [],
      found: taken,
      stop: {
        status: 'manual',
        reason:
          `The snapshot taken at ${ctx.evidence.takenAt} lacks ${gaps.join(', ')}: Microsoft 365 was throttling or failing when it was taken, and the state before the changes can no longer be read. ` +
          'Export what is still available (sign-in and audit logs keep 30 days) from the Entra and Exchange admin centers and attach it to the ticket.',
      },
    };
  },
  async apply(ctx) {
    const evidence = await snapshotOf(ctx, new Date().toISOString());
    const snapshot = parseSnapshot(evidence)!;
    const sections = Object.entries(snapshot.sections);
    const failed = sections.filter(([, s]) => 'error' in s).map(([name, s]) => `${name} (${'error' in s ? s.error.code : ''})`);
    const detail =
      `Snapshot of ${sections.length} sections taken; SHA-256 ${evidence.sha256}.` +
      (failed.length > 0 ? ` Could not read: ${failed.join(', ')}; recorded as errors in the snapshot.` : '');
    // A section refused for good (no licence for the logs, no mailbox) is a fact of the tenant; one
    // lost to throttling or a service fault is a gap: the step fails, so the engine takes the
    // snapshot again (after Retry-After) before anything changes; the last attempt's snapshot is kept.
    const gaps = passingGaps(snapshot);
    return { detail, failures: gaps.length > 0 ? [`Missing because Microsoft 365 was throttling or failing: ${gaps.join(', ')}.`] : [], evidence };
  },
  async verify(_ctx, _plan, applied) {
    const ok = applied.evidence !== undefined && sha256Hex(applied.evidence.snapshot) === applied.evidence.sha256;
    return ok ? { ok, detail: '(hash verified)' } : { ok, detail: 'The snapshot does not match its hash.' };
  },
};

/** Sections not read because of throttling (429), a service fault (5xx) or no answer at all. */
function passingGaps(snapshot: EvidenceSnapshot): string[] {
  return Object.entries(snapshot.sections)
    .filter(([, s]) => 'error' in s && (s.error.status === 429 || s.error.status >= 500 || s.error.code === 'NetworkError'))
    .map(([name]) => name);
}
