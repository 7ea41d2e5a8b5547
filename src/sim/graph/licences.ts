/** Licences: the tenant's SKUs, a user's licence details, and assignLicense with Graph's refusals. */
import type { TenantState } from '../state';
import { refreshLicences } from '../workplace';
import { findUser, representUser } from './directory-objects';
import { badRequest } from './errors';
import { sameId } from './plain-list';
import { contextUrl, jsonBody, ok } from './request';
import type { Route } from './router';

function skuName(state: TenantState, skuId: string): string {
  return state.skus.find((s) => sameId(s.skuId, skuId))?.skuPartNumber ?? skuId;
}

function skuIds(value: unknown, field: string, read: (item: unknown) => unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`Invalid value specified for property '${field}'.`, 'Request_BadRequest');
  return value.map((item) => {
    const id = read(item);
    if (typeof id !== 'string') throw badRequest(`Invalid value specified for property '${field}'.`, 'Request_BadRequest');
    return id.toLowerCase();
  });
}

export const licenceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'subscribedSkus',
    handle: (req, _params, state) =>
      ok({
        '@odata.context': contextUrl(req, 'subscribedSkus'),
        value: state.skus.map((s) => ({
          skuId: s.skuId,
          skuPartNumber: s.skuPartNumber,
          capabilityStatus: 'Enabled',
          consumedUnits: [...state.users.values()].filter((u) => u.assignedLicenses.some((l) => sameId(l.skuId, s.skuId))).length,
          prepaidUnits: { enabled: s.prepaidUnits, suspended: 0, warning: 0 },
        })),
      }),
  },
  {
    method: 'GET',
    pattern: 'users/:id/licenseDetails',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      return ok({
        '@odata.context': contextUrl(req, `users('${user.id}')/licenseDetails`),
        value: user.assignedLicenses.map((l) => ({
          id: `${l.skuId}-${user.id}`,
          skuId: l.skuId,
          skuPartNumber: skuName(state, l.skuId),
          servicePlans: (state.skus.find((s) => sameId(s.skuId, l.skuId))?.servicePlans ?? []).map((p) => ({
            ...p,
            provisioningStatus: l.disabledPlans.some((d) => sameId(d, p.servicePlanId)) ? 'Disabled' : 'Success',
          })),
        })),
      });
    },
  },
  {
    method: 'POST',
    pattern: 'users/:id/assignLicense',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const body = jsonBody(req);
      if (!('addLicenses' in body) || !('removeLicenses' in body)) {
        throw badRequest("Both 'addLicenses' and 'removeLicenses' must be provided.", 'Request_BadRequest');
      }
      const add = skuIds(body.addLicenses, 'addLicenses', (l) => (l as { skuId?: unknown } | null)?.skuId);
      const remove = skuIds(body.removeLicenses, 'removeLicenses', (id) => id);
      // Validate everything first: a refused call changes nothing.
      for (const skuId of [...add, ...remove]) {
        if (!state.skus.some((s) => sameId(s.skuId, skuId))) {
          throw badRequest(`License ${skuId} does not correspond to a valid company License.`, 'Request_BadRequest');
        }
      }
      if (add.length > 0 && !user.usageLocation) {
        throw badRequest('License assignment cannot be done for user with invalid usage location.', 'Request_BadRequest');
      }
      for (const skuId of remove) {
        const direct = user.directLicenses.some((d) => sameId(d, skuId));
        const inherited = user.licenseAssignmentStates.some((s) => sameId(s.skuId, skuId) && s.assignedByGroup !== null);
        if (!direct && inherited) {
          throw badRequest('User license is inherited from a group membership and it cannot be removed directly from the user.', 'Request_BadRequest');
        }
        if (!direct) throw badRequest(`User does not have a corresponding license ${skuId}.`, 'Request_BadRequest');
      }
      user.directLicenses = [...user.directLicenses.filter((d) => !remove.some((r) => sameId(r, d))), ...add.filter((a) => !user.directLicenses.some((d) => sameId(d, a)))];
      refreshLicences(state);
      return ok({ '@odata.context': contextUrl(req, 'users/$entity'), ...representUser(user) });
    },
  },
];
