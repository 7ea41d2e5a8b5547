/** Authentication methods: list all, delete one by kind, with Entra's rule about the default method. */
import type { SimAuthMethod } from '../workplace';
import { findUser } from './directory-objects';
import { badRequest, GraphHttpError, resourceNotFound } from './errors';
import { plainList, sameId } from './plain-list';
import { noContent } from './request';
import type { Route } from './router';

/** Path segment under /authentication → the entity type it holds. */
const KINDS: Record<string, string> = {
  phoneMethods: 'phoneAuthenticationMethod',
  microsoftAuthenticatorMethods: 'microsoftAuthenticatorAuthenticationMethod',
  fido2Methods: 'fido2AuthenticationMethod',
  softwareOathMethods: 'softwareOathAuthenticationMethod',
  emailMethods: 'emailAuthenticationMethod',
  windowsHelloForBusinessMethods: 'windowsHelloForBusinessAuthenticationMethod',
  temporaryAccessPassMethods: 'temporaryAccessPassAuthenticationMethod',
  passwordMethods: 'passwordAuthenticationMethod',
};

const represent = (m: SimAuthMethod) => ({ '@odata.type': `#microsoft.graph.${m.type}`, id: m.id, ...m.properties });

export const authMethodRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/authentication/methods',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      if ([...req.url.searchParams.keys()].some((k) => k.startsWith('$'))) {
        throw badRequest('Query parameters are not supported on authentication methods.', 'badRequest');
      }
      return plainList(req, `users('${user.id}')/authentication/methods`, 'microsoft.graph.authenticationMethod', state.authMethods.filter((m) => m.userId === user.id).map(represent));
    },
  },
  {
    method: 'DELETE',
    pattern: 'users/:id/authentication/:kind/:methodId',
    handle: (_req, params, state) => {
      const user = findUser(state, params.id);
      const type = KINDS[params.kind];
      if (!type) throw badRequest(`Resource not found for the segment '${params.kind}'.`);
      if (type === 'passwordAuthenticationMethod') {
        throw new GraphHttpError(405, 'methodNotAllowed', 'The password method cannot be deleted; reset the password instead.');
      }
      const own = state.authMethods.filter((m) => m.userId === user.id);
      const method = own.find((m) => sameId(m.id, params.methodId) && m.type === type);
      if (!method) throw resourceNotFound(params.methodId);
      const others = own.filter((m) => m !== method && m.type !== 'passwordAuthenticationMethod');
      if (method.isDefault && others.length > 0) {
        throw badRequest('The default sign-in method cannot be deleted while the user has other methods registered. Delete the other methods first or change the default.', 'badRequest');
      }
      state.authMethods = state.authMethods.filter((m) => m !== method);
      return noContent();
    },
  },
];
