import { M365Error } from './m365-error';

/**
 * Graph's answer to a PIM list call (role or group eligibility schedules) in a tenant without
 * Microsoft Entra ID P2 or ID Governance: 400 AadPremiumLicenseRequired, "The tenant needs an AAD
 * Premium 2 license." Such a tenant holds no PIM eligibilities (Microsoft removes them when the
 * licence ends, and nobody can activate one), so this answer means "none", not a failure. Only
 * this code: any other refusal still fails, so that a role is never missed for want of a read.
 */
export function tenantLacksPim(err: unknown): boolean {
  return err instanceof M365Error && err.code === 'AadPremiumLicenseRequired';
}

/** The PIM list read, or null when the tenant has no PIM (no Entra ID P2 licence). */
export async function unlessTenantLacksPim<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (tenantLacksPim(err)) return null;
    throw err;
  }
}
