/**
 * Microsoft Purview's audit log query API (Graph v1.0, microsoft.graph.security.auditLogQuery):
 * POST /security/auditLog/queries starts a search of the unified audit log, GET reads how it is
 * going (notStarted, running, then succeeded or failed), and /records lists what it found once it
 * has succeeded, oldest first, 150 a page unless $top asks for up to 1000. Purview hands an app
 * only the records of the services its permissions cover, whatever the query asked for.
 */
import { randomUUID } from 'node:crypto';
import type { AppCaller } from '../app-token';
import { advance, FILE_RECORD_TYPE, type SimAuditLogQuery, type SimFileActivity } from '../file-activity-state';
import type { TenantState } from '../state';
import { badRequest, GraphHttpError } from './errors';
import { nextPageLink, parseTop, type Json } from './odata';
import { contextUrl, jsonBody, ok, type GraphRequest } from './request';
import type { Route } from './router';

const QUERY_TYPE = '#microsoft.graph.security.auditLogQuery';
const RECORDS_PAGE_SIZE = 150;
const RECORDS_MAX_PAGE_SIZE = 1000;
const FILTERS = ['operationFilters', 'userPrincipalNameFilters', 'recordTypeFilters', 'serviceFilters'] as const;

/** Reads every service's records; the per-service permissions read their own service's only. */
const ALL_AUDIT_LOGS = 'AuditLogsQuery.Read.All';
const SERVICE_PERMISSION: Readonly<Record<SimFileActivity['service'], string>> = {
  SharePoint: 'AuditLogsQuery-SharePoint.Read.All',
  OneDrive: 'AuditLogsQuery-OneDrive.Read.All',
};

const mayRead = (caller: AppCaller, record: SimFileActivity) => caller.roles.has(ALL_AUDIT_LOGS) || caller.roles.has(SERVICE_PERMISSION[record.service]);

/** An ISO 8601 moment, a date or a date and time; one without an offset is UTC. NaN for anything else. */
function isoMoment(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/i.test(raw)) return NaN;
  return Date.parse(/T/i.test(raw) && !/(Z|[+-]\d\d:\d\d)$/i.test(raw) ? `${raw}Z` : raw);
}

// The sim's own wording: Purview's messages for these are not documented.
function filterWindow(body: Record<string, unknown>): { filterStartDateTime: string; filterEndDateTime: string } {
  const edges = ['filterStartDateTime', 'filterEndDateTime'].map((name) => {
    const raw = body[name];
    if (raw === undefined || raw === null || raw === '') throw badRequest(`The property '${name}' is required: the moment the search ${name === 'filterStartDateTime' ? 'starts' : 'ends'}, as an ISO 8601 date and time.`);
    if (Number.isNaN(isoMoment(raw))) throw badRequest(`The value '${String(raw)}' of property '${name}' is not a valid ISO 8601 date and time.`);
    return raw as string;
  });
  const [start, end] = edges;
  if (isoMoment(start) >= isoMoment(end)) throw badRequest(`filterStartDateTime '${start}' must be before filterEndDateTime '${end}'.`);
  return { filterStartDateTime: start, filterEndDateTime: end };
}

/** A filter left out (or null) searches everything; one given must be a list of strings. */
function stringList(body: Record<string, unknown>, name: string): string[] {
  const raw = body[name];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) throw badRequest(`The property '${name}' must be a collection of strings.`);
  return [...(raw as string[])];
}

function readQuery(req: GraphRequest): SimAuditLogQuery {
  const body = jsonBody(req);
  const type = body['@odata.type'];
  if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== QUERY_TYPE.toLowerCase())) {
    throw badRequest(`A type named '${String(type)}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`);
  }
  const displayName = body.displayName;
  if (displayName !== undefined && displayName !== null && typeof displayName !== 'string') throw badRequest("The property 'displayName' must be a string.");
  const [operationFilters, userPrincipalNameFilters, recordTypeFilters, serviceFilters] = FILTERS.map((name) => stringList(body, name));
  return {
    id: randomUUID(),
    displayName: displayName ?? null,
    ...filterWindow(body),
    operationFilters,
    userPrincipalNameFilters,
    recordTypeFilters,
    serviceFilters,
    createdAt: Date.now(),
    status: 'notStarted',
    records: [],
  };
}

