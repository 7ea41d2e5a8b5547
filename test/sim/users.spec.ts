import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EVENTUAL, graph, q } from './sim-fetch';

describe('sim tenant: finding people', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const names = (body: { value: Array<{ displayName: string }> }) => body.value.map((u) => u.displayName);

  it('has the Playground people with their Entra ids and UPNs', async () => {
    const { body } = await graph(sim, `/users/${SEED_IDS.alex}`);
    assert.equal(body.displayName, 'Alex Wilber');
    assert.equal(body.userPrincipalName, 'alexw@contoso.com');
    assert.equal(body.mail, 'alexw@contoso.com');
    assert.equal((await graph(sim, '/users/lynner@contoso.com')).body.id, SEED_IDS.lynne);
  });

  it('filters with eq, startswith, or/and, case-insensitively', async () => {
    const byMail = await graph(sim, `/users?$filter=${q("mail eq 'JANED@contoso.com'")}`);
    assert.deepEqual(names(byMail.body), ['Jane Doe']);
    const daniels = await graph(sim, `/users?$filter=${q("startswith(displayName,'daniel')")}`);
    assert.deepEqual(names(daniels.body), ['Daniel Brown', 'Daniel Green']);
    const either = await graph(sim, `/users?$filter=${q("givenName eq 'Jane' or (surname eq 'Green' and givenName eq 'Daniel')")}`);
    assert.deepEqual(names(either.body), ['Jane Doe', 'Daniel Green']);
    const byId = await graph(sim, `/users?$filter=${q(`id in ('${SEED_IDS.megan}','${SEED_IDS.adele}')`)}`);
    assert.deepEqual(names(byId.body), ['Megan Bowen', 'Adele Vance']);
  });

  it("finds Conor O'Brien only when the quote is doubled", async () => {
    const escaped = await graph(sim, `/users?$filter=${q("displayName eq 'Conor O''Brien'")}`);
    assert.equal(escaped.status, 200);
    assert.deepEqual(names(escaped.body), ["Conor O'Brien"]);

    const raw = await graph(sim, `/users?$filter=${q("displayName eq 'Conor O'Brien'")}`);
    assert.equal(raw.status, 400);
    assert.equal(raw.body.error.code, 'BadRequest');
    assert.match(raw.body.error.message, /^Invalid filter clause/);
  });

  it('rejects malformed and unknown filters like Graph', async () => {
    for (const filter of ["displayName eq 'Jane", 'displayName eq', "displayName eq 'Jane' and", "(displayName eq 'Jane'"]) {
      const { status, body } = await graph(sim, `/users?$filter=${q(filter)}`);
      assert.equal(status, 400, filter);
      assert.match(body.error.message, /^Invalid filter clause/, filter);
    }
    const unknown = await graph(sim, `/users?$filter=${q("favouriteColour eq 'red'")}`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /Could not find a property named 'favouriteColour'/);
  });

  it('needs ConsistencyLevel: eventual for $search and then matches tokens by prefix', async () => {
    const search = q('"displayName:dan" OR "mail:dan"');
    const refused = await graph(sim, `/users?$search=${search}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'Request_UnsupportedQuery');
    assert.match(refused.body.error.message, /ConsistencyLevel: eventual/);

    const found = await graph(sim, `/users?$search=${search}&$count=true`, { headers: EVENTUAL });
    assert.deepEqual(names(found.body), ['Daniel Brown', 'Daniel Green']);
    assert.equal(found.body['@odata.count'], 2);

    const surname = await graph(sim, `/users?$search=${q('"displayName:brien"')}`, { headers: EVENTUAL });
    assert.deepEqual(names(surname.body), ["Conor O'Brien"]);
    const byMail = await graph(sim, `/users?$search=${q('"mail:jane"')}`, { headers: EVENTUAL });
    assert.deepEqual(names(byMail.body), ['Jane Doe']);
  });

  it('ignores $count=true without ConsistencyLevel, as Graph does, and serves /users/$count with it', async () => {
    const ignored = await graph(sim, '/users?$count=true');
    assert.equal(ignored.body['@odata.count'], undefined);
    assert.equal((await graph(sim, '/users/$count')).status, 400);
    const count = await graph(sim, `/users/$count?$filter=${q("department eq 'Sales'")}`, { headers: EVENTUAL });
    assert.equal(count.body, '4');
  });

  it('returns only the selected properties, and not accountEnabled by default', async () => {
    const plain = await graph(sim, `/users/${SEED_IDS.jane}`);
    assert.equal(plain.body.accountEnabled, undefined);
    assert.match(plain.body['@odata.context'], /\/v1\.0\/\$metadata#users\/\$entity$/);
    const selected = await graph(sim, `/users/${SEED_IDS.jane}?$select=id,accountEnabled`);
    assert.deepEqual(Object.keys(selected.body).sort(), ['@odata.context', 'accountEnabled', 'id']);
    assert.equal(selected.body.accountEnabled, true);
    const typo = await graph(sim, `/users/${SEED_IDS.jane}?$select=id,acountEnabled`);
    assert.equal(typo.status, 400);
    assert.match(typo.body.error.message, /'acountEnabled'/);
  });

  it('sorts with $orderby', async () => {
    const filter = q("startswith(givenName,'Daniel')");
    const { body } = await graph(sim, `/users?$filter=${filter}&$orderby=${q('surname desc')}&$select=displayName`);
    assert.deepEqual(names(body), ['Daniel Green', 'Daniel Brown']);
  });

  it('pages with $top and @odata.nextLink', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${sim.graphBaseUrl}/users?$top=4&$select=displayName`;
    while (next) {
      const page = await graph(sim, next.slice(sim.graphBaseUrl.length));
      seen.push(...names(page.body));
      next = page.body['@odata.nextLink'];
    }
    assert.equal(seen.length, sim.state.users.size);
    assert.equal((await graph(sim, '/users?$top=0')).status, 400);
  });

  it('expands the manager and answers /manager', async () => {
    const jane = await graph(sim, `/users/janed@contoso.com?$select=id,displayName&$expand=manager($select=id,displayName)`);
    assert.deepEqual(jane.body.manager, {
      '@odata.type': '#microsoft.graph.user',
      id: SEED_IDS.alex,
      displayName: 'Alex Wilber',
    });
    const alexManager = await graph(sim, `/users/${SEED_IDS.alex}/manager`);
    assert.equal(alexManager.body.displayName, 'Lynne Robbins');
    const none = await graph(sim, `/users/${SEED_IDS.lynne}/manager`);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'Request_ResourceNotFound');
  });

  it('answers an unknown user with Graph’s 404', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const { status, body } = await graph(sim, `/users/${id}`);
    assert.equal(status, 404);
    assert.equal(body.error.code, 'Request_ResourceNotFound');
    assert.equal(
      body.error.message,
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  });

  it('lists direct and transitive group memberships as groups', async () => {
    const megan = await graph(sim, `/users/${SEED_IDS.megan}/memberOf`);
    assert.deepEqual(names(megan.body), ['Offboarding Security Approvers', 'All Contoso']);
    assert.ok(megan.body.value.every((g: Record<string, unknown>) => g['@odata.type'] === '#microsoft.graph.group'));
    const transitive = await graph(sim, `/users/${SEED_IDS.megan}/transitiveMemberOf`);
    assert.equal(transitive.status, 200);
    assert.deepEqual(names(transitive.body), ['Offboarding Security Approvers', 'All Contoso']);
  });

  it('follows nested groups in transitiveMemberOf only', async () => {
    const nested = await startSimTenant({
      seed: (s) => ({
        ...s,
        groups: s.groups.map((g) =>
          g.id === SEED_IDS.itOperationsGroup ? { ...g, memberIds: [...g.memberIds, SEED_IDS.securityGroup] } : g,
        ),
      }),
    });
    try {
      const direct = await graph(nested, `/users/${SEED_IDS.megan}/memberOf`);
      assert.ok(!names(direct.body).includes('IT Operations'));
      const transitive = await graph(nested, `/users/${SEED_IDS.megan}/transitiveMemberOf`);
      assert.ok(names(transitive.body).includes('IT Operations'));
    } finally {
      await nested.close();
    }
  });
});
