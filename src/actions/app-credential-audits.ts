/**
 * Secrets and certificates the person changed on apps they did not own, through an admin role that
 * may change any app's (Application Administrator and the like). Entra's directory audit log says
 * who changed an app's credentials; it is read only for someone who held, or could activate, such
 * a role (held-roles.ts), because its report API allows 5 requests per 10 s for the whole tenant.
 */
import { odataString } from '../m365/odata';
import { describeError } from './describe-error';
import { readAll } from './graph-pages';
import { rolesHeldBefore, type RolesThatAllow } from './held-roles';
import type { ActionContext } from './offboarding-action';

/** The roles that may give any app a secret or certificate: built-in (by template id), or custom with the actions below. */
export const APP_ADMIN_ROLES: RolesThatAllow = {
  builtIn: {
    '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
    '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
    '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
    '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2': 'Hybrid Identity Administrator',
  },
  actions: ['microsoft.directory/applications/credentials/update', 'microsoft.directory/servicePrincipals/credentials/update'],
};

/** Entra's audit activities for a change of an app's or a service principal's credentials. */
const CREDENTIAL_ACTIVITY = /certificates and secrets management|service principal credentials/i;

/** At most this many of the person's app management entries are read (newest first). */
const MAX_ENTRIES = 1_000;

interface Audit {
  activityDateTime: string;
  activityDisplayName: string;
  targetResources?: Array<{ id?: string; displayName?: string | null }>;
}

/**
 * One line per app, other than `skipAppIds`, whose secrets or certificates the person changed
 * since `since` as an app admin, for a person to check; nothing for someone without such a role.
 * A log that cannot be read is itself left to a person, not a failed step.
 */
export async function credentialChangesAsAdmin(ctx: ActionContext, since: number, skipAppIds: ReadonlySet<string>): Promise<string[]> {
  const held = await rolesHeldBefore(ctx, APP_ADMIN_ROLES);
  if (held?.length === 0) return [];
  const roles = held ? held.join(' or ') : 'an admin (the evidence could not record their roles)';
  const filter = `initiatedBy/user/id eq ${odataString(ctx.target.id)} and category eq 'ApplicationManagement' and activityDateTime ge ${new Date(since).toISOString()}`;
  let audits: Audit[];
  try {
    audits = await readAll<Audit>(ctx.graph, `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`, MAX_ENTRIES);
  } catch (err) {
    return [
      `As ${roles} they could give any app a secret, and the directory audit log could not be read (${describeError(err)}): ` +
        'in Entra ID, Audit logs, look for "Update application – Certificates and secrets management" initiated by them in the 30 days before.',
    ];
  }
  // Newest first: the first entry of an app is its latest change.
  const latest = new Map<string, { name: string; at: string; activity: string }>();
  for (const a of audits) {
    const app = a.targetResources?.[0];
    if (!CREDENTIAL_ACTIVITY.test(a.activityDisplayName) || !app?.id) continue;
    const id = app.id.toLowerCase();
    if (skipAppIds.has(id) || latest.has(id)) continue;
    latest.set(id, { name: app.displayName ?? app.id, at: a.activityDateTime, activity: a.activityDisplayName.trim() });
  }
  return [...latest.values()].map(
    (c) =>
      `'${c.name}' had its secrets or certificates changed by them as ${roles} on ${c.at.slice(0, 10)} (directory audit "${c.activity}"): ` +
      "check the app's secrets and certificates in Entra ID and remove any it does not need.",
  );
}
