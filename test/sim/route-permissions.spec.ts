import assert from 'node:assert/strict';
import { ROUTES } from '../../src/sim/graph-calls';
import type { GraphRequest } from '../../src/sim/graph/request';
import { ROUTE_PERMISSIONS, type Needs, type RoutePermission } from '../../src/sim/graph/route-permissions';

/** A request as the router hands it to a route: segments after /v1.0, body as sent; its caller's roles play no part here. */
function request(method: string, path: string, body?: unknown): GraphRequest {
  const url = new URL(`http://x/v1.0/${path}`);
  return {
    method,
    url,
    segments: url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent),
    headers: {},
    rawBody: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    serviceRoot: 'http://x/v1.0',
    caller: { appId: '00000000-0000-0000-0000-000000000001', roles: new Set<string>() },
  };
}

function needsOf(key: string, req: GraphRequest): Needs {
  const entry: RoutePermission | undefined = ROUTE_PERMISSIONS[key];
  assert.ok(entry, `no entry for ${key}`);
  return typeof entry.needs === 'function' ? entry.needs(req) : entry.needs;
}

/** Whether a token carrying these roles meets every need. */
function allowed(needs: Needs, roles: readonly string[]): boolean {
  return needs.every((anyOf) => anyOf.some((permission) => roles.includes(permission)));
}

const patchUser = (body: unknown) => needsOf('PATCH users/:id', request('PATCH', 'users/a', body));

