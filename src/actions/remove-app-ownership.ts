/**
 * The apps the person owns: app registrations (applications) and enterprise apps (service
 * principals). An owner can add client secrets and certificates to them, and an app signs in with
 * those without the person: a secret added before leaving outlives the disabled account. The step
 * removes the person as owner, and leaves each secret or certificate added in the 30 days before it
 * ran to a person to confirm or remove; removing one the app's users still rely on would stop
 * their integration, which is not the offboarding's call. Someone who could change any app's
 * credentials (an app admin role) also has the apps they changed them on flagged, from the directory
 * audit log (app-credential-audits.ts).
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { credentialChangesAsAdmin } from './app-credential-audits';
import { describeError } from './describe-error';
import { sameId } from './end-group-ownership';
import { deleteEachIfPresent, readAll } from './graph-pages';
import type { ActionContext, GraphCalls, OffboardingAction, PlannedChange } from './offboarding-action';
import { parseSnapshot, recordedList } from './take-evidence';

/** Secrets and certificates this recent are flagged for a person. */
export const RECENT_CREDENTIAL_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type AppKind = 'application' | 'servicePrincipal';

interface Credential {
  keyId: string;
  displayName?: string | null;
  startDateTime?: string | null;
}

interface AppObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  passwordCredentials?: Credential[];
  keyCredentials?: Credential[];
}

/** An app the person owns, as the plan lists it. */
export interface OwnedApp {
  kind: AppKind;
  id: string;
  displayName: string;
}

const COLLECTION: Record<AppKind, string> = { application: 'applications', servicePrincipal: 'servicePrincipals' };
const WHERE: Record<AppKind, string> = {
  application: 'App registrations › {app} › Certificates & secrets',
  servicePrincipal: 'Graph (servicePrincipal removePassword or removeKey; enterprise apps do not show their secrets in the portal)',
};
const SELECT = '$select=id,displayName,passwordCredentials,keyCredentials';

const nameOf = (app: AppObject) => app.displayName ?? app.id;

async function ownedOfKind(graph: GraphCalls, userId: string, kind: AppKind): Promise<Array<AppObject & { kind: AppKind }>> {
  const apps = await readAll<AppObject>(graph, `/users/${guidSegment(userId)}/ownedObjects/microsoft.graph.${kind}?${SELECT}`);
  return apps.map((a) => ({ ...a, kind }));
}

async function ownedApps(ctx: ActionContext): Promise<Array<AppObject & { kind: AppKind }>> {
  const [applications, principals] = await Promise.all([ownedOfKind(ctx.graph, ctx.target.id, 'application'), ownedOfKind(ctx.graph, ctx.target.id, 'servicePrincipal')]);
  return [...applications, ...principals];
}

/**
 * Apps the evidence snapshot shows the person owned that they no longer own (an earlier run of the
 * step removed them): read again, so a repeated run still flags what was added to them.
 */
async function ownedBefore(ctx: ActionContext, now: Array<{ id: string }>): Promise<Array<AppObject & { kind: AppKind }>> {
  const recorded = recordedList<AppObject>(parseSnapshot(ctx.evidence), 'ownedObjects') ?? [];
  const kinds = new Map<string, AppKind>([['#microsoft.graph.application', 'application'], ['#microsoft.graph.servicePrincipal', 'servicePrincipal']]);
  const gone = recorded.filter((o) => kinds.has(o['@odata.type'] ?? '') && !now.some((n) => sameId(n.id, o.id)));
  const read = await Promise.all(
    gone.map(async (o) => {
      const kind = kinds.get(o['@odata.type']!)!;
      try {
        return { ...(await ctx.graph.get<AppObject>(`/${COLLECTION[kind]}/${guidSegment(o.id)}?${SELECT}`)).body, kind };
      } catch (err) {
        // Deleted since: nothing of it can sign in any more. Any other error fails the step, to be retried.
        if (err instanceof M365Error && err.status === 404) return undefined;
        throw err;
      }
    }),
  );
  return read.filter((a): a is AppObject & { kind: AppKind } => a !== undefined);
}

/** One line per secret or certificate added to `app` since `since`, for a person to confirm or remove. */
function recentCredentials(app: AppObject & { kind: AppKind }, since: number): string[] {
  const lines: string[] = [];
  const kinds: Array<[string, Credential[] | undefined]> = [['client secret', app.passwordCredentials], ['certificate', app.keyCredentials]];
  for (const [what, credentials] of kinds) {
    for (const c of credentials ?? []) {
      const added = Date.parse(c.startDateTime ?? '');
      if (!(added >= since)) continue;
      const label = c.displayName ? `'${c.displayName}' ` : '';
      lines.push(
        `'${nameOf(app)}' (their app) got a new ${what} ${label}on ${new Date(added).toISOString().slice(0, 10)} (key id ${c.keyId}): ` +
          `ask whoever runs the app whether it is needed, and remove it if not (${WHERE[app.kind].replace('{app}', nameOf(app))}).`,
      );
    }
  }
  return lines;
}

async function plan(ctx: ActionContext): Promise<PlannedChange<OwnedApp>> {
  const owned = await ownedApps(ctx);
  const since = Date.parse(ctx.since) - RECENT_CREDENTIAL_DAYS * DAY_MS;
  const reviewed = [...owned, ...(await ownedBefore(ctx, owned))];
  const asAdmin = await credentialChangesAsAdmin(ctx, since, new Set(reviewed.map((a) => a.id.toLowerCase())));
  const manual = [...reviewed.flatMap((app) => recentCredentials(app, since)), ...asAdmin];
  const changes = owned.map((a): OwnedApp => ({ kind: a.kind, id: a.id, displayName: nameOf(a) }));
  const found =
    owned.length === 0
      ? 'owns no app registrations or enterprise apps.'
      : `owns ${owned.map((a) => `'${nameOf(a)}' (${a.kind === 'application' ? 'app registration' : 'enterprise app'})`).join(', ')}.`;
  return { changes, found, manual };
}

const ownerRef = (ctx: ActionContext, app: OwnedApp) => `/${COLLECTION[app.kind]}/${guidSegment(app.id)}/owners/${guidSegment(ctx.target.id)}/$ref`;

/**
 * Removes the person as owner of their app registrations and enterprise apps, and flags the secrets
 * and certificates added to them in the 30 days before. Nobody is made owner in their place: an
 * owner can give the app new secrets, a right to hand on deliberately. Application.ReadWrite.All.
 */
export const removeAppOwnership: OffboardingAction<OwnedApp> = {
  name: 'removeAppOwnership',
  plan,
  async apply(ctx, planned) {
    // Each removal is independent, so all go through $batch; a 404 means no longer an owner.
    const failures = await deleteEachIfPresent(ctx.graph, planned.changes, (a) => ownerRef(ctx, a), (a, err) => `Could not remove the user as owner of '${a.displayName}': ${describeError(err)}`);
    const removed = planned.changes.length - failures.length;
    return { detail: `Removed the user as owner of ${removed} of ${planned.changes.length} app(s): ${planned.changes.map((a) => `'${a.displayName}'`).join(', ')}.`, failures };
  },
  async verify(ctx, planned) {
    const left = (await ownedApps(ctx)).filter((a) => planned.changes.some((p) => sameId(p.id, a.id)));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still an owner of ${left.map((a) => `'${nameOf(a)}'`).join(', ')}.` };
  },
};
