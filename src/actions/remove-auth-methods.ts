import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteIfPresent } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface AuthMethod {
  '@odata.type': string;
  id: string;
  displayName?: string | null;
  phoneNumber?: string | null;
  emailAddress?: string | null;
}

/** Entity type → the collection under /authentication that deletes it. The password is reset, never deleted. */
const COLLECTIONS: Record<string, string> = {
  '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticatorMethods',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2Methods',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOathMethods',
  '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusinessMethods',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPassMethods',
};

const readMethods = async ({ graph, target }: ActionContext) =>
  (await graph.get<{ value: AuthMethod[] }>(`/users/${guidSegment(target.id)}/authentication/methods`)).body.value.filter((m) => m['@odata.type'] in COLLECTIONS);

function describe(m: AuthMethod): string {
  const kind = m['@odata.type'].replace('#microsoft.graph.', '').replace('AuthenticationMethod', '');
  const label = m.displayName ?? m.phoneNumber ?? m.emailAddress;
  return label ? `${kind} (${label})` : kind;
}

/**
 * Removes every sign-in method but the password, so nobody can pass MFA or sign in password-less
 * as the user. Graph v1.0 does not say which method is the default, and refuses (400) to delete the
 * default while others exist: methods refused that way are retried once the others are gone.
 * Permission UserAuthenticationMethod.ReadWrite.All.
 */
export const removeAuthMethods: OffboardingAction<AuthMethod> = {
  name: 'removeAuthMethods',
  async plan(ctx) {
    const methods = await readMethods(ctx);
    return { changes: methods, found: methods.length === 0 ? 'no sign-in methods besides the password.' : methods.map(describe).join(', ') };
  },
  async apply({ graph, target }, plan) {
    const pathOf = (m: AuthMethod) => `/users/${guidSegment(target.id)}/authentication/${COLLECTIONS[m['@odata.type']]}/${encodeURIComponent(m.id)}`;
    const failures: string[] = [];
    const deferred: AuthMethod[] = [];
    for (const method of plan.changes) {
      try {
        await deleteIfPresent(graph, pathOf(method));
      } catch (err) {
        if (err instanceof M365Error && err.status === 400) deferred.push(method);
        else failures.push(`Could not remove ${describe(method)}: ${describeError(err)}`);
      }
    }
    // The default method goes last, when it is the only one left.
    for (const method of deferred) {
      try {
        await deleteIfPresent(graph, pathOf(method));
      } catch (err) {
        failures.push(`Could not remove ${describe(method)}: ${describeError(err)}`);
      }
    }
    return { detail: `Removed ${plan.changes.length - failures.length} of ${plan.changes.length} sign-in method(s): ${plan.changes.map(describe).join(', ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readMethods(ctx)).filter((m) => plan.changes.some((p) => p.id === m.id));
    return left.length === 0 ? { ok: true, detail: '(verified: only the password is left)' } : { ok: false, detail: `Still registered: ${left.map(describe).join(', ')}.` };
  },
};
