/** Intune managed devices of a user, and the two remote actions offboarding queues: retire and wipe. */
import type { TenantState } from '../state';
import type { SimManagedDevice } from '../workplace';
import { findUser } from './directory-objects';
import { badRequest, GraphHttpError } from './errors';
import { plainList, sameId } from './plain-list';
import { contextUrl, jsonBody, noContent, ok, type GraphRequest } from './request';
import type { Route } from './router';

function represent(state: TenantState, device: SimManagedDevice) {
  const user = state.users.get(device.userId);
  return { ...device, deviceActionResults: device.deviceActionResults ?? [], userPrincipalName: user?.userPrincipalName ?? '', emailAddress: user?.mail ?? '' };
}

/** Intune answers an unknown device id with its own 404 shape. */
function findDevice(state: TenantState, id: string): SimManagedDevice {
  const device = state.managedDevices.find((d) => sameId(d.id, id));
  if (!device) throw new GraphHttpError(404, 'ResourceNotFound', `{"Message": "Resource not found: managedDevices('${id}')"}`);
  return device;
}

/** The wipe action's documented parameters; anything else is refused as Graph does. */
const WIPE_PARAMETERS: Record<string, 'boolean' | 'string'> = {
  keepEnrollmentData: 'boolean',
  keepUserData: 'boolean',
  macOsUnlockCode: 'string',
  persistEsimDataPlan: 'boolean',
};

function checkWipeBody(req: GraphRequest): void {
  if (req.rawBody.trim() === '') return;
  for (const [name, value] of Object.entries(jsonBody(req))) {
    const kind = WIPE_PARAMETERS[name];
    if (!kind) throw badRequest(`The parameter '${name}' in the request payload is not a valid parameter for the operation 'wipe'.`);
    if (typeof value !== kind) throw badRequest(`Cannot convert the literal '${String(value)}' to the expected type 'Edm.${kind === 'boolean' ? 'Boolean' : 'String'}'.`);
  }
}

/** Queues the action: Graph answers 204 at once; the device carries it out when it next checks in. */
function queue(device: SimManagedDevice, actionName: 'retire' | 'wipe'): void {
  const now = new Date().toISOString();
  const others = (device.deviceActionResults ?? []).filter((r) => r.actionName !== actionName);
  device.deviceActionResults = [...others, { actionName, actionState: 'pending', startDateTime: now, lastUpdatedDateTime: now }];
}

export const deviceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/managedDevices',
    handle: (req, params, state) => {
      const user = findUser(state, params.id);
      const devices = state.managedDevices.filter((d) => d.userId === user.id).map((d) => represent(state, d));
      return plainList(req, `users('${user.id}')/managedDevices`, 'microsoft.graph.managedDevice', devices);
    },
  },
  {
    method: 'GET',
    pattern: 'deviceManagement/managedDevices/:id',
    handle: (req, params, state) => ok({ '@odata.context': contextUrl(req, 'deviceManagement/managedDevices/$entity'), ...represent(state, findDevice(state, params.id)) }),
  },
  {
    method: 'POST',
    pattern: 'deviceManagement/managedDevices/:id/retire',
    handle: (_req, params, state) => {
      queue(findDevice(state, params.id), 'retire');
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: 'deviceManagement/managedDevices/:id/wipe',
    handle: (req, params, state) => {
      const device = findDevice(state, params.id);
      checkWipeBody(req);
      queue(device, 'wipe');
      return noContent();
    },
  },
];
