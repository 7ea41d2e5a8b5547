/**
 * The throttling limits the simulated tenant can enforce, each off unless asked for, and the
 * values Microsoft documents for them (Graph "service-specific throttling limits", Intune devices,
 * "Avoid getting throttled or blocked in SharePoint Online"). Tests and benchmarks usually scale
 * them down (or scale time with a clock) so a run takes seconds.
 */
import type { Quota } from './token-bucket';

export interface OutlookLimit {
  /** Calls in flight at once per mailbox (from arrival until the answer is sent). */
  concurrent: number;
  /** Calls per mailbox. */
  requests: Quota;
}

export interface IntuneLimit {
  /** POST, PATCH, PUT, DELETE. */
  writes: Quota;
  /** Every call, writes included. */
  any: Quota;
}

export interface TenantLimits {
  /** Directory (identity and access) writes per app per tenant. */
  directoryWrites?: Quota;
  /** Directory resource units per app per tenant; a call costs 1 to 5 units (see directory.ts). */
  directoryReadUnits?: Quota;
  /** Sign-in and audit logs (/auditLogs/...) per app per tenant. */
  reports?: Quota;
  outlook?: OutlookLimit;
  intune?: IntuneLimit;
  /** SharePoint/OneDrive resource units per app per tenant (see sharepoint.ts for costs). */
  sharePoint?: Quota;
}

/**
 * Directory resource units depend on the tenant's size: S (under 50 users) 3,500, M (50 to 500)
 * 5,000, L (above 500) 8,000 per 10 seconds.
 */
export function documentedDirectoryReadUnits(tenantUsers: number): Quota {
  return { max: tenantUsers < 50 ? 3500 : tenantUsers <= 500 ? 5000 : 8000, windowSeconds: 10 };
}

/** Microsoft's documented limits, for a tenant of the given size (small by default). */
export function documentedLimits(tenantUsers = 0): Required<TenantLimits> {
  return {
    directoryWrites: { max: 3000, windowSeconds: 150 },
    directoryReadUnits: documentedDirectoryReadUnits(tenantUsers),
    reports: { max: 5, windowSeconds: 10 },
    outlook: { concurrent: 4, requests: { max: 10_000, windowSeconds: 600 } },
    intune: { writes: { max: 200, windowSeconds: 20 }, any: { max: 2000, windowSeconds: 20 } },
    // The smallest tenant band (up to 1,000 licences); larger tenants get more.
    sharePoint: { max: 1250, windowSeconds: 60 },
  };
}

export const DOCUMENTED_LIMITS: Required<TenantLimits> = documentedLimits();

/** The older option shape for the directory write quota, still accepted by startSimTenant. */
export interface WriteLimit {
  maxWrites: number;
  windowSeconds: number;
}

/** The documented quota: 3,000 directory writes per app per tenant in 2.5 minutes. */
export const GRAPH_DIRECTORY_WRITE_LIMIT: WriteLimit = { maxWrites: 3000, windowSeconds: 150 };

function quotaFrom(value: unknown, name: string): Quota | undefined {
  return value === undefined ? undefined : requiredQuota(value, name);
}

function requiredQuota(value: unknown, name: string): Quota {
  const quota = value as Partial<Quota> | null;
  if (
    typeof quota !== 'object' || quota === null ||
    typeof quota.max !== 'number' || !(quota.max >= 1) ||
    typeof quota.windowSeconds !== 'number' || !(quota.windowSeconds > 0)
  ) {
    throw new Error(`${name} must be {"max": n >= 1, "windowSeconds": s > 0}.`);
  }
  return { max: quota.max, windowSeconds: quota.windowSeconds };
}

/** Reads limits sent as JSON to /_sim/limits; throws with a message saying what is wrong. */
export function limitsFromJson(value: unknown): TenantLimits {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('Limits must be a JSON object.');
  const raw = value as Record<string, unknown>;
  const known = ['directoryWrites', 'directoryReadUnits', 'reports', 'outlook', 'intune', 'sharePoint'];
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown limit(s): ${unknown.join(', ')}. Known: ${known.join(', ')}.`);
  const outlook = raw.outlook as Record<string, unknown> | undefined;
  const intune = raw.intune as Record<string, unknown> | undefined;
  if (outlook !== undefined && (typeof outlook !== 'object' || outlook === null || typeof outlook.concurrent !== 'number' || outlook.concurrent < 1)) {
    throw new Error('outlook must be {"concurrent": n >= 1, "requests": {"max", "windowSeconds"}}.');
  }
  if (intune !== undefined && (typeof intune !== 'object' || intune === null)) {
    throw new Error('intune must be {"writes": {...}, "any": {...}}.');
  }
  return {
    directoryWrites: quotaFrom(raw.directoryWrites, 'directoryWrites'),
    directoryReadUnits: quotaFrom(raw.directoryReadUnits, 'directoryReadUnits'),
    reports: quotaFrom(raw.reports, 'reports'),
    outlook: outlook && { concurrent: outlook.concurrent as number, requests: requiredQuota(outlook.requests, 'outlook.requests') },
    intune: intune && { writes: requiredQuota(intune.writes, 'intune.writes'), any: requiredQuota(intune.any, 'intune.any') },
    sharePoint: quotaFrom(raw.sharePoint, 'sharePoint'),
  };
}
