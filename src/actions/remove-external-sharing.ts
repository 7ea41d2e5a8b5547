import type { DepartureRequest, ExternalSharingDecision } from '../cases/case';
import { externalSharingDefault } from '../cases/departure-form';
import { describeError } from './describe-error';
import { deleteIfPresent, eachObject } from './graph-pages';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';
import { MAX_READS, scanSharing, type ExternalShare } from './onedrive-sharing';

/** What the request chose; cases requested before the card asked follow the departure type. */
export function externalSharingChoice(request: DepartureRequest): ExternalSharingDecision {
  return request.handOver?.externalSharing ?? externalSharingDefault(request.departureType);
}

const listOf = (shares: readonly ExternalShare[]) => shares.map((s) => s.displayName).join('; ');

const permissionPath = (driveId: string, s: ExternalShare) =>
  `/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(s.itemId)}/permissions/${encodeURIComponent(s.permissionId)}`;

/** A planned removal: the share, and the drive it is on. */
interface Removal extends ExternalShare {
  driveId: string;
}

async function stillShared(ctx: ActionContext, planned: readonly Removal[]): Promise<Removal[]> {
  const scan = await scanSharing(ctx.graph, ctx.target.id);
  const shares = scan.drive && !scan.tooMany ? scan.shares : [];
  return planned.filter((p) => shares.some((s) => s.itemId === p.itemId && s.permissionId === p.permissionId));
}

/**
 * Stops what the user's OneDrive shares outside the company (links anyone can open, and links or
 * access given to addresses outside the tenant's verified domains) when the request says so;
 * otherwise keeps it and lists it in the step's result, which the completion summary shows.
 * A permission is removed on the file or folder it was granted on: what the items inside a shared
 * folder inherit goes with it (Graph refuses to delete an inherited permission).
 * Runs after the new owner was given access, so that share is never mistaken for one to remove.
 * Permission Files.ReadWrite.All, and Directory.Read.All for the verified domains.
 */
export const removeExternalSharing: OffboardingAction<Removal> = {
  name: 'removeExternalSharing',
  async plan(ctx): Promise<PlannedChange<Removal>> {
    const scan = await scanSharing(ctx.graph, ctx.target.id);
    if (!scan.drive) {
      return { changes: [], found: 'no OneDrive.', stop: { status: 'skipped', reason: 'The user never opened OneDrive (it was never provisioned): nothing in it is shared.' } };
    }
    if (scan.tooMany) {
      const reason = `Reading the sharing of the OneDrive at ${scan.drive.webUrl} takes more than ${MAX_READS} Graph reads (its files and folders, 200 a read, and each item shared on its own): review its sharing by hand and stop what reaches outside the company.`;
      return { changes: [], found: reason, stop: { status: 'manual', reason } };
    }
    const { shares } = scan;
    if (shares.length === 0) return { changes: [], found: `nothing in the OneDrive is shared outside the company (${scan.itemsScanned} files and folders read).` };
    const count = `${shares.length} sharing permission(s) reach outside the company`;
    // Kept on request: the step succeeds, and its result (on the completion summary) lists them.
    if (externalSharingChoice(ctx.request) === 'report') {
      return { changes: [], found: `${count}, kept as the request asks: ${listOf(shares)}. Review them with whoever keeps the files.` };
    }
    return { changes: shares.map((s) => ({ ...s, driveId: scan.drive.id })), found: `${count}; the request asks to remove them.` };
  },
  async apply(ctx, plan) {
    const removed: Removal[] = [];
    const failures = await eachObject(
      plan.changes,
      async (s) => {
        await deleteIfPresent(ctx.graph, permissionPath(s.driveId, s));
        removed.push(s);
      },
      (s, err) => `Could not remove ${s.displayName}: ${describeError(err)}`,
    );
    const inside = removed.some((s) => s.inheritedBy > 0) ? ' The items inside a shared folder lost the access they inherited from it.' : '';
    return { detail: removed.length > 0 ? `Removed sharing outside the company: ${listOf(removed)}.${inside}` : '', failures };
  },
  async verify(ctx, plan) {
    const left = await stillShared(ctx, plan.changes);
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still shared outside the company: ${listOf(left)}.` };
  },
};
