import type { DepartureRequest, DeviceDecision } from '../cases/case';
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { eachObjectInBatch, readAll } from './graph-pages';
import type { BatchCall } from '../m365/graph-batch';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface DeviceActionResult {
  actionName: string;
  actionState: string;
}

interface ManagedDevice {
  id: string;
  deviceName: string;
  operatingSystem: string;
  managedDeviceOwnerType: string;
  deviceActionResults?: DeviceActionResult[] | null;
}

type DeviceAction = 'retire' | 'wipe';

/** One device to act on; `displayName` is what the plan preview lists. */
interface DeviceChange {
  id: string;
  deviceName: string;
  action: DeviceAction;
  displayName: string;
}

/** For cases requested before the card asked: retire, which removes company data and nothing else. */
export const deviceDecision = (request: DepartureRequest): DeviceDecision => request.devices ?? 'retire';

const label = (d: ManagedDevice) => `${d.deviceName} (${d.operatingSystem}, ${d.managedDeviceOwnerType})`;

const readDevices = ({ graph, target }: ActionContext) =>
  readAll<ManagedDevice>(graph, `/users/${guidSegment(target.id)}/managedDevices?$select=id,deviceName,operatingSystem,managedDeviceOwnerType,deviceActionResults`);

/** A wipe is asked for company-owned devices only: wiping a personal phone would erase the person's own data. */
const actionFor = (decision: DeviceAction, d: ManagedDevice): DeviceAction => (decision === 'wipe' && d.managedDeviceOwnerType === 'company' ? 'wipe' : 'retire');

/**
 * The action already queued or carried out on the device (by this case, a resumed run, or an
 * admin), if it covers what is wanted: a wipe covers a retire. A failed or cancelled one does not.
 */
function alreadyQueued(d: ManagedDevice, action: DeviceAction): DeviceActionResult | undefined {
  const covering = action === 'retire' ? ['retire', 'wipe'] : ['wipe'];
  return (d.deviceActionResults ?? []).find(
    (r) => covering.includes(r.actionName.toLowerCase()) && ['pending', 'active', 'done'].includes(r.actionState),
  );
}

/**
 * Intune answers 204 and queues the action; it runs when the device next checks in. Intune
 * removes a retired device's record once the retire completes, so a 404 means nothing is left
 * to do (eachObjectInBatch counts it as done).
 */
function queueCall(change: DeviceChange): BatchCall {
  const path = `/deviceManagement/managedDevices/${encodeURIComponent(change.id)}/${change.action}`;
  return change.action === 'wipe' ? { method: 'POST', path, body: { keepEnrollmentData: false, keepUserData: false } } : { method: 'POST', path };
}

/**
 * Retires or wipes the user's Intune-managed devices, as chosen on the request (retire by
 * default). Retire removes company data, apps and management; wipe resets a company-owned device
 * to factory settings. Each is queued and carried out when the device next checks in, so the step
 * verifies the queued action, not its completion. Devices with a retire or wipe already queued are
 * left alone. Permission DeviceManagementManagedDevices.PrivilegedOperations.All.
 */
export const retireOrWipeDevices: OffboardingAction<DeviceChange> = {
  name: 'retireOrWipeDevices',
  async plan(ctx) {
    const decision = deviceDecision(ctx.request);
    const devices = await readDevices(ctx);
    if (devices.length === 0) return { changes: [], found: 'no Intune-managed devices.' };
    if (decision === 'leave') {
      const reason = `The request leaves the Intune-managed devices as they are: ${devices.map(label).join(', ')}.`;
      return { changes: [], found: reason, stop: { status: 'skipped', reason } };
    }
    const changes: DeviceChange[] = [];
    const queued: string[] = [];
    for (const d of devices) {
      const action = actionFor(decision, d);
      const existing = alreadyQueued(d, action);
      if (existing) queued.push(`${label(d)}: ${existing.actionName} ${existing.actionState}`);
      else changes.push({ id: d.id, deviceName: d.deviceName, action, displayName: `${d.deviceName}: ${action}` });
    }
    const personal = decision === 'wipe' ? devices.filter((d) => actionFor('wipe', d) === 'retire').map((d) => `${d.deviceName} is not company-owned: retired, not wiped.`) : [];
    const found = [...changes.map((c) => c.displayName), ...queued].join(', ');
    return { changes, notes: personal, found: changes.length === 0 ? `every device already has its action queued (${found}).` : found };
  },
  async apply(ctx, plan) {
    const refused = new Set<string>();
    // One device's action does not depend on another's: they go together through $batch.
    const failures = await eachObjectInBatch(
      ctx.graph,
      plan.changes,
      queueCall,
      (c, err) => {
        refused.add(c.id);
        return `Could not ${c.action} ${c.deviceName}: ${describeError(err)}`;
      },
    );
    const queuedOn = plan.changes.filter((c) => !refused.has(c.id)).map((c) => `${c.action} on ${c.deviceName}`);
    return { detail: `Queued ${queuedOn.join(', ') || 'nothing'}; each runs when the device next checks in.`, failures };
  },
  async verify(ctx, plan) {
    const missing: string[] = [];
    for (const c of plan.changes) {
      try {
        const device = (await ctx.graph.get<ManagedDevice>(`/deviceManagement/managedDevices/${encodeURIComponent(c.id)}?$select=id,deviceActionResults`)).body;
        if (!alreadyQueued(device, c.action)) missing.push(c.displayName);
      } catch (err) {
        // Gone from Intune: the retire or wipe has already completed.
        if (!(err instanceof M365Error && err.status === 404)) throw err;
      }
    }
    return missing.length === 0 ? { ok: true, detail: '(verified: pending on each device)' } : { ok: false, detail: `Intune shows no queued action for: ${missing.join(', ')}.` };
  },
};