describe('sim tenant: application permissions per route', () => {
  const routeKeys = ROUTES.map((r) => `${r.method} ${r.pattern}`);

  it('has an entry for every route, and none for a route that does not exist', () => {
    assert.deepEqual(
      routeKeys.filter((k) => !(k in ROUTE_PERMISSIONS)),
      [],
      'routes without permissions',
    );
    assert.deepEqual(
      Object.keys(ROUTE_PERMISSIONS).filter((k) => !routeKeys.includes(k)),
      [],
      'permissions for routes that do not exist',
    );
  });

  it('names at least one well-formed permission in every need, static or computed from a request', () => {
    for (const route of ROUTES) {
      const key = `${route.method} ${route.pattern}`;
      const path = route.pattern.replace(/:[A-Za-z]+/g, 'x');
      const needs = needsOf(key, request(route.method, path, {}));
      assert.ok(needs.length > 0, `${key} needs nothing`);
      for (const anyOf of needs) {
        assert.ok(anyOf.length > 0, `${key} has an empty need`);
        for (const permission of anyOf) assert.match(permission, /^[A-Za-z]+(-[A-Za-z]+)?(\.[A-Za-z]+)+$/, `${key}: ${permission}`);
        assert.equal(new Set(anyOf).size, anyOf.length, `${key} repeats a permission`);
      }
    }
  });

  describe('PATCH users/:id depends on the properties set', () => {
    it('blocking sign-in needs User.EnableDisableAccount.All and reading the user', () => {
      const needs = patchUser({ accountEnabled: false });
      assert.deepEqual(needs[0][0], 'User.EnableDisableAccount.All');
      assert.equal(needs.length, 2);
      assert.equal(allowed(needs, ['User.EnableDisableAccount.All']), false);
      assert.equal(allowed(needs, ['User.EnableDisableAccount.All', 'User.Read.All']), true);
      assert.equal(allowed(needs, ['User.ReadWrite.All']), true);
      assert.equal(allowed(needs, ['User.Read.All']), false);
    });

    it('resetting a password needs User-PasswordProfile.ReadWrite.All, which User.ReadWrite.All does not replace', () => {
      const needs = patchUser({ passwordProfile: { password: 'xWwvJ]6NMw+bWH-d', forceChangePasswordNextSignIn: true } });
      assert.equal(needs.length, 1);
      assert.equal(needs[0][0], 'User-PasswordProfile.ReadWrite.All');
      assert.equal(allowed(needs, ['User-PasswordProfile.ReadWrite.All']), true);
      assert.equal(allowed(needs, ['User.ReadWrite.All']), false);
      assert.equal(allowed(needs, ['User.EnableDisableAccount.All', 'User.Read.All']), false);
    });

    it('any other profile property needs a general user update permission', () => {
      const needs = patchUser({ department: 'x' });
      assert.deepEqual(needs, [['User.ReadUpdate.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']]);
      assert.equal(allowed(needs, ['User-PasswordProfile.ReadWrite.All']), false);
      assert.equal(allowed(needs, ['User.EnableDisableAccount.All', 'User.Read.All']), false);
    });

    it('phones have their own narrower permission', () => {
      const needs = patchUser({ mobilePhone: '+1 425 555 0109' });
      assert.equal(needs[0][0], 'User-Phone.ReadWrite.All');
      assert.equal(allowed(needs, ['User.ReadWrite.All']), true);
    });

    it('several properties need all of their permissions, each once', () => {
      const needs = patchUser({ accountEnabled: false, passwordProfile: { password: 'x' }, department: 'x', jobTitle: 'y' });
      assert.equal(needs.length, 4);
      assert.equal(allowed(needs, ['User.EnableDisableAccount.All', 'User.Read.All', 'User-PasswordProfile.ReadWrite.All']), false);
      assert.equal(allowed(needs, ['User.EnableDisableAccount.All', 'User.Read.All', 'User-PasswordProfile.ReadWrite.All', 'User.ReadUpdate.All']), true);
    });

    it('ignores @odata annotations and falls back to the general update need for an unreadable body', () => {
      assert.deepEqual(patchUser({ '@odata.type': '#microsoft.graph.user', accountEnabled: true }), patchUser({ accountEnabled: true }));
      assert.deepEqual(patchUser('not json'), [['User.ReadUpdate.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']]);
      assert.deepEqual(patchUser({}), patchUser('not json'));
    });
  });

  it('sign-in logs need both AuditLog.Read.All and Directory.Read.All', () => {
    const needs = needsOf('GET auditLogs/signIns', request('GET', 'auditLogs/signIns'));
    assert.equal(allowed(needs, ['AuditLog.Read.All']), false);
    assert.equal(allowed(needs, ['AuditLog.Read.All', 'Directory.Read.All']), true);
  });

  it('removing a group member by $ref needs the membership permission, dropping $ref deletes the user too', () => {
    const byRef = needsOf('DELETE groups/:id/members/:memberId/$ref', request('DELETE', 'groups/g/members/u/$ref'));
    const noRef = needsOf('DELETE groups/:id/members/:memberId', request('DELETE', 'groups/g/members/u'));
    assert.equal(allowed(byRef, ['GroupMember.ReadWrite.All']), true);
    assert.equal(allowed(noRef, ['GroupMember.ReadWrite.All']), false);
    assert.equal(allowed(noRef, ['GroupMember.ReadWrite.All', 'User.ReadWrite.All']), true);
  });

  it('adding a device as a group member also needs Device.ReadWrite.All', () => {
    const add = (ref: string) => needsOf('POST groups/:id/members/$ref', request('POST', 'groups/g/members/$ref', { '@odata.id': ref }));
    assert.equal(allowed(add('https://graph.microsoft.com/v1.0/directoryObjects/u'), ['GroupMember.ReadWrite.All']), true);
    assert.equal(allowed(add('https://graph.microsoft.com/v1.0/devices/d'), ['GroupMember.ReadWrite.All']), false);
    assert.equal(allowed(add('https://graph.microsoft.com/v1.0/devices/d'), ['GroupMember.ReadWrite.All', 'Device.ReadWrite.All']), true);
  });

  it('deleting an authentication method accepts the broad permission or the one for that kind of method', () => {
    const del = (kind: string) =>
      needsOf('DELETE users/:id/authentication/:kind/:methodId', request('DELETE', `users/a/authentication/${kind}/m`));
    assert.equal(allowed(del('fido2Methods'), ['UserAuthMethod-Passkey.ReadWrite.All']), true);
    assert.equal(allowed(del('phoneMethods'), ['UserAuthMethod-Passkey.ReadWrite.All']), false);
    assert.equal(allowed(del('phoneMethods'), ['UserAuthMethod-Phone.ReadWrite.All']), true);
    const kinds = ['phoneMethods', 'microsoftAuthenticatorMethods', 'fido2Methods', 'softwareOathMethods', 'emailMethods'];
    for (const kind of [...kinds, 'windowsHelloForBusinessMethods', 'temporaryAccessPassMethods', 'passwordMethods']) {
      assert.equal(allowed(del(kind), ['UserAuthenticationMethod.ReadWrite.All']), true, kind);
      assert.equal(allowed(del(kind), ['UserAuthenticationMethod.Read.All']), false, kind);
    }
  });

  it('PIM for Groups accepts the remove-only permission for adminRemove requests only', () => {
    const post = (action: string) =>
      needsOf(
        'POST identityGovernance/privilegedAccess/group/eligibilityScheduleRequests',
        request('POST', 'identityGovernance/privilegedAccess/group/eligibilityScheduleRequests', { action, accessId: 'member', principalId: 'p', groupId: 'g' }),
      );
    assert.equal(allowed(post('adminRemove'), ['PrivilegedEligibilitySchedule.Remove.AzureADGroup']), true);
    assert.equal(allowed(post('AdminRemove'), ['PrivilegedEligibilitySchedule.Remove.AzureADGroup']), true);
    assert.equal(allowed(post('adminAssign'), ['PrivilegedEligibilitySchedule.Remove.AzureADGroup']), false);
    assert.equal(allowed(post('adminAssign'), ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup']), true);
  });

  it('retiring or wiping a device needs the privileged-operations permission, reading does not', () => {
    const retire = needsOf('POST deviceManagement/managedDevices/:id/retire', request('POST', 'deviceManagement/managedDevices/d/retire'));
    const wipe = needsOf('POST deviceManagement/managedDevices/:id/wipe', request('POST', 'deviceManagement/managedDevices/d/wipe', { keepUserData: false }));
    for (const needs of [retire, wipe]) {
      assert.equal(allowed(needs, ['DeviceManagementManagedDevices.ReadWrite.All']), false);
      assert.equal(allowed(needs, ['DeviceManagementManagedDevices.PrivilegedOperations.All']), true);
    }
  });
});
