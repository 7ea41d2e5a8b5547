/** Changing people: PATCH (block sign-in, reset password, profile), revoke sessions, set manager. */
import type { SimUser, TenantState } from '../state';
import { appHoldsAnyRole, MAY_CHANGE_SENSITIVE_ATTRIBUTES } from '../app-roles';
import { findUser } from './directory-objects';
import { badRequest, insufficientPrivileges } from './errors';
import { outranksTheApp } from './privileged-users';
import { contextUrl, jsonBody, noContent, ok } from './request';
import type { Route } from './router';

type Kind = 'string' | 'nullableString' | 'boolean' | 'stringArray';

const WRITABLE: Record<string, Kind> = {
  accountEnabled: 'boolean',
  displayName: 'string',
  userPrincipalName: 'string',
  mailNickname: 'string',
  givenName: 'nullableString',
  surname: 'nullableString',
  mail: 'nullableString',
  jobTitle: 'nullableString',
  department: 'nullableString',
  officeLocation: 'nullableString',
  mobilePhone: 'nullableString',
  preferredLanguage: 'nullableString',
  usageLocation: 'nullableString',
  employeeId: 'nullableString',
  businessPhones: 'stringArray',
};

const READ_ONLY = ['id', 'createdDateTime', 'signInSessionsValidFromDateTime', 'lastPasswordChangeDateTime', 'userType', 'onPremisesSyncEnabled'];

/**
 * Graph's sensitive properties the simulated tenant can write: changing them needs a role above the
 * target's (privileged-users.ts), otherwise 403 Authorization_RequestDenied.
 */
const SENSITIVE = ['accountEnabled', 'passwordProfile', 'userPrincipalName', 'businessPhones', 'mobilePhone'];
const NEEDS_A_ROLE = ['accountEnabled', 'passwordProfile'];

/** Graph timestamps carry seconds, not milliseconds. */
function graphTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalidValue(property: string) {
  return badRequest(`Invalid value specified for property '${property}' of resource 'User'.`, 'Request_BadRequest');
}

function fits(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string' && value.trim() !== '';
    case 'nullableString':
      return value === null || typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'stringArray':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/** Entra's rule: 8-256 characters from at least three of lower, upper, digit and symbol. */
function isComplexEnough(password: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((c) => c.test(password)).length;
  return password.length >= 8 && password.length <= 256 && classes >= 3;
}

function applyPasswordProfile(user: SimUser, raw: unknown): () => void {
  if (typeof raw !== 'object' || raw === null) throw invalidValue('passwordProfile');
  const profile = raw as Record<string, unknown>;
  for (const [key, value] of Object.entries(profile)) {
    const known = ['password', 'forceChangePasswordNextSignIn', 'forceChangePasswordNextSignInWithMfa'];
    if (!known.includes(key)) throw invalidValue('passwordProfile');
    if (key === 'password' ? typeof value !== 'string' : typeof value !== 'boolean') throw invalidValue('passwordProfile');
  }
  const password = profile.password as string | undefined;
  if (password !== undefined && !isComplexEnough(password)) {
    throw badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
      'Request_BadRequest',
    );
  }
  return () => {
    const flags = user.passwordProfile;
    if (typeof profile.forceChangePasswordNextSignIn === 'boolean') {
      flags.forceChangePasswordNextSignIn = profile.forceChangePasswordNextSignIn;
    }
    if (typeof profile.forceChangePasswordNextSignInWithMfa === 'boolean') {
      flags.forceChangePasswordNextSignInWithMfa = profile.forceChangePasswordNextSignInWithMfa;
    }
    if (password !== undefined) user.lastPasswordChangeDateTime = graphTimestamp();
  };
}

/** Validates the whole body first so a rejected PATCH changes nothing, as in Graph. */
const patchUser: Route['handle'] = (req, params, state) => {
  const user = findUser(state, params.id);
  const body = jsonBody(req);
  const changes: Array<() => void> = [];
  // Decided from the roles and role-assignable groups the user has now, not from who they were.
  const privileged = outranksTheApp(state, user.id);
  // An app blocks sign-in or sets a password only through a directory role it holds: the
  // application permission alone is not enough (docs/m365-api.md).
  const holdsRole = appHoldsAnyRole(state, req.caller.appId, MAY_CHANGE_SENSITIVE_ATTRIBUTES);
  for (const [property, value] of Object.entries(body)) {
    if (property.startsWith('@odata.')) continue;
    if (privileged && SENSITIVE.includes(property)) throw insufficientPrivileges();
    if (!holdsRole && NEEDS_A_ROLE.includes(property)) throw insufficientPrivileges();
    if (property === 'passwordProfile') {
      changes.push(applyPasswordProfile(user, value));
    } else if (property in WRITABLE) {
      if (!fits(WRITABLE[property], value)) throw invalidValue(property);
      changes.push(() => Object.assign(user, { [property]: value }));
    } else if (READ_ONLY.includes(property)) {
      throw badRequest(`Property '${property}' is read-only and cannot be set.`, 'Request_BadRequest');
    } else {
      throw badRequest(
        `The property '${property}' does not exist on type 'microsoft.graph.user'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
  }
  changes.forEach((apply) => apply());
  return noContent();
};

/** PUT /users/{id}/manager/$ref with {"@odata.id": ".../users/{managerId}"}. */
function setManager(state: TenantState, user: SimUser, reference: unknown): void {
  const id = typeof reference === 'string' ? /\/(?:users|directoryObjects)\/([^/?]+)$/i.exec(reference)?.[1] : undefined;
  if (!id) throw badRequest("Invalid object identifier '" + String(reference) + "'.", 'Request_BadRequest');
  const manager = findUser(state, decodeURIComponent(id));
  if (manager.id === user.id) throw badRequest('A user cannot be their own manager.', 'Request_BadRequest');
  user.managerId = manager.id;
}

export const userUpdateRoutes: Route[] = [
  { method: 'PATCH', pattern: 'users/:id', handle: patchUser },
  {
    method: 'POST',
    pattern: 'users/:id/revokeSignInSessions',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      user.signInSessionsValidFromDateTime = graphTimestamp();
      user.revokeCount += 1;
      return ok({ '@odata.context': contextUrl(req, 'Edm.Boolean'), value: true });
    },
  },
  {
    method: 'PUT',
    pattern: 'users/:id/manager/$ref',
    handle: (req, params, state) => {
      setManager(state, findUser(state, params.id), jsonBody(req)['@odata.id']);
      return noContent();
    },
  },
];
