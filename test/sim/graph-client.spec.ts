/**
 * The sim seen through @microsoft/microsoft-graph-client, the client production code uses.
 *
 * graph-client's AuthenticationHandler only attaches the token to https URLs of known Graph hosts
 * or customHosts, and strips it otherwise, so against the plain-http sim a client needs its own
 * bearer middleware. Adding that middleware is harmless against real Graph too.
 */
import assert from 'node:assert/strict';
import {
  Client,
  GraphError,
  HTTPMessageHandler,
  PageIterator,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

class AppBearerToken implements Middleware {
  private next?: Middleware;

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as HeadersInit | undefined);
    headers.set('Authorization', `Bearer ${await simulatedTenantToken.getToken()}`);
    options.headers = Object.fromEntries(headers);
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function clientFor(sim: SimTenant): Client {
  return Client.initWithMiddleware({
    baseUrl: `${sim.url}/`,
    middleware: [new AppBearerToken(), new RetryHandler(new RetryHandlerOptions(1, 3)), new HTTPMessageHandler()],
  });
}

async function graphError(call: Promise<unknown>): Promise<GraphError> {
  const error = await call.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
  return error;
}

describe('sim tenant through @microsoft/microsoft-graph-client', () => {
  let sim: SimTenant;
  let client: Client;
  beforeEach(async () => {
    sim = await startSimTenant();
    client = clientFor(sim);
  });
  afterEach(() => sim.close());

  it('gets no token from Client.init on a plain-http base URL, and says so with a 401', async () => {
    const defaultClient = Client.init({ baseUrl: `${sim.url}/`, authProvider: (done) => done(null, 'sim-token') });
    const error = await graphError(defaultClient.api(`/users/${SEED_IDS.jane}`).get());
    assert.equal(error.statusCode, 401);
    assert.equal(error.code, 'InvalidAuthenticationToken');
  });

  it("finds Conor O'Brien with an escaped filter and reports an unescaped one as a 400", async () => {
    const found = await client.api('/users').filter("displayName eq 'Conor O''Brien'").select('id,displayName').get();
    assert.deepEqual(found.value, [{ id: SEED_IDS.conor, displayName: "Conor O'Brien" }]);

    const error = await graphError(client.api('/users').filter("displayName eq 'Conor O'Brien'").get());
    assert.equal(error.statusCode, 400);
    assert.equal(error.code, 'BadRequest');
    assert.match(error.message, /^Invalid filter clause/);
  });

  it('searches with ConsistencyLevel: eventual and counts', async () => {
    const found = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .search('"displayName:daniel" OR "mail:daniel"')
      .count(true)
      .select('displayName')
      .get();
    assert.equal(found['@odata.count'], 2);
    assert.deepEqual(
      found.value.map((u: { displayName: string }) => u.displayName),
      ['Daniel Brown', 'Daniel Green'],
    );
  });

  it('blocks sign-in with patch and reads the change back', async () => {
    const answer = await client.api(`/users/${SEED_IDS.jane}`).patch({ accountEnabled: false });
    assert.equal(answer, undefined);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, false);
    const jane = await client
      .api('/users/janed@contoso.com')
      .select('id,accountEnabled')
      .expand('manager($select=id,displayName)')
      .get();
    assert.equal(jane.accountEnabled, false);
    assert.equal(jane.manager.displayName, 'Alex Wilber');
  });

  it('surfaces an unknown user as GraphError 404 Request_ResourceNotFound with the request-id', async () => {
    const error = await graphError(client.api('/users/ghost@contoso.com').get());
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, 'Request_ResourceNotFound');
    assert.equal(error.requestId, sim.calls.at(-1)!.requestId);
  });

  it('retries a 429 after Retry-After through RetryHandler, then succeeds', async () => {
    sim.faults.add({ path: /\/revokeSignInSessions$/, status: 429, times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const answer = await client.api(`/users/${SEED_IDS.jane}/revokeSignInSessions`).post({});
    assert.equal(answer.value, true);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.deepEqual(
      sim.calls.map((c) => c.status),
      [429, 200],
    );
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1);
  });

  it('pages through every user with PageIterator', async () => {
    const names: string[] = [];
    const first = await client.api('/users').top(4).select('displayName').get();
    await new PageIterator(client, first, (user: { displayName: string }) => {
      names.push(user.displayName);
      return true;
    }).iterate();
    assert.equal(names.length, sim.state.users.size);
    assert.equal(new Set(names).size, names.length);
  });
});
