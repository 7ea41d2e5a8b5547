/** OneDrive: a user's drive and sharing its root folder by invite; files, folders and permissions in drive-items.ts. */
import { randomUUID } from 'node:crypto';
import type { SimDrive, SimDrivePermission } from '../drive-state';
import type { SimUser, TenantState } from '../state';
import { findUser } from './directory-objects';
import { badRequest, GraphHttpError } from './errors';
import type { Json } from './odata';
import { driveDeltaRoutes } from './drive-delta';
import { driveItemRoutes } from './drive-items';
import { sameId } from './plain-list';
import { contextUrl, jsonBody, ok } from './request';
import type { Route } from './router';

function findDrive(state: TenantState, id: string): SimDrive {
  const drive = state.drives.find((d) => sameId(d.id, id));
  if (!drive) throw new GraphHttpError(404, 'itemNotFound', 'The resource could not be found.');
  return drive;
}

function representDrive(state: TenantState, drive: SimDrive): Json {
  const owner = state.users.get(drive.userId);
  return {
    id: drive.id,
    driveType: 'business',
    name: 'OneDrive',
    webUrl: drive.webUrl,
    owner: { user: { id: drive.userId, displayName: owner?.displayName ?? '', email: owner?.mail ?? '' } },
  };
}

function invalidRequest(message: string): GraphHttpError {
  return new GraphHttpError(400, 'invalidRequest', message);
}

/** The invite body as documented: recipients by email, roles read or write, sign-in and invitation flags. */
function readInvite(body: Record<string, unknown>): { emails: string[]; roles: string[] } {
  const recipients = body.recipients;
  if (!Array.isArray(recipients) || recipients.length === 0) throw invalidRequest('Invalid request: recipients is required.');
  const emails = recipients.map((r) => (r && typeof r === 'object' ? (r as { email?: unknown }).email : undefined));
  if (emails.some((e) => typeof e !== 'string' || !e.includes('@'))) throw invalidRequest('Invalid request: each recipient needs an email.');
  const roles = body.roles;
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((r) => r !== 'read' && r !== 'write')) throw invalidRequest("Invalid request: roles must be 'read' or 'write'.");
  for (const flag of ['requireSignIn', 'sendInvitation']) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw badRequest(`Cannot convert the literal '${String(body[flag])}' to the expected type 'Edm.Boolean'.`);
  }
  return { emails: emails as string[], roles: roles as string[] };
}

const userByAddress = (state: TenantState, email: string): SimUser | undefined =>
  [...state.users.values()].find((u) => sameId(u.mail ?? '', email) || sameId(u.userPrincipalName, email));

/** Sharing again with someone who already has access widens their roles instead of adding a second grant. */
function share(state: TenantState, drive: SimDrive, email: string, roles: string[], requireSignIn: boolean): SimDrivePermission {
  const existing = drive.rootPermissions.find((p) => !p.link && p.grantedToV2 && sameId(p.grantedToV2.user.email, email));
  if (existing) {
    existing.roles = [...new Set([...existing.roles, ...roles])];
    return existing;
  }
  const user = userByAddress(state, email);
  const permission: SimDrivePermission = {
    id: randomUUID(),
    roles,
    grantedToV2: { user: user ? { id: user.id, displayName: user.displayName, email: user.mail ?? user.userPrincipalName } : { displayName: email, email } },
    // Someone outside the tenant gets an invitation to redeem; tenant users have access at once.
    ...(user ? {} : { invitation: { email, signInRequired: requireSignIn } }),
  };
  drive.rootPermissions.push(permission);
  return permission;
}

export const driveRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/drive',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const drive = state.drives.find((d) => d.userId === user.id);
      // A OneDrive exists only once its owner first opened it (or an admin pre-provisioned it).
      if (!drive) throw new GraphHttpError(404, 'ResourceNotFound', "User's mysite not found.");
      return ok({ '@odata.context': contextUrl(req, 'drives/$entity'), ...representDrive(state, drive) });
    },
  },
  {
    method: 'POST',
    pattern: 'drives/:id/items/root/invite',
    handle: (req, params, state) => {
      const drive = findDrive(state, params.id);
      const body = jsonBody(req);
      const { emails, roles } = readInvite(body);
      const granted = emails.map((email) => share(state, drive, email, roles, body.requireSignIn !== false));
      return ok({ '@odata.context': contextUrl(req, 'Collection(microsoft.graph.permission)'), value: granted });
    },
  },
  ...driveItemRoutes,
  ...driveDeltaRoutes,
];
