/**
 * Device secrets the person read as an admin: the local administrator password of a device (Windows
 * LAPS, backed up to Entra ID) and BitLocker recovery keys. Both outlive the account: the local
 * administrator password signs in to the device with no Entra ID in the way, a recovery key
 * unlocks its disk. Entra's directory audit log records each read ("Recover device local
 * administrator password", "Read BitLocker key") and keeps them 30 days.
 *
 * The step reads that log only for someone who held, or could activate, a role that may read them
 * (held-roles.ts): its report API allows 5 requests per 10 s for the whole tenant. It leaves each
 * secret read to a person to rotate, because Graph v1.0 cannot: Intune's rotateLocalAdminPassword
 * and rotateBitLockerKeys are beta only, and a BitLocker key cannot be read back by an app at all.
 */
import { odataString } from '../m365/odata';
import { describeError } from './describe-error';
import { flagOnly } from './flag-only';
import { readAll } from './graph-pages';
import { rolesHeldBefore, type RolesThatAllow } from './held-roles';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

/** How far back the log is read: Entra keeps directory audits 30 days (P1 and P2). */
export const DEVICE_SECRETS_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The roles that may read a device's local administrator password (Global, Cloud Device and
 * Intune Administrator) or a BitLocker recovery key (those and the helpdesk and security roles
 * below), and a custom role that may do either.
 */
export const DEVICE_SECRET_ROLES: RolesThatAllow = {
  builtIn: {
    '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
    '7698a772-787b-4ac8-901f-60d6b08affd2': 'Cloud Device Administrator',
    '3a2c62db-5318-420d-8d74-23affee5d9d5': 'Intune Administrator',
    '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
    '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
    '5d6b6bb7-de71-4623-b4af-96380a352509': 'Security Reader',
    'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
  },
  actions: ['microsoft.directory/deviceLocalCredentials/password/read', 'microsoft.directory/bitlockerKeys/key/read'],
};

export const LOCAL_ADMIN_PASSWORD_READ = 'Recover device local administrator password';
export const BITLOCKER_KEY_READ = 'Read BitLocker key';

/** At most this many of the person's reads are looked at (newest first). */
const MAX_ENTRIES = 1_000;

interface Audit {
  activityDateTime: string;
  activityDisplayName: string;
  result?: string;
  targetResources?: Array<{ id?: string | null; displayName?: string | null }>;
}

/** One secret the person read, with the latest time they read it. */
interface SecretRead {
  kind: 'password' | 'key';
  /** The device's name for a password; the key's, as the log names it, for a BitLocker key. */
  name: string;
  at: string;
}

const TO_DO: Record<SecretRead['kind'], (name: string) => string> = {
  password: (name) => `Read the local administrator password of '${name}'`,
  key: (name) => `Read the BitLocker recovery key '${name}'`,
};

const HOW: Record<SecretRead['kind'], (name: string) => string> = {
  password: (name) => `rotate it (Intune › Devices › '${name}' › Rotate local admin password, or Reset-LapsPassword on the device).`,
  key: () => 'find its device under Entra ID › Devices › BitLocker keys (search the key id) and rotate the key (Intune › Devices › the device › BitLocker key rotation).',
};

/** What a person is to do about one secret: "Read … on DATE: what to do". The plan preview shows the part before the colon. */
const lineFor = (s: SecretRead) => `${TO_DO[s.kind](s.name)} on ${s.at.slice(0, 10)}: ${HOW[s.kind](s.name)}`;

const readsSince = (ctx: ActionContext, since: number) => {
  const activities = [LOCAL_ADMIN_PASSWORD_READ, BITLOCKER_KEY_READ].map((a) => `activityDisplayName eq ${odataString(a)}`).join(' or ');
  const filter = `initiatedBy/user/id eq ${odataString(ctx.target.id)} and (${activities}) and activityDateTime ge ${new Date(since).toISOString()}`;
  return readAll<Audit>(ctx.graph, `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`, MAX_ENTRIES);
};

/** The secrets read, each once with its latest read: the log lists the newest first. A failed read revealed nothing. */
function secretsRead(audits: Audit[]): SecretRead[] {
  const latest = new Map<string, SecretRead>();
  for (const a of audits) {
    if (a.result !== undefined && a.result !== 'success') continue;
    const target = a.targetResources?.[0];
    const name = target?.displayName ?? target?.id;
    if (!name) continue;
    const kind = a.activityDisplayName.trim() === LOCAL_ADMIN_PASSWORD_READ ? 'password' : 'key';
    const key = `${kind}:${(target?.id ?? name).toLowerCase()}`;
    if (!latest.has(key)) latest.set(key, { kind, name, at: a.activityDateTime });
  }
  return [...latest.values()];
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

async function plan(ctx: ActionContext): Promise<PlannedChange<never>> {
  const held = await rolesHeldBefore(ctx, DEVICE_SECRET_ROLES);
  if (held?.length === 0) return { changes: [], found: 'held no role that may read device local administrator passwords or BitLocker recovery keys.' };
  const roles = held ? held.join(' and ') : 'an admin (the evidence could not record their roles)';
  const since = Date.parse(ctx.since) - DEVICE_SECRETS_DAYS * DAY_MS;
  let audits: Audit[];
  try {
    audits = await readsSince(ctx, since);
  } catch (err) {
    return {
      changes: [],
      found: `as ${roles} could read device passwords and recovery keys; the directory audit log could not be read.`,
      manual: [
        `As ${roles} they could read device local administrator passwords and BitLocker recovery keys, and the directory audit log could not be read (${describeError(err)}): ` +
          `in Entra ID, Audit logs, look for "${LOCAL_ADMIN_PASSWORD_READ}" and "${BITLOCKER_KEY_READ}" initiated by them in the ${DEVICE_SECRETS_DAYS} days before, and rotate what they read.`,
      ],
    };
  }
  const read = secretsRead(audits);
  const passwords = read.filter((s) => s.kind === 'password').length;
  const found =
    read.length === 0
      ? `as ${roles}, read no device local administrator password or BitLocker recovery key in the ${DEVICE_SECRETS_DAYS} days before.`
      : `as ${roles}, read ${count(passwords, 'local administrator password')} and ${count(read.length - passwords, 'BitLocker recovery key')} in the ${DEVICE_SECRETS_DAYS} days before.`;
  return { changes: [], found, manual: read.map(lineFor) };
}

/**
 * Flags each device local administrator password and BitLocker recovery key the person read in the
 * 30 days before, for a person to rotate. It changes nothing in the tenant. AuditLog.Read.All with
 * Directory.Read.All.
 */
export const flagDeviceSecretsRead: OffboardingAction<never> = flagOnly('flagDeviceSecretsRead', plan);
