import assert from 'node:assert/strict';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { TenantSeed } from '../../src/sim/state';
import { graph } from './sim-fetch';

const QUERIES = '/security/auditLog/queries';
const SHAREPOINT = 'AuditLogsQuery-SharePoint.Read.All';
const ONEDRIVE = 'AuditLogsQuery-OneDrive.Read.All';
const DAY_MS = 86_400_000;

interface AuditLogRecord {
  id: string;
  createdDateTime: string;
  auditLogRecordType: string;
  operation: string;
  organizationId: string;
  userType: string;
  userId: string;
  userPrincipalName: string;
  service: string;
  objectId: string;
  clientIp: string;
  administrativeUnits: unknown[];
  auditData: Record<string, unknown>;
}

/** The app's Graph token, with the audit search permissions it is to be granted, or with some of them withheld. */
const tokenWith = (granted: string[], withheld: string[] = []) => simulatedTenantTokens(withheld, granted).graph.getToken();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sim tenant: Purview audit log queries (security/auditLog/queries)', () => {
  let sim: SimTenant;
  let token: string;
  const searchSeconds = 0.2;

  async function start(change: Partial<TenantSeed> = {}): Promise<void> {
    sim = await startSimTenant({ seed: (contoso) => ({ ...contoso, auditSearchSeconds: searchSeconds, ...change }) });
  }
  beforeEach(async () => {
    token = await tokenWith([SHAREPOINT, ONEDRIVE]);
    await start();
  });
  afterEach(() => sim.close());

  /** The 30 days up to now, as a review of a leaver looks back. */
  const lastMonth = () => ({ filterStartDateTime: new Date(Date.now() - 30 * DAY_MS).toISOString(), filterEndDateTime: new Date().toISOString() });
  const janesDownloads = () => ({
    '@odata.type': '#microsoft.graph.security.auditLogQuery',
    displayName: 'Jane Doe downloads',
    ...lastMonth(),
    userPrincipalNameFilters: ['janed@contoso.com'],
    operationFilters: ['FileDownloaded', 'FileSyncDownloadedFull'],
  });

  const create = (body: unknown, as = token) => graph(sim, QUERIES, { method: 'POST', body, token: as });
  const read = (id: string, as = token) => graph(sim, `${QUERIES}/${id}`, { token: as });

  /** Creates the query and polls it, as a client does, until it has ended. */
  async function search(body: unknown, as = token): Promise<{ id: string; status: string }> {
    const created = await create(body, as);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (let polls = 0; polls < 50; polls++) {
      const { body: query } = await read(created.body.id, as);
      if (query.status !== 'notStarted' && query.status !== 'running') return { id: query.id, status: query.status };
      await pause(50);
    }
    throw new Error('the search never ended');
  }

  /** Every record of the query, page after page through @odata.nextLink. */
  async function allRecords(id: string, query = '', as = token): Promise<{ records: AuditLogRecord[]; pages: number[] }> {
    const records: AuditLogRecord[] = [];
    const pages: number[] = [];
    for (let next: string | undefined = `${QUERIES}/${id}/records${query}`; next; ) {
      const page = await graph(sim, next, { token: as });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      records.push(...page.body.value);
      pages.push(page.body.value.length);
      next = page.body['@odata.nextLink']?.slice(sim.graphBaseUrl.length);
    }
    return { records, pages };
  }

  it('answers a new query 201 with the query as Graph represents it, not started yet, and lists it', async () => {
    const body = janesDownloads();
    const { status, body: created } = await create(body);
    assert.equal(status, 201);
    assert.match(created['@odata.context'], /\/\$metadata#security\/auditLog\/queries\/\$entity$/);
    assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(
      [created.displayName, created.filterStartDateTime, created.filterEndDateTime, created.operationFilters, created.userPrincipalNameFilters, created.recordTypeFilters, created.serviceFilters],
      [body.displayName, body.filterStartDateTime, body.filterEndDateTime, body.operationFilters, body.userPrincipalNameFilters, [], []],
    );
    assert.equal(created.status, 'notStarted');

    const list = await graph(sim, QUERIES, { token });
    assert.equal(list.status, 200);
    assert.match(list.body['@odata.context'], /\/\$metadata#security\/auditLog\/queries$/);
    assert.deepEqual(list.body.value.map((q: { id: string }) => q.id), [created.id]);
  });

  it('answers 400 BadRequest to a query without its dates, with a date it cannot read, or with the end before the start', async () => {
    const { filterStartDateTime, filterEndDateTime } = lastMonth();
    const bodies = [
      { displayName: 'no dates' },
      { filterStartDateTime },
      { filterEndDateTime },
      { filterStartDateTime: 'last month', filterEndDateTime },
      { filterStartDateTime: filterEndDateTime, filterEndDateTime: filterStartDateTime },
      { filterStartDateTime, filterEndDateTime: filterStartDateTime },
    ];
    for (const body of bodies) {
      const answer = await create(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'BadRequest');
      assert.match(answer.body.error.message, /filterStartDateTime|filterEndDateTime/);
    }
    assert.deepEqual((await graph(sim, QUERIES, { token })).body.value, [], 'none was created');
  });

  it('runs once read, for auditSearchSeconds, then succeeds; it lists no records until then', async () => {
    const { body: created } = await create(janesDownloads());
    assert.equal(created.status, 'notStarted');
    assert.equal((await read(created.id)).body.status, 'running');
    assert.deepEqual((await graph(sim, `${QUERIES}/${created.id}/records`, { token })).body.value, [], 'nothing to list while it runs');
    assert.equal((await graph(sim, QUERIES, { token })).body.value[0].status, 'running');
    await pause(searchSeconds * 1000 + 50);
    assert.equal((await read(created.id)).body.status, 'succeeded');
    assert.equal((await graph(sim, QUERIES, { token })).body.value[0].status, 'succeeded');
  });

  it("finds Jane's 30 downloads of the last 30 days, the night's burst among them, and nothing else", async () => {
    const { id, status } = await search(janesDownloads());
    assert.equal(status, 'succeeded');
    const { records } = await allRecords(id);
    assert.equal(records.length, 30);
    assert.ok(records.every((r) => r.userPrincipalName === 'janed@contoso.com' && r.userId === 'janed@contoso.com'), "none of Alex's");
    const count = (operation: string) => records.filter((r) => r.operation === operation).length;
    assert.deepEqual([count('FileDownloaded'), count('FileSyncDownloadedFull'), count('FileAccessed')], [10, 20, 0]);
    assert.ok(records.every((r) => Date.parse(r.createdDateTime) >= Date.now() - 30 * DAY_MS), 'not the one from 40 days ago');
    const times = records.map((r) => r.createdDateTime);
    assert.deepEqual(times, [...times].sort(), 'oldest first');

    const twoNightsAgo = new Date(Date.UTC(sim.seededAt.getUTCFullYear(), sim.seededAt.getUTCMonth(), sim.seededAt.getUTCDate() - 2)).toISOString().slice(0, 10);
    const burst = records.filter((r) => r.createdDateTime >= `${twoNightsAgo}T22:10:00Z` && r.createdDateTime < `${twoNightsAgo}T22:40:00Z`);
    assert.equal(burst.length, 24);
    assert.deepEqual([...new Set(burst.map((r) => r.clientIp))], ['192.0.2.214']);
    assert.ok(burst.every((r) => r.service === 'OneDrive' && r.objectId.startsWith('https://contoso-my.sharepoint.com/personal/janed_contoso_com/Documents/Customers/')));
    const names = burst.map((r) => r.auditData.SourceFileName);
    assert.ok(names.includes('Fabrikam pricing 2027.xlsx') && names.includes('Contoso key accounts.xlsx'));
    assert.equal(new Set(names).size, 22, 'two files taken twice');
    const everyday = records.filter((r) => !burst.includes(r));
    assert.deepEqual([...new Set(everyday.map((r) => r.clientIp))], ['198.51.100.23'], 'the rest from the office');

    const fabrikam = burst.find((r) => r.auditData.SourceFileName === 'Fabrikam pricing 2027.xlsx')!;
    assert.deepEqual(
      [fabrikam.auditLogRecordType, fabrikam.organizationId, fabrikam.userType, fabrikam.administrativeUnits, fabrikam.objectId],
      ['sharePointFileOperation', sim.state.tenantId, 'regular', [], 'https://contoso-my.sharepoint.com/personal/janed_contoso_com/Documents/Customers/Fabrikam pricing 2027.xlsx'],
    );
    assert.equal(fabrikam.auditData['@odata.type'], '#microsoft.graph.security.defaultAuditData');
    assert.equal(fabrikam.auditData.SiteUrl, 'https://contoso-my.sharepoint.com/personal/janed_contoso_com/');
    assert.equal(typeof fabrikam.auditData.UserAgent, 'string');
  });

  it('dates the activity from the seeding moment: the burst two nights before, 22:10 to 22:40 UTC, and one download 40 days before', async () => {
    await sim.close();
    sim = await startSimTenant({ seededAt: new Date('2026-03-01T00:00:01Z'), seed: (contoso) => ({ ...contoso, auditSearchSeconds: searchSeconds }) });
    const downloads = { ...janesDownloads(), filterEndDateTime: '2026-03-01T00:00:01Z' };
    const month = await search({ ...downloads, filterStartDateTime: '2026-01-30T00:00:01Z' });
    const { records } = await allRecords(month.id);
    assert.equal(records.length, 30);
    const burst = records.filter((r) => r.clientIp === '192.0.2.214').map((r) => r.createdDateTime);
    assert.deepEqual([burst.length, burst[0], burst[burst.length - 1]], [24, '2026-02-27T22:10:04Z', '2026-02-27T22:38:49Z']);
    const longer = await search({ ...downloads, filterStartDateTime: '2026-01-15T00:00:00Z' });
    const older = (await allRecords(longer.id)).records.filter((r) => !records.some((m) => m.id === r.id));
    assert.deepEqual(older.map((r) => [r.createdDateTime, r.operation, r.auditData.SourceFileName]), [['2026-01-20T10:02:33Z', 'FileDownloaded', 'Price book 2025.xlsx']]);
  });

  it('reads the user and operation filters whatever their case, and leaves out only what they exclude', async () => {
    const mixedCase = await search({ ...janesDownloads(), userPrincipalNameFilters: ['JaneD@Contoso.com'], operationFilters: ['filedownloaded', 'FILESYNCDOWNLOADEDFULL'] });
    assert.equal((await allRecords(mixedCase.id)).records.length, 30);

    const everyone = await search({ ...lastMonth(), operationFilters: ['FileDownloaded'] });
    const byUser = (await allRecords(everyone.id)).records.map((r) => r.userPrincipalName);
    assert.deepEqual([byUser.filter((u) => u === 'janed@contoso.com').length, byUser.filter((u) => u === 'alexw@contoso.com').length], [10, 2]);

    const oneDriveOnly = await search({ ...janesDownloads(), serviceFilters: ['OneDrive'] });
    assert.equal((await allRecords(oneDriveOnly.id)).records.length, 26);
    const otherRecordType = await search({ ...janesDownloads(), recordTypeFilters: ['exchangeItem'] });
    assert.equal((await allRecords(otherRecordType.id)).records.length, 0);
  });

  it('pages the records by $top through @odata.nextLink to the same records, and refuses $top above 1000', async () => {
    const { id } = await search(janesDownloads());
    const whole = await allRecords(id);
    assert.deepEqual(whole.pages, [30], '150 a page by default');
    const paged = await allRecords(id, '?$top=7');
    assert.deepEqual(paged.pages, [7, 7, 7, 7, 2]);
    assert.deepEqual(paged.records.map((r) => r.id), whole.records.map((r) => r.id));
    assert.equal((await graph(sim, `${QUERIES}/${id}/records?$top=1000`, { token })).status, 200);
    const tooMany = await graph(sim, `${QUERIES}/${id}/records?$top=1001`, { token });
    assert.equal(tooMany.status, 400);
  });

  it('ends failed when the tenant says searches fail, with no records', async () => {
    await sim.close();
    await start({ auditSearchOutcome: 'failed' });
    const { id, status } = await search(janesDownloads());
    assert.equal(status, 'failed');
    assert.deepEqual((await allRecords(id)).records, []);
  });

  it('answers 403 to a token without any AuditLogsQuery permission, and creates nothing', async () => {
    const without = await tokenWith([], [SHAREPOINT, ONEDRIVE]);
    const refused = await create(janesDownloads(), without);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'Authorization_RequestDenied');
    assert.equal((await graph(sim, QUERIES, { token: without })).status, 403);
    assert.deepEqual(sim.state.auditLogQueries, []);

    const { id } = await search(janesDownloads());
    assert.equal((await read(id, without)).status, 403);
    assert.equal((await graph(sim, `${QUERIES}/${id}/records`, { token: without })).status, 403);
  });

  it('hands a token with only the SharePoint permission the SharePoint records, none of OneDrive', async () => {
    const sharePointOnly = await tokenWith([SHAREPOINT], [ONEDRIVE]);
    const { id } = await search(janesDownloads(), sharePointOnly);
    const { records } = await allRecords(id, '', sharePointOnly);
    assert.equal(records.length, 4, 'her downloads from the Sales site');
    assert.ok(records.every((r) => r.service === 'SharePoint'));
    assert.equal((await allRecords(id, '', await tokenWith(['AuditLogsQuery.Read.All'], [SHAREPOINT, ONEDRIVE]))).records.length, 30, 'AuditLogsQuery.Read.All reads every service');
  });

  it('answers 404 to a query id it does not know', async () => {
    const unknown = '5b0d3c7e-0000-4000-8000-000000000000';
    for (const path of [`${QUERIES}/${unknown}`, `${QUERIES}/${unknown}/records`]) {
      const answer = await graph(sim, path, { token });
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.error.code, 'ResourceNotFound');
    }
  });
});
