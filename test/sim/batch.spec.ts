/**
 * JSON batching against the simulated tenant: each sub-request takes the same path as a
 * top-level call (faults, throttling, routes, call log), the batch answers 200 with a status per
 * request, dependsOn runs in order and a failed dependency gives 424.
 */
import assert from 'node:assert/strict';
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  HTTPMessageHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph, type SimAnswer } from './sim-fetch';

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function batch(sim: SimTenant, requests: SubRequest[], token?: string | null): Promise<SimAnswer> {
  return graph(sim, '/$batch', { method: 'POST', body: { requests }, token });
}

function response(answer: SimAnswer, id: string) {
  const found = answer.body.responses.find((r: { id: string }) => r.id === id);
  assert.ok(found, `no response for request ${id}`);
  return found;
}

/** Inner headers are a plain JSON object; clients read them without regard to case, as HTTP does. */
function innerHeader(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

const patchJobTitle = (id: string, userId: string, jobTitle: string): SubRequest => ({
  id, method: 'PATCH', url: `/users/${userId}`, headers: JSON_HEADERS, body: { jobTitle },
});

describe('sim tenant: JSON $batch', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  it('answers a batch of three reads with each one’s status and body, logging each as a call', async () => {
    const answer = await batch(sim, [
      { id: '1', method: 'GET', url: `/users/${SEED_IDS.jane}?$select=id,displayName` },
      { id: '2', method: 'GET', url: `users/alexw@contoso.com/manager` },
      { id: '3', method: 'GET', url: '/users/nobody@contoso.com' },
    ]);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.responses.map((r: { id: string }) => r.id), ['1', '2', '3']);
    const jane = response(answer, '1');
    assert.equal(jane.status, 200);
    assert.deepEqual([jane.body.id, jane.body.displayName], [SEED_IDS.jane, 'Jane Doe']);
    assert.match(innerHeader(jane.headers, 'content-type') ?? '', /^application\/json/);
    assert.equal(response(answer, '2').body.id, SEED_IDS.lynne);
    const missing = response(answer, '3');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'Request_ResourceNotFound');

    const subCalls = sim.calls.filter((c) => c.path !== '/v1.0/$batch');
    assert.deepEqual(subCalls.map((c) => [c.method, c.status]), [['GET', 200], ['GET', 200], ['GET', 404]]);
    assert.equal(subCalls[0].query.$select, 'id,displayName');
    assert.equal(new Set(sim.calls.map((c) => c.requestId)).size, 4, 'each sub-request has its own request-id');
    assert.equal(missing.body.error.innerError['request-id'], subCalls[2].requestId);
  });

  it('refuses more than 20 requests with 400 in Graph’s error shape, running none of them', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => patchJobTitle(String(i + 1), SEED_IDS.jane, `Title ${i}`));
    const refused = await batch(sim, requests);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'BadRequest');
    assert.match(refused.body.error.message, /20/);
    assert.ok(refused.body.error.innerError['request-id']);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.jobTitle, 'Sales Associate');
    assert.deepEqual(sim.calls.map((c) => c.path), ['/v1.0/$batch']);

    const twenty = await batch(sim, requests.slice(0, 20));
    assert.equal(twenty.status, 200);
    assert.equal(twenty.body.responses.length, 20);
  });

  it('answers 200 when the third write is throttled: inner 429 with its own Retry-After, the others applied', async () => {
    sim.faults.add({ method: 'PATCH', path: new RegExp(`/users/${SEED_IDS.megan}$`), status: 429, retryAfterSeconds: 7 });
    const answer = await batch(sim, [
      patchJobTitle('1', SEED_IDS.jane, 'Leaver'),
      patchJobTitle('2', SEED_IDS.alex, 'Interim Sales Manager'),
      patchJobTitle('3', SEED_IDS.megan, 'Should not stick'),
      patchJobTitle('4', SEED_IDS.adele, 'Security Lead'),
    ]);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.responses.map((r: { status: number }) => r.status), [204, 204, 429, 204]);
    const throttled = response(answer, '3');
    assert.equal(innerHeader(throttled.headers, 'retry-after'), '7');
    assert.equal(throttled.body.error.code, 'TooManyRequests');

    const users = sim.state.users;
    assert.equal(users.get(SEED_IDS.jane)!.jobTitle, 'Leaver');
    assert.equal(users.get(SEED_IDS.alex)!.jobTitle, 'Interim Sales Manager');
    assert.equal(users.get(SEED_IDS.megan)!.jobTitle, 'Security Manager');
    assert.equal(users.get(SEED_IDS.adele)!.jobTitle, 'Security Lead');
    const writes = sim.calls.filter((c) => c.method === 'PATCH');
    assert.deepEqual(writes.map((c) => c.status), [204, 204, 429, 204]);
    assert.deepEqual(writes[0].body, { jobTitle: 'Leaver' });
  });

  it('runs dependsOn in order and fails a request whose dependency failed with 424, without running it', async () => {
    const answer = await batch(sim, [
      { id: 'a', method: 'GET', url: '/users/nobody@contoso.com' },
      { ...patchJobTitle('b', SEED_IDS.jane, 'Leaver'), dependsOn: ['a'] },
      { ...patchJobTitle('c', SEED_IDS.alex, 'Cascaded'), dependsOn: ['b'] },
      { id: 'd', method: 'GET', url: `/users/${SEED_IDS.jane}` },
      { ...patchJobTitle('e', SEED_IDS.adele, 'Ran'), dependsOn: ['d'] },
    ]);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]), [
      ['a', 404], ['b', 424], ['c', 424], ['d', 200], ['e', 204],
    ]);
    assert.ok(response(answer, 'b').body.error.code);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.jobTitle, 'Sales Associate');
    assert.equal(sim.state.users.get(SEED_IDS.alex)!.jobTitle, 'IT Administrator');
    assert.equal(sim.state.users.get(SEED_IDS.adele)!.jobTitle, 'Ran');
    assert.equal(sim.calls.filter((c) => c.method === 'PATCH').length, 1, 'requests failed by a dependency are never run');
  });

  it('refuses a body without Content-Type, duplicate ids and a dependency on a later request with 400', async () => {
    const noType = await batch(sim, [{ id: '1', method: 'PATCH', url: `/users/${SEED_IDS.jane}`, body: { jobTitle: 'x' } }]);
    assert.equal(noType.status, 400);
    assert.match(noType.body.error.message, /Content-Type/);
    const duplicate = await batch(sim, [
      { id: '1', method: 'GET', url: '/users' },
      { id: '1', method: 'GET', url: '/groups' },
    ]);
    assert.equal(duplicate.status, 400);
    const later = await batch(sim, [
      { id: '1', method: 'GET', url: '/users', dependsOn: ['2'] },
      { id: '2', method: 'GET', url: '/groups' },
    ]);
    assert.equal(later.status, 400);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.jobTitle, 'Sales Associate');
  });

  it('keeps a password reset inside a batch out of the call log, for the batch and the sub-request', async () => {
    const password = 'Temp-Pa55word!-batch';
    const answer = await batch(sim, [{
      id: 'reset', method: 'PATCH', url: `/users/${SEED_IDS.jane}`, headers: JSON_HEADERS,
      body: { passwordProfile: { password, forceChangePasswordNextSignIn: true } },
    }]);
    assert.equal(response(answer, 'reset').status, 204);
    assert.deepEqual(sim.calls.map((c) => c.path), [`/v1.0/users/${SEED_IDS.jane}`, '/v1.0/$batch']);
    assert.ok(!JSON.stringify(sim.calls).includes(password));
    assert.ok(JSON.stringify(sim.calls).includes('[redacted]'));
  });

  it('needs the bearer on the batch; sub-requests inherit it', async () => {
    const anonymous = await batch(sim, [{ id: '1', method: 'GET', url: '/users' }], null);
    assert.equal(anonymous.status, 401);
    const authorised = await batch(sim, [{ id: '1', method: 'GET', url: '/users' }]);
    assert.equal(response(authorised, '1').status, 200);
  });

  it('drops the connection of the whole call only: a reset fault on a sub-request’s path stays armed', async () => {
    sim.faults.add({ path: /\/users\//, reset: true });
    const answer = await batch(sim, [{ id: '1', method: 'GET', url: `/users/${SEED_IDS.jane}` }]);
    assert.equal(response(answer, '1').status, 200);
    assert.equal(sim.faults.pending, 1);
    await assert.rejects(graph(sim, `/users/${SEED_IDS.jane}`));
  });

  it('serves graph-client’s BatchRequestContent and BatchResponseContent', async () => {
    const bearer: Middleware & { next?: Middleware } = {
      async execute(context: Context) {
        const headers = new Headers(context.options?.headers as HeadersInit | undefined);
        headers.set('Authorization', `Bearer ${await simulatedTenantToken.getToken()}`);
        context.options = { ...context.options, headers: Object.fromEntries(headers) };
        await this.next!.execute(context);
      },
      setNext(next: Middleware) {
        this.next = next;
      },
    };
    bearer.setNext!(new HTTPMessageHandler());
    const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: `${sim.url}/`, defaultVersion: 'v1.0' });
    const content = new BatchRequestContent([
      { id: 'read', request: new Request(`${sim.graphBaseUrl}/users/${SEED_IDS.jane}`, { method: 'GET' }) },
      {
        id: 'block',
        request: new Request(`${sim.graphBaseUrl}/users/${SEED_IDS.jane}`, {
          method: 'PATCH',
          body: JSON.stringify({ accountEnabled: false }),
          headers: { 'content-type': 'application/json' },
        }),
        dependsOn: ['read'],
      },
    ]);
    const raw = await client.api('/$batch').post(await content.getContent());
    const responses = new BatchResponseContent(raw);
    assert.equal(responses.getResponseById('read').status, 200);
    assert.equal(responses.getResponseById('block').status, 204);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, false);
  });
});
