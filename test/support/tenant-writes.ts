import type { SimCall } from '../../src/sim/calls';

/**
 * Calls that changed the simulated tenant: Graph writes and Exchange cmdlets other than Get-*. A
 * $batch is only an envelope: the simulated tenant logs each of its sub-requests as a call of its own.
 */
export function tenantWrites(calls: readonly SimCall[]): SimCall[] {
  return calls.filter((call) => {
    if (call.method === 'GET' || call.path.endsWith('/$batch')) return false;
    const cmdlet = (call.body as { CmdletInput?: { CmdletName?: string } } | undefined)?.CmdletInput?.CmdletName;
    return !(call.path.includes('/adminapi/') && cmdlet?.startsWith('Get-'));
  });
}
