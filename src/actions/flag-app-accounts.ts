/**
 * The person's own accounts inside the apps Entra gave them (enterprise apps they were assigned,
 * directly or through a group they were in).
 * Removing the assignment (the app consents step) ends single sign-on, but the app keeps its own
 * account of them, and one with a password of the app's own still signs in. Entra closes that
 * account only where its provisioning runs for the app: the next cycle disables or deletes it.
 *
 * For each app the evidence shows the person was assigned, the step reads whether provisioning
 * runs (GET /servicePrincipals/{id}/synchronization/jobs), and leaves each app without it to a
 * person, naming the app's owners in Entra, who can close the account. It changes nothing.
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { flagOnly } from './flag-only';
import { readAll } from './graph-pages';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';
import { parseSnapshot, recordedList, type EvidenceSnapshot } from './take-evidence';

interface Assignment {
  resourceId: string;
  resourceDisplayName?: string | null;
}

interface SynchronizationJob {
  id: string;
  schedule?: { state?: string | null } | null;
  status?: { code?: string | null } | null;
}

interface App {
  id: string;
  name: string;
  /** How the person had it: 'directly', or "through 'Group'" for each group assigned it. */
  via: string[];
}

interface DirectoryObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
}

/** What the plan says of one app: closed by provisioning (a note), or left to a person. */
type Finding = { app: App; provisioned: true; job: string } | { app: App; provisioned: false; line: string };

/**
 * The apps assigned to the groups the person was in: their members reach the app, and have an
 * account in it, as much as those assigned directly. One $batch of reads for up to 20 groups.
 */
async function groupAssignments(ctx: ActionContext, snapshot: EvidenceSnapshot | undefined): Promise<Array<Assignment & { via: string }>> {
  const objects = recordedList<DirectoryObject>(snapshot, 'memberOf') ?? (await readAll<DirectoryObject>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/memberOf?$select=id,displayName`));
  const groups = objects.filter((o) => o['@odata.type'] === '#microsoft.graph.group');
  const outcomes = await ctx.graph.batch(groups.map((g) => ({ method: 'GET', path: `/groups/${guidSegment(g.id)}/appRoleAssignments` })));
  return groups.flatMap((g, i) => {
    const o = outcomes[i];
    if (!o.ok) {
      // A group deleted since gives no access any more; any other failure fails the step, to be retried.
      if (o.error.status === 404) return [];
      throw o.error;
    }
    return ((o.body as { value?: Assignment[] }).value ?? []).map((a) => ({ ...a, via: `through '${g.displayName ?? g.id}'` }));
  });
}

/**
 * The apps the person was assigned, directly or through a group, each once: as the evidence
 * recorded the assignments and groups (a repeated run comes after the consents and membership
 * steps removed them), or read from the tenant when the evidence could not record them, or is not
 * taken yet (the plan preview). The step runs before those steps, so that read still finds them.
 */
async function assignedApps(ctx: ActionContext): Promise<App[]> {
  const snapshot = parseSnapshot(ctx.evidence);
  const direct = recordedList<Assignment>(snapshot, 'appRoleAssignments') ?? (await readAll<Assignment>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/appRoleAssignments`));
  const assignments = [...direct.map((a) => ({ ...a, via: 'directly' })), ...(await groupAssignments(ctx, snapshot))];
  const apps = new Map<string, App>();
  for (const a of assignments) {
    const app = apps.get(a.resourceId.toLowerCase()) ?? { id: a.resourceId, name: a.resourceDisplayName ?? a.resourceId, via: [] };
    if (!app.via.includes(a.via)) app.via.push(a.via);
    apps.set(a.resourceId.toLowerCase(), app);
  }
  return [...apps.values()];
}

/** A job that runs: scheduled, and neither paused, in quarantine nor never configured. */
const runs = (j: SynchronizationJob) =>
  j.schedule?.state?.toLowerCase() === 'active' && !['paused', 'quarantine', 'notconfigured'].includes(j.status?.code?.toLowerCase() ?? '');

/** Graph's synchronizationStatusCode, in words; a job whose status is active but whose schedule is not has been stopped. */
const STATUS_WORDS: Record<string, string> = { notconfigured: 'not configured', notrun: 'not started', paused: 'paused', quarantine: 'in quarantine' };

/** Why Entra does not close the account: no job, or the state of those there are. */
function whyNot(jobs: SynchronizationJob[]): string {
  if (jobs.length === 0) return 'no provisioning is set up';
  const states = new Set(jobs.map((j) => STATUS_WORDS[j.status?.code?.toLowerCase() ?? ''] ?? 'stopped'));
  return `its provisioning is ${[...states].join(' or ')}`;
}

/** The app's owners in Entra, who run it and can close the account; unknown when they cannot be read. */
async function ownersOf(ctx: ActionContext, app: App): Promise<string> {
  try {
    const owners = await readAll<{ displayName?: string | null }>(ctx.graph, `/servicePrincipals/${guidSegment(app.id)}/owners?$select=id,displayName`);
    const names = owners.map((o) => o.displayName).filter((n): n is string => !!n);
    return names.length > 0 ? `its owners in Entra: ${names.join(', ')}` : 'Entra records no owner of it: ask whoever runs it';
  } catch (err) {
    return `its owners could not be read (${describeError(err)})`;
  }
}

async function review(ctx: ActionContext, app: App): Promise<Finding | undefined> {
  let jobs: SynchronizationJob[];
  try {
    jobs = await readAll<SynchronizationJob>(ctx.graph, `/servicePrincipals/${guidSegment(app.id)}/synchronization/jobs`);
  } catch (err) {
    // The app itself is gone from the tenant: nobody signs in to it through Entra any more.
    if (err instanceof M365Error && err.status === 404) return undefined;
    throw err;
  }
  const running = jobs.find(runs);
  if (running) return { app, provisioned: true, job: running.id };
  return {
    app,
    provisioned: false,
    line:
      `'${app.name}': Entra does not close their account in it (${whyNot(jobs)}; assigned ${app.via.join(', ')}). Single sign-on ends with the assignment, ` +
      `but a password of the app's own would still sign in: disable the account in ${app.name} (${await ownersOf(ctx, app)}).`,
  };
}

async function plan(ctx: ActionContext): Promise<PlannedChange<never>> {
  const apps = await assignedApps(ctx);
  if (apps.length === 0) return { changes: [], found: 'was assigned no enterprise app.' };
  const findings = (await Promise.all(apps.map((app) => review(ctx, app)))).filter((f): f is Finding => f !== undefined);
  const closed = findings.filter((f) => f.provisioned);
  const left = findings.filter((f): f is Extract<Finding, { provisioned: false }> => !f.provisioned);
  const list = (fs: Finding[]) => fs.map((f) => `'${f.app.name}'`).join(', ');
  const found = [
    `was assigned ${apps.length} enterprise app(s)`,
    ...(closed.length > 0 ? [`Entra provisioning closes their account in ${list(closed)}`] : []),
    ...(left.length > 0 ? [`nothing closes it in ${list(left)}`] : []),
  ].join('; ');
  return {
    changes: [],
    found: `${found}.`,
    notes: closed.map((f) => `'${f.app.name}': Entra provisioning (job ${f.job}) disables or deletes their account on its next cycle once the assignment is removed.`),
    manual: left.map((f) => f.line),
  };
}

/**
 * Flags the apps the person was assigned whose own accounts Entra does not close (no provisioning
 * runs), for a person to close there. Synchronization.Read.All, and reading the apps' owners.
 */
export const flagAppAccounts: OffboardingAction<never> = flagOnly('flagAppAccounts', plan);
