import { describeError } from './describe-error';
import { isNotFound, mailboxIdentity, noMailbox, readMailbox } from './exchange-mailbox';
import { eachObject } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

export interface MobileDevice {
  Guid: string;
  FriendlyName: string;
  DeviceModel: string;
  DeviceOS: string;
  ClientType: string;
  DeviceAccessState: string;
}

export const readMobileDevices = async (ctx: ActionContext) =>
  (await ctx.exchange.invoke<MobileDevice>('Get-MobileDevice', { Mailbox: mailboxIdentity(ctx) })).value;

const label = (d: MobileDevice) => `${d.FriendlyName || d.DeviceModel} (${d.DeviceOS}, ${d.ClientType})`;

/**
 * Removes the phones' mail sync partnerships (Exchange ActiveSync, Outlook mobile), so a phone
 * that still holds a token stops syncing the mailbox. This does not wipe the phone: Intune
 * retire/wipe is a separate decision. Exchange: Remove-MobileDevice.
 */
export const removeMobileDevices: OffboardingAction<MobileDevice> = {
  name: 'removeMobileDevices',
  async plan(ctx) {
    if (!(await readMailbox(ctx))) return noMailbox();
    const devices = await readMobileDevices(ctx);
    return { changes: devices, found: devices.length === 0 ? 'no mobile device syncs the mailbox.' : devices.map(label).join(', ') };
  },
  async apply(ctx, plan) {
    const failures = await eachObject(
      plan.changes,
      async (d) => {
        try {
          await ctx.exchange.invoke('Remove-MobileDevice', { Identity: d.Guid, Confirm: false });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      },
      (d, err) => `Could not remove ${label(d)}: ${describeError(err)}`,
    );
    return { detail: `Removed ${plan.changes.length - failures.length} mobile device partnership(s): ${plan.changes.map(label).join(', ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readMobileDevices(ctx)).filter((d) => plan.changes.some((p) => p.Guid === d.Guid));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still syncing: ${left.map(label).join(', ')}.` };
  },
};
