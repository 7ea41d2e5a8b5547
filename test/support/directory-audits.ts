/** Test fixture: an entry of Entra's directory audit log, as Graph lists it, for a test to add to the simulated tenant. */
import type { SimAuditTarget, SimDirectoryAudit } from '../../src/sim/audit-log-state';

export interface AuditOf {
  /** Makes the entry's id and correlation id unique within a test. */
  n: number;
  /** The user who did it. */
  by: string;
  activity: string;
  category: string;
  at: string;
  target: { id: string; name: string; type: SimAuditTarget['type'] };
  operationType?: SimDirectoryAudit['operationType'];
  result?: SimDirectoryAudit['result'];
}

export function directoryAudit(a: AuditOf): SimDirectoryAudit {
  return {
    id: `Directory_test_${a.n}`,
    activityDateTime: a.at,
    activityDisplayName: a.activity,
    category: a.category,
    correlationId: `c0000000-0000-0000-0000-${String(a.n).padStart(12, '0')}`,
    loggedByService: 'Core Directory',
    operationType: a.operationType ?? 'Update',
    result: a.result ?? 'success',
    resultReason: '',
    initiatedBy: { user: { id: a.by, displayName: null, userPrincipalName: `${a.by}@contoso.com`, ipAddress: '192.0.2.214' }, app: null },
    targetResources: [{ id: a.target.id, displayName: a.target.name, type: a.target.type, userPrincipalName: null, modifiedProperties: [] }],
    additionalDetails: [],
  };
}
