/** Query options shared by every collection: $select, $filter, $search, $orderby, $top, $count, paging. */
import { badRequest, GraphHttpError, unknownProperty } from './errors';
import { compileFilter, type EntitySchema } from './odata-filter';
import { compileSearch } from './odata-search';
import { contextUrl, isEventual, ok, type GraphRequest, type GraphResponse } from './request';

export type Json = Record<string, unknown>;

const DEFAULT_PAGE_SIZE = 100;

/** Resolves $select names case-insensitively to the schema's spelling; undefined means "defaults". */
export function parseSelect(raw: string | null, schema: EntitySchema): string[] | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  return raw.split(',').map((name) => {
    const wanted = name.trim().toLowerCase();
    const property = schema.properties.find((p) => p.toLowerCase() === wanted);
    if (!property) throw unknownProperty(name.trim(), schema.typeName);
    return property;
  });
}

export function pick(entity: Json, properties: readonly string[]): Json {
  const result: Json = {};
  for (const property of properties) result[property] = entity[property] ?? null;
  return result;
}

/** $top: the page size asked for, `defaultSize` without it; the directory's largest is 999, Outlook's 1000. */
export function parseTop(raw: string | null, defaultSize = DEFAULT_PAGE_SIZE, max = 999): number {
  if (raw === null) return defaultSize;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return top;
}

/** The next page's link: the request's own query with `changes` made, its keys literal ($top, not %24top) as in Graph's own links. */
export function nextPageLink(req: GraphRequest, changes: Record<string, string>): string {
  const next = new URLSearchParams(req.url.searchParams);
  for (const [key, value] of Object.entries(changes)) next.set(key, value);
  const pairs = [...next].map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  const path = req.segments.map((s) => encodeURIComponent(s).replace(/%24/g, '$').replace(/%40/g, '@')).join('/');
  return `${req.serviceRoot}/${path}?${pairs.join('&')}`;
}

function parseSkipToken(raw: string | null): number {
  if (raw === null) return 0;
  const offset = Number(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid paging token.', 'Directory_ExpiredPageToken');
  return offset;
}

function sortBy<T>(items: T[], raw: string | null, schema: EntitySchema): T[] {
  if (raw === null) return items;
  const [name, direction = 'asc'] = raw.trim().split(/\s+/);
  const property = schema.properties.find((p) => p.toLowerCase() === name.toLowerCase());
  if (!property) throw unknownProperty(name, schema.typeName);
  const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
  const key = (item: T) => String((item as Json)[property] ?? '').toLowerCase();
  return [...items].sort((a, b) => sign * key(a).localeCompare(key(b)));
}

/** Applies $search/$filter; shared by collection listing and /$count. */
export function applyQuery<T>(req: GraphRequest, items: T[], schema: EntitySchema): T[] {
  const query = req.url.searchParams;
  const search = query.get('$search');
  const filter = query.get('$filter');
  let result = items;
  if (search !== null) {
    if (!isEventual(req)) {
      throw new GraphHttpError(
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    const matches = compileSearch(search, schema);
    result = result.filter((item) => matches(item as Json));
  }
  if (filter !== null) {
    const compiled = compileFilter(filter, schema);
    if (compiled.advanced && !(isEventual(req) && query.get('$count') === 'true')) {
      throw new GraphHttpError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
    }
    result = result.filter((item) => compiled.matches(item as Json));
  }
  return result;
}

export interface CollectionOptions<T> {
  schema: EntitySchema;
  /** e.g. 'users' or 'directoryObjects', the entity set named in @odata.context. */
  entitySet: string;
  represent: (item: T, select: string[] | undefined) => Json;
}

export function listCollection<T>(req: GraphRequest, items: T[], options: CollectionOptions<T>): GraphResponse {
  const query = req.url.searchParams;
  if (query.has('$expand')) {
    throw new GraphHttpError(400, 'Request_UnsupportedQuery', '$expand on collections is not implemented by the simulated tenant.');
  }
  const select = parseSelect(query.get('$select'), options.schema);
  const top = parseTop(query.get('$top'));
  const offset = parseSkipToken(query.get('$skiptoken'));
  const matched = sortBy(applyQuery(req, items, options.schema), query.get('$orderby'), options.schema);
  const page = matched.slice(offset, offset + top);

  const body: Json = {
    '@odata.context': contextUrl(req, select ? `${options.entitySet}(${select.join(',')})` : options.entitySet),
  };
  // Without ConsistencyLevel: eventual, Graph silently ignores $count=true.
  if (query.get('$count') === 'true' && isEventual(req)) body['@odata.count'] = matched.length;
  if (offset + top < matched.length) {
    body['@odata.nextLink'] = nextPageLink(req, { $skiptoken: Buffer.from(String(offset + top)).toString('base64url') });
  }
  body.value = page.map((item) => options.represent(item, select));
  return ok(body);
}