function findQuery(state: TenantState, id: string): SimAuditLogQuery {
  const query = state.auditLogQueries.find((q) => q.id.toLowerCase() === id.toLowerCase());
  // As Intune and OneDrive word a missing entity; Purview's own wording is not documented.
  if (!query) throw new GraphHttpError(404, 'ResourceNotFound', `The audit log query '${id}' was not found.`);
  return query;
}

function represent(query: SimAuditLogQuery): Json {
  return {
    '@odata.type': QUERY_TYPE,
    id: query.id,
    displayName: query.displayName,
    filterStartDateTime: query.filterStartDateTime,
    filterEndDateTime: query.filterEndDateTime,
    recordTypeFilters: query.recordTypeFilters,
    serviceFilters: query.serviceFilters,
    operationFilters: query.operationFilters,
    userPrincipalNameFilters: query.userPrincipalNameFilters,
    status: query.status,
  };
}

/** An auditLogRecord: the common properties, and the record's own details in auditData as Purview logs them. */
function representRecord(state: TenantState, r: SimFileActivity): Json {
  const extension = /\.([^./]+)$/.exec(r.fileName)?.[1] ?? '';
  return {
    id: r.id,
    createdDateTime: r.createdDateTime,
    auditLogRecordType: FILE_RECORD_TYPE,
    operation: r.operation,
    organizationId: state.tenantId,
    userType: 'regular',
    userId: r.userId,
    userPrincipalName: r.userPrincipalName,
    service: r.service,
    objectId: r.objectId,
    clientIp: r.clientIp,
    administrativeUnits: [],
    auditData: {
      '@odata.type': '#microsoft.graph.security.defaultAuditData',
      CreationTime: r.createdDateTime.replace(/Z$/, ''),
      Id: r.id,
      Operation: r.operation,
      OrganizationId: state.tenantId,
      RecordType: 6,
      UserKey: r.userId,
      UserType: 0,
      Workload: r.service,
      ClientIP: r.clientIp,
      ObjectId: r.objectId,
      UserId: r.userId,
      SiteUrl: r.siteUrl,
      SourceRelativeUrl: r.objectId.slice(r.siteUrl.length, r.objectId.length - r.fileName.length - 1),
      SourceFileName: r.fileName,
      SourceFileExtension: extension,
      UserAgent: r.userAgent,
    },
  };
}

function parseSkipToken(raw: string | null): number {
  if (raw === null) return 0;
  const offset = Number(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid paging token.');
  return offset;
}

export const auditLogQueryRoutes: Route[] = [
  {
    method: 'POST',
    pattern: 'security/auditLog/queries',
    handle: (req, _params, state) => {
      const query = readQuery(req);
      state.auditLogQueries.push(query);
      return { status: 201, body: { '@odata.context': contextUrl(req, 'security/auditLog/queries/$entity'), ...represent(query) } };
    },
  },
  {
    method: 'GET',
    pattern: 'security/auditLog/queries',
    handle: (req, _params, state) => {
      for (const query of state.auditLogQueries) advance(state, query);
      return ok({ '@odata.context': contextUrl(req, 'security/auditLog/queries'), value: state.auditLogQueries.map(represent) });
    },
  },
  {
    method: 'GET',
    pattern: 'security/auditLog/queries/:id',
    handle: (req, params, state) => {
      const query = findQuery(state, params.id);
      advance(state, query);
      return ok({ '@odata.context': contextUrl(req, 'security/auditLog/queries/$entity'), ...represent(query) });
    },
  },
  {
    method: 'GET',
    pattern: 'security/auditLog/queries/:id/records',
    handle: (req, params, state) => {
      const query = findQuery(state, params.id);
      // Until the search has succeeded there is nothing to list yet.
      const found = advance(state, query) === 'succeeded' ? query.records.filter((r) => mayRead(req.caller, r)) : [];
      const top = parseTop(req.url.searchParams.get('$top'), RECORDS_PAGE_SIZE, RECORDS_MAX_PAGE_SIZE);
      const offset = parseSkipToken(req.url.searchParams.get('$skiptoken'));
      const body: Json = { '@odata.context': contextUrl(req, `security/auditLog/queries('${query.id}')/records`) };
      if (offset + top < found.length) {
        body['@odata.nextLink'] = nextPageLink(req, { $skiptoken: Buffer.from(String(offset + top)).toString('base64url') });
      }
      body.value = found.slice(offset, offset + top).map((r) => representRecord(state, r));
      return ok(body);
    },
  },
];
