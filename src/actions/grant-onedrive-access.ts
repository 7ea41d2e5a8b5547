import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { notChosen } from './exchange-mailbox';
import { readAll } from './graph-pages';
import { isMissing, successorFor, type Successor } from './hand-over-person';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';
import { externalSharingChoice } from './remove-external-sharing';
import type { DepartureRequest } from '../cases/case';

interface Drive {
  id: string;
  webUrl: string;
}

interface Permission {
  id: string;
  roles: string[];
  grantedToV2?: { user?: { id?: string; displayName?: string; email?: string } };
  link?: { scope: string; type: string; webUrl?: string };
}

/** Write access to one drive for one person; `displayName` is what the plan preview lists. */
interface DriveGrant {
  driveId: string;
  displayName: string;
  successor: Successor;
  /** Sharing that reaches outside the company, reported with the result for a person to review. */
  externalShares: string[];
}

const ACCESS_ROLES = ['write', 'owner'];

async function readDrive(ctx: ActionContext): Promise<Drive | undefined> {
  try {
    return (await ctx.graph.get<Drive>(`/users/${guidSegment(ctx.target.id)}/drive?$select=id,webUrl`)).body;
  } catch (err) {
    if (err instanceof M365Error && err.status === 404) return undefined;
    throw err;
  }
}

const readPermissions = (ctx: ActionContext, driveId: string) => readAll<Permission>(ctx.graph, `/drives/${encodeURIComponent(driveId)}/items/root/permissions`);

const addressOf = (s: Successor) => s.mail ?? s.userPrincipalName;

function canWrite(permissions: Permission[], s: Successor): boolean {
  return permissions.some((p) => {
    const user = p.grantedToV2?.user;
    const same = user && (user.id?.toLowerCase() === s.id.toLowerCase() || user.email?.toLowerCase() === addressOf(s).toLowerCase());
    return !p.link && same && p.roles.some((r) => ACCESS_ROLES.includes(r));
  });
}

/** Links anyone can open, and people outside the user's own domain, on the drive's root. */
function externalShares(ctx: ActionContext, permissions: Permission[]): string[] {
  const domain = (ctx.target.mail ?? ctx.target.userPrincipalName).split('@')[1]?.toLowerCase();
  return permissions.flatMap((p) => {
    if (p.link?.scope === 'anonymous') return [`anyone with the link (${p.link.type}) ${p.link.webUrl ?? ''}`.trim()];
    const email = p.grantedToV2?.user?.email?.toLowerCase();
    return !p.link && email && !email.endsWith(`@${domain}`) ? [`${email} (${p.roles.join(', ')})`] : [];
  });
}

/** What becomes of the sharing outside the company is the next step's (removeExternalSharing) to say. */
const sharingNote = (shares: string[], request: DepartureRequest) =>
  shares.length === 0
    ? ''
    : ` Shared outside the company: ${shares.join('; ')}.` +
      (externalSharingChoice(request) === 'remove' ? ' The next step removes these links and invitations.' : ' The request keeps these and lists them: review them before the OneDrive is deleted.');

/**
 * Gives the chosen person (the manager unless the request names someone, "none" for nobody)
 * write access to the user's OneDrive, without an email, so the files can be kept before the
 * retention period deletes them. Sharing that reaches outside the company is reported, not removed.
 * An OneDrive that was never provisioned has no files: the step is skipped.
 * Permission Files.ReadWrite.All.
 */
export const grantOneDriveAccess: OffboardingAction<DriveGrant> = {
  name: 'grantOneDriveAccess',
  async plan(ctx): Promise<PlannedChange<DriveGrant>> {
    const named = ctx.request.handOver?.filesTo;
    if (named === null) return notChosen('The request gives nobody access to the OneDrive.');
    const drive = await readDrive(ctx);
    if (!drive) return { changes: [], found: 'no OneDrive.', stop: { status: 'skipped', reason: 'The user never opened OneDrive (it was never provisioned): there are no files to hand over.' } };
    const successor = await successorFor(ctx, named);
    if (isMissing(successor)) {
      return { changes: [], found: successor.missing, stop: { status: 'manual', reason: `${successor.missing} Decide who keeps the files at ${drive.webUrl} and share the OneDrive with them.` } };
    }
    const permissions = await readPermissions(ctx, drive.id);
    const shares = externalShares(ctx, permissions);
    if (canWrite(permissions, successor)) return { changes: [], found: `${successor.displayName} can already edit the OneDrive.${sharingNote(shares, ctx.request)}` };
    return {
      changes: [{ driveId: drive.id, displayName: `${successor.displayName} (edit)`, successor, externalShares: shares }],
      found: `${successor.displayName} has no access to ${drive.webUrl} yet.${sharingNote(shares, ctx.request)}`,
    };
  },
  async apply(ctx, plan) {
    const grant = plan.changes[0];
    await ctx.graph.send('POST', `/drives/${encodeURIComponent(grant.driveId)}/items/root/invite`, {
      recipients: [{ email: addressOf(grant.successor) }],
      roles: ['write'],
      requireSignIn: true,
      sendInvitation: false,
    });
    return { detail: `Gave ${grant.successor.displayName} edit access to the OneDrive.${sharingNote(grant.externalShares, ctx.request)}`, failures: [] };
  },
  async verify(ctx, plan) {
    const grant = plan.changes[0];
    return canWrite(await readPermissions(ctx, grant.driveId), grant.successor)
      ? { ok: true, detail: '(verified)' }
      : { ok: false, detail: `The OneDrive shows no edit access for ${grant.successor.displayName}.` };
  },
};
