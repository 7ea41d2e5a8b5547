import type { SimTenant } from '../../src/sim/server';

/**
 * Makes the simulated tenant one without Microsoft Entra ID P2 or ID Governance: from now on every
 * PIM list read (role and group eligibility and assignment schedules) answers as Graph does there, 400
 * AadPremiumLicenseRequired (as reported by tools that read PIM, e.g. cisagov/ScubaGear#981,
 * Microsoft365DSC). Other reads, role assignments included, keep working: they need no P2.
 */
export function withoutPimLicence(sim: SimTenant): void {
  sim.faults.add({
    method: 'GET',
    path: /\/(roleManagement\/directory\/role(Eligibility|Assignment)Schedules|identityGovernance\/privilegedAccess\/group\/(eligibility|assignment)Schedules)$/,
    status: 400,
    code: 'AadPremiumLicenseRequired',
    message: 'The tenant needs an AAD Premium 2 license.',
    times: Infinity,
  });
}
