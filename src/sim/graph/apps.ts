/**
 * App registrations and enterprise apps as their owners see them: the apps a user owns (the
 * ownedObjects type casts), each app's owners, and removing an owner (application-delete-owners,
 * serviceprincipal-delete-owners). Graph returns a secret's metadata, never the secret.
 */
import type { TenantState } from '../state';
import type { SimAppCredential, SimApplication, SimServicePrincipal } from '../workplace';
import { findUser } from './directory-objects';
import { resourceNotFound } from './errors';
import type { Json } from './odata';
import { plainList, sameId } from './plain-list';
import { noContent, ok, type GraphRequest } from './request';
import type { Route } from './router';

export type AppKind = 'application' | 'servicePrincipal';
type SimApp = SimApplication | SimServicePrincipal;

const COLLECTION: Record<AppKind, 'applications' | 'servicePrincipals'> = { application: 'applications', servicePrincipal: 'servicePrincipals' };

const secret = (c: SimAppCredential): Json => ({ ...c, hint: c.keyId.slice(0, 3), secretText: null, customKeyIdentifier: null });
const certificate = (c: SimAppCredential): Json => ({ ...c, type: 'AsymmetricX509Cert', usage: 'Verify', key: null, customKeyIdentifier: null });

/** The app as Graph writes it, with its type; owners are a relationship, not a property. */
export function representApp(app: SimApp, kind: AppKind): Json {
  return {
    '@odata.type': `#microsoft.graph.${kind}`,
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    passwordCredentials: (app.passwordCredentials ?? []).map(secret),
    keyCredentials: (app.keyCredentials ?? []).map(certificate),
  };
}

const appsOf = (state: TenantState, kind: AppKind): SimApp[] => (kind === 'application' ? state.applications : state.servicePrincipals);

/** The apps of one kind `ownerId` owns. */
export const ownedApps = (state: TenantState, kind: AppKind, ownerId: string): SimApp[] =>
  appsOf(state, kind).filter((a) => (a.ownerIds ?? []).some((id) => sameId(id, ownerId)));

function findApp(state: TenantState, kind: AppKind, id: string): SimApp {
  const app = appsOf(state, kind).find((a) => sameId(a.id, id));
  if (!app) throw resourceNotFound(id);
  return app;
}

/** Only the selected properties (unknown ones refused, as Graph does), always with the type. */
const listed = (req: GraphRequest, kind: AppKind, apps: SimApp[]) => plainList(req, COLLECTION[kind], `microsoft.graph.${kind}`, apps.map((a) => representApp(a, kind)));

function routesFor(kind: AppKind): Route[] {
  const set = COLLECTION[kind];
  return [
    {
      method: 'GET',
      pattern: `users/:id/ownedObjects/microsoft.graph.${kind}`,
      handle: (req, params, state) => listed(req, kind, ownedApps(state, kind, findUser(state, params.id).id)),
    },
    {
      method: 'GET',
      pattern: `${set}/:id/owners`,
      handle: (req, params, state) => {
        const app = findApp(state, kind, params.id);
        const owners = (app.ownerIds ?? []).flatMap((id) => {
          const user = state.users.get(id);
          return user ? [{ '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName }] : [];
        });
        return plainList(req, 'directoryObjects', 'microsoft.graph.directoryObject', owners);
      },
    },
    {
      method: 'DELETE',
      pattern: `${set}/:id/owners/:ownerId/$ref`,
      handle: (_req, params, state) => {
        const app = findApp(state, kind, params.id);
        // Not (or no longer) an owner: 404, as for any link that is not there. An app may be left without owners.
        if (!(app.ownerIds ?? []).some((id) => sameId(id, params.ownerId))) throw resourceNotFound(params.ownerId);
        app.ownerIds = (app.ownerIds ?? []).filter((id) => !sameId(id, params.ownerId));
        return noContent();
      },
    },
  ];
}

export const appRoutes: Route[] = [
  ...routesFor('application'),
  ...routesFor('servicePrincipal'),
  {
    // docs: synchronization-synchronization-list-jobs
    method: 'GET',
    pattern: 'servicePrincipals/:id/synchronization/jobs',
    handle: (req, params, state) => {
      const principal = findApp(state, 'servicePrincipal', params.id) as SimServicePrincipal;
      const jobs = (principal.synchronizationJobs ?? []).map((j): Json => ({ ...j, synchronizationJobSettings: [] }));
      return plainList(req, 'servicePrincipals/synchronization/jobs', 'microsoft.graph.synchronizationJob', jobs);
    },
  },
  {
    method: 'GET',
    pattern: 'applications/:id',
    handle: (req, params, state) => {
      const app = representApp(findApp(state, 'application', params.id), 'application');
      const select = req.url.searchParams.get('$select')?.split(',').map((f) => f.trim());
      const fields = Object.entries(app).filter(([k]) => !select || select.includes(k) || k === 'id');
      return ok({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity', ...Object.fromEntries(fields) });
    },
  },
];
