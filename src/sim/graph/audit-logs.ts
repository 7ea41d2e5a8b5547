/** Entra ID's sign-in and directory audit logs: /auditLogs/signIns and /auditLogs/directoryAudits. */
import type { Json } from './odata';
import { listCollection, pick } from './odata';
import type { EntitySchema } from './odata-filter';
import type { Route } from './router';

const SIGN_IN_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.signIn',
  resourceName: 'signIn',
  properties: [
    'id', 'createdDateTime', 'userId', 'userDisplayName', 'userPrincipalName', 'appId', 'appDisplayName', 'ipAddress',
    'clientAppUsed', 'isInteractive', 'conditionalAccessStatus', 'riskLevelDuringSignIn', 'riskLevelAggregated', 'riskState',
    'riskDetail', 'riskEventTypes_v2', 'status', 'deviceDetail', 'location',
  ],
  filterable: [
    'id', 'createdDateTime', 'userId', 'userDisplayName', 'userPrincipalName', 'appId', 'appDisplayName', 'ipAddress',
    'clientAppUsed', 'isInteractive', 'conditionalAccessStatus', 'riskLevelDuringSignIn', 'riskLevelAggregated', 'riskState',
  ],
};

const TARGET_RESOURCE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.targetResource',
  resourceName: 'targetResource',
  properties: ['id', 'displayName', 'type', 'userPrincipalName', 'modifiedProperties'],
  filterable: ['id', 'displayName', 'type', 'userPrincipalName'],
};

const AUDIT_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.directoryAudit',
  resourceName: 'directoryAudit',
  properties: [
    'id', 'activityDateTime', 'activityDisplayName', 'category', 'correlationId', 'loggedByService', 'operationType',
    'result', 'resultReason', 'initiatedBy', 'targetResources', 'additionalDetails',
  ],
  filterable: ['id', 'activityDateTime', 'activityDisplayName', 'category', 'correlationId', 'loggedByService', 'operationType', 'result'],
  // docs: directoryaudit-list names these among the properties it filters on.
  paths: ['initiatedBy/user/id', 'initiatedBy/user/userPrincipalName', 'initiatedBy/app/appId'],
  collections: { targetResources: TARGET_RESOURCE_SCHEMA },
};

/** Both logs list the newest entry first unless $orderby says otherwise. */
const newestFirst = <T>(items: T[], at: (item: T) => string) => [...items].sort((a, b) => at(b).localeCompare(at(a)));

export const auditLogRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'auditLogs/signIns',
    handle: (req, _params, state) =>
      listCollection(req, newestFirst(state.signIns, (s) => s.createdDateTime), {
        schema: SIGN_IN_SCHEMA,
        entitySet: 'auditLogs/signIns',
        represent: (s, select) => pick(s as unknown as Json, select ?? SIGN_IN_SCHEMA.properties),
      }),
  },
  {
    method: 'GET',
    pattern: 'auditLogs/directoryAudits',
    handle: (req, _params, state) =>
      listCollection(req, newestFirst(state.directoryAudits, (a) => a.activityDateTime), {
        schema: AUDIT_SCHEMA,
        entitySet: 'auditLogs/directoryAudits',
        represent: (a, select) => pick(a as unknown as Json, select ?? AUDIT_SCHEMA.properties),
      }),
  },
];
