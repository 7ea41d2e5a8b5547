import assert from 'node:assert/strict';
import { USER_SCHEMA } from '../../src/sim/graph/directory-objects';
import { GraphHttpError } from '../../src/sim/graph/errors';
import { compileFilter } from '../../src/sim/graph/odata-filter';
import { compileSearch, searchTokens } from '../../src/sim/graph/odata-search';

const conor = { displayName: "Conor O'Brien", mail: 'conor.obrien@contoso.com', accountEnabled: true, jobTitle: null };

function rejection(run: () => unknown): GraphHttpError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GraphHttpError);
    return error;
  }
  return assert.fail('expected a GraphHttpError');
}

describe('sim $filter', () => {
  const matches = (filter: string, entity: Record<string, unknown> = conor) =>
    compileFilter(filter, USER_SCHEMA).matches(entity);

  it('reads doubled quotes as one quote inside a literal', () => {
    assert.ok(matches("displayName eq 'Conor O''Brien'"));
    assert.ok(matches("startswith(displayName,'conor o''b')"));
    assert.ok(!matches("displayName eq 'Conor OBrien'"));
  });

  it('handles booleans, null, not, ne and precedence of and over or', () => {
    assert.ok(matches('accountEnabled eq true'));
    assert.ok(matches('jobTitle eq null'));
    assert.ok(matches("mail eq 'x' or mail eq 'y' or accountEnabled eq true and displayName ne 'x'"));
    assert.ok(!matches("(mail eq 'x' or accountEnabled eq true) and not(displayName eq 'Conor O''Brien')"));
  });

  it('marks ne and not as advanced queries', () => {
    assert.equal(compileFilter("mail eq 'x'", USER_SCHEMA).advanced, false);
    assert.equal(compileFilter("mail ne 'x'", USER_SCHEMA).advanced, true);
    assert.equal(compileFilter("not(mail eq 'x')", USER_SCHEMA).advanced, true);
  });

  it('rejects an undoubled quote, dangling operators and junk with Invalid filter clause', () => {
    for (const filter of ["displayName eq 'O'Brien'", "displayName eq 'open", 'mail eq', "mail eq 'x' or", 'mail ~ 1', '']) {
      const error = rejection(() => compileFilter(filter, USER_SCHEMA));
      assert.equal(error.status, 400, filter);
      assert.match(error.message, /^Invalid filter clause/, filter);
    }
  });

  it('rejects properties the directory cannot filter on', () => {
    const error = rejection(() => compileFilter("createdDateTime eq 'x'", USER_SCHEMA));
    assert.equal(error.code, 'Request_UnsupportedQuery');
  });
});

describe('sim $search', () => {
  it('tokenizes like Entra ID: spaces, case changes, digits and symbols', () => {
    assert.deepEqual(searchTokens('HelloWorld'), ['hello', 'world', 'helloworld']);
    assert.deepEqual(searchTokens('HELLOworld'), ['helloworld']);
    assert.deepEqual(searchTokens('hello123world'), ['hello', '123', 'world', 'hello123world']);
    assert.deepEqual(searchTokens("O'Brien"), ['o', "'", 'brien', 'obrien']);
  });

  it('matches displayName by token prefix and other properties by startsWith', () => {
    const find = (search: string) => compileSearch(search, USER_SCHEMA)(conor);
    assert.ok(find('"displayName:bri"'));
    assert.ok(find('"displayName:obrien"'));
    assert.ok(find('"displayName:brien conor"'));
    assert.ok(!find('"mail:obrien"'));
    assert.ok(find('"mail:conor.ob"'));
    assert.ok(find('"mail:zzz" OR ("displayName:con" AND "mail:conor")'));
    assert.ok(!find('"displayName:con" AND "mail:zzz"'));
  });

  it('insists on quoted property:text clauses', () => {
    assert.equal(rejection(() => compileSearch('conor', USER_SCHEMA)).status, 400);
    assert.equal(rejection(() => compileSearch('"conor"', USER_SCHEMA)).code, 'Request_UnsupportedQuery');
    assert.equal(rejection(() => compileSearch('"displayName:conor', USER_SCHEMA)).status, 400);
  });
});
