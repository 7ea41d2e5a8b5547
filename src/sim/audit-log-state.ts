/**
 * Entra ID's logs as Graph shows them under /auditLogs. They are records of the past: nothing in
 * the simulated tenant writes them, so they are kept in Graph's own shape (microsoft.graph.signIn
 * and microsoft.graph.directoryAudit, the properties an offboarding review reads).
 */

export type RiskLevel = 'none' | 'low' | 'medium' | 'high' | 'hidden';

export interface SimSignIn {
  id: string;
  createdDateTime: string;
  userId: string;
  userDisplayName: string;
  userPrincipalName: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  isInteractive: boolean;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  riskLevelDuringSignIn: RiskLevel;
  riskLevelAggregated: RiskLevel;
  riskState: 'none' | 'atRisk' | 'confirmedSafe' | 'remediated' | 'dismissed' | 'confirmedCompromised';
  riskDetail: string;
  riskEventTypes_v2: string[];
  /** errorCode 0 is a successful sign-in. */
  status: { errorCode: number; failureReason: string | null; additionalDetails: string | null };
  deviceDetail: { displayName: string; operatingSystem: string; browser: string; isCompliant: boolean; isManaged: boolean; trustType: string };
  location: { city: string; state: string; countryOrRegion: string };
}

export interface SimAuditTarget {
  id: string;
  displayName: string | null;
  type: 'User' | 'Group' | 'Device' | 'Application' | 'ServicePrincipal' | 'Other';
  userPrincipalName: string | null;
  modifiedProperties: Array<{ displayName: string; oldValue: string | null; newValue: string | null }>;
}

export interface SimDirectoryAudit {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category: string;
  correlationId: string;
  loggedByService: string;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | 'Other';
  result: 'success' | 'failure';
  resultReason: string;
  initiatedBy: { user: { id: string; displayName: string | null; userPrincipalName: string; ipAddress: string | null } | null; app: { appId: string; displayName: string } | null };
  targetResources: SimAuditTarget[];
  additionalDetails: Array<{ key: string; value: string }>;
}
