/**
 * The simulated tenant's throttling models, over real HTTP: each bucket refuses at its limit with
 * Graph's 429 and a Retry-After, and admits again once the clock has moved on. Time is a test
 * clock, so no test waits out a window.
 */
import assert from 'node:assert/strict';
import { Graph } from '../../src/m365/graph';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant, type SimTenantOptions } from '../../src/sim/server';
import { directoryResourceUnits } from '../../src/sim/throttling/directory';
import { DOCUMENTED_LIMITS, type TenantLimits } from '../../src/sim/throttling/limits';
import { sharePointResourceUnits } from '../../src/sim/throttling/sharepoint';
import { graph, type SimAnswer } from './sim-fetch';

const jane = SEED_IDS.jane;
const janePath = `/users/${jane}`;
const rulesOf = (user: string) => `/users/${user}/mailFolders/inbox/messageRules`;

function assertThrottled(answer: SimAnswer, retryAfter: number, code = 'TooManyRequests'): void {
  assert.equal(answer.status, 429, `expected 429, got ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error.code, code);
  assert.ok(answer.body.error.innerError['request-id']);
  assert.equal(answer.headers.get('retry-after'), String(retryAfter));
}

function assertAdmitted(answer: SimAnswer): void {
  assert.notEqual(answer.status, 429, `throttled: ${JSON.stringify(answer.body)}`);
  assert.ok(answer.status < 400, `expected success, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

const cost = (method: string, path: string) => {
  const url = new URL(`http://sim/v1.0/${path}`);
  return { method, segments: url.pathname.split('/').slice(2).map(decodeURIComponent), query: url.searchParams };
};

describe('sim tenant: throttling models', () => {
  let sim: SimTenant | undefined;
  let now = 0;
  const clock = () => now;
  const advanceSeconds = (seconds: number) => {
    now += seconds * 1000;
  };
  async function tenant(limits: TenantLimits, extra: SimTenantOptions = {}): Promise<SimTenant> {
    sim = await startSimTenant({ limits, clock, ...extra });
    return sim;
  }
  beforeEach(() => {
    now = 1_700_000_000_000;
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('is off by default: sixty writes in a row all pass', async () => {
    const open = await startSimTenant();
    sim = open;
    for (let i = 0; i < 60; i++) assertAdmitted(await graph(open, janePath, { method: 'PATCH', body: { jobTitle: `t${i}` } }));
    assert.deepEqual(open.throttling.limits, {});
  });

  it('directory writes: refuses the write past the quota, reads go on, and admits again after Retry-After', async () => {
    const t = await tenant({ directoryWrites: { max: 2, windowSeconds: 10 } });
    const patch = (title: string) => graph(t, janePath, { method: 'PATCH', body: { jobTitle: title } });
    assertAdmitted(await patch('one'));
    assertAdmitted(await patch('two'));
    const refused = await patch('three');
    // 2 writes per 10 s come back at one every 5 s.
    assertThrottled(refused, 5);
    assert.equal(refused.headers.get('x-ms-throttle-information'), 'WriteLimitExceeded');
    assert.equal(t.state.users.get(jane)!.jobTitle, 'two', 'a refused write changes nothing');
    assertAdmitted(await graph(t, janePath));
    advanceSeconds(4);
    assertThrottled(await patch('still early'), 1);
    advanceSeconds(1);
    assertAdmitted(await patch('four'));
    advanceSeconds(10);
    assertAdmitted(await patch('five'));
    assertAdmitted(await patch('six'));
    assert.equal((await patch('seven')).status, 429);
  });

  it('keeps the older writeLimit option working', async () => {
    const t = await tenant({}, { writeLimit: { maxWrites: 1, windowSeconds: 60 } });
    assertAdmitted(await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'a' } }));
    assertThrottled(await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'b' } }), 60);
  });

  it('prices directory calls in resource units as Microsoft’s table does', () => {
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}`)), 1);
    assert.equal(directoryResourceUnits(cost('GET', 'users')), 2);
    assert.equal(directoryResourceUnits(cost('GET', 'users?$select=id')), 1);
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}/memberOf`)), 2);
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}/ownedObjects`)), 2);
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}/licenseDetails`)), 2);
    assert.equal(directoryResourceUnits(cost('GET', 'subscribedSkus')), 3);
    assert.equal(directoryResourceUnits(cost('GET', `groups/${SEED_IDS.hrGroup}/members`)), 3);
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}?$expand=manager`)), 2);
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}?$select=id&$expand=manager`)), 1);
    assert.equal(directoryResourceUnits(cost('GET', `users/${jane}?$select=id`)), 1, 'never below 1');
    assert.equal(directoryResourceUnits(cost('PATCH', `users/${jane}`)), 1);
  });

  it('directory read units: spends the bucket by cost, counts writes too, refuses past it and refills', async () => {
    const t = await tenant({ directoryReadUnits: { max: 10, windowSeconds: 10 } });
    assertAdmitted(await graph(t, '/subscribedSkus')); // 3
    assertAdmitted(await graph(t, `/groups/${SEED_IDS.hrGroup}/members`)); // 3
    assertAdmitted(await graph(t, '/users')); // 2
    assertAdmitted(await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'x' } })); // 1
    assertAdmitted(await graph(t, `${janePath}?$select=id`)); // 1: the bucket is now empty
    const refused = await graph(t, `${janePath}?$select=id`);
    assertThrottled(refused, 1);
    assert.equal(refused.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
    advanceSeconds(1);
    assertAdmitted(await graph(t, `${janePath}?$select=id`));
    // A 3-unit call needs 3 units back: three seconds at 1 unit/s.
    assertThrottled(await graph(t, '/subscribedSkus'), 3);
    advanceSeconds(3);
    assertAdmitted(await graph(t, '/subscribedSkus'));
  });

  it('sign-in and audit reports: 5 calls per 10 s, then 429 until a call’s worth has come back', async () => {
    const t = await tenant({ reports: { max: 5, windowSeconds: 10 } });
    const signIns = () => graph(t, `/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${jane}'`)}`);
    for (let i = 0; i < 5; i++) assert.notEqual((await signIns()).status, 429);
    assertThrottled(await signIns(), 2);
    assertAdmitted(await graph(t, janePath)); // the directory is another service
    advanceSeconds(2);
    assert.notEqual((await signIns()).status, 429);
    assert.equal((await signIns()).status, 429);
  });

  it('Outlook: a 5th concurrent call on one mailbox gets MailboxConcurrency 429; other mailboxes go on', async () => {
    const t = await tenant({ outlook: { concurrent: 4, requests: { max: 10_000, windowSeconds: 600 } } });
    // Hold four answers back, so four calls stay in flight on Jane's mailbox.
    t.faults.add({ path: /\/messageRules$/, latencyMs: 400, times: 4 });
    const held = Array.from({ length: 4 }, () => graph(t, rulesOf(jane)));
    while (t.faults.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // By UPN: the same mailbox.
    const fifth = await graph(t, rulesOf('janed@contoso.com'));
    assertThrottled(fifth, 1, 'ApplicationThrottled');
    assert.match(fifth.body.error.message, /MailboxConcurrency/);
    assert.notEqual((await graph(t, rulesOf(SEED_IDS.alex))).status, 429, 'another mailbox is not held back');
    for (const answer of await Promise.all(held)) assertAdmitted(answer);
    assertAdmitted(await graph(t, rulesOf(jane)));
  });

  it('Outlook: refuses past the per-mailbox request quota and admits after Retry-After', async () => {
    const t = await tenant({ outlook: { concurrent: 4, requests: { max: 3, windowSeconds: 600 } } });
    for (let i = 0; i < 3; i++) assertAdmitted(await graph(t, rulesOf(jane)));
    // 3 per 600 s: one comes back every 200 s.
    assertThrottled(await graph(t, rulesOf(jane)), 200);
    assert.notEqual((await graph(t, `/users/${SEED_IDS.alex}/mailboxSettings`)).status, 429);
    advanceSeconds(200);
    assertAdmitted(await graph(t, rulesOf(jane)));
  });

  it('Intune: writes and all calls have their own buckets', async () => {
    const t = await tenant({ intune: { writes: { max: 2, windowSeconds: 20 }, any: { max: 4, windowSeconds: 20 } } });
    const retire = (device: string) => graph(t, `/deviceManagement/managedDevices/${device}/retire`, { method: 'POST' });
    assertAdmitted(await retire(SEED_IDS.janeLaptop));
    assertAdmitted(await retire(SEED_IDS.janePhone));
    // 2 writes per 20 s: one back every 10 s.
    assertThrottled(await retire(SEED_IDS.janeLaptop), 10);
    assertAdmitted(await graph(t, `${janePath}/managedDevices`));
    assertAdmitted(await graph(t, `${janePath}/managedDevices`));
    // 4 calls per 20 s: one back every 5 s.
    assertThrottled(await graph(t, `${janePath}/managedDevices`), 5);
    assertAdmitted(await graph(t, janePath));
    advanceSeconds(10);
    assertAdmitted(await retire(SEED_IDS.janeLaptop));
  });

  it('prices SharePoint calls: a single item 1, a collection or a write 2, a permission operation 5', () => {
    const drive = SEED_IDS.janeDrive;
    assert.equal(sharePointResourceUnits(cost('GET', `users/${jane}/drive`)), 1);
    assert.equal(sharePointResourceUnits(cost('GET', `drives/${drive}/root/children`)), 2);
    assert.equal(sharePointResourceUnits(cost('POST', `drives/${drive}/items/root/invite`)), 5);
    assert.equal(sharePointResourceUnits(cost('GET', `drives/${drive}/items/root/permissions`)), 5);
    assert.equal(sharePointResourceUnits(cost('DELETE', `drives/${drive}/items/x/permissions/y`)), 5);
    assert.equal(sharePointResourceUnits(cost('GET', `drives/${drive}/items/x?$expand=permissions`)), 5);
  });

  it('SharePoint: permission operations use up the resource units five at a time', async () => {
    const t = await tenant({ sharePoint: { max: 10, windowSeconds: 60 } });
    const drive = SEED_IDS.janeDrive;
    assertAdmitted(await graph(t, `${janePath}/drive`)); // 1
    const invite = () =>
      graph(t, `/drives/${drive}/items/root/invite`, {
        method: 'POST',
        body: { recipients: [{ email: 'alexw@contoso.com' }], roles: ['write'], requireSignIn: true, sendInvitation: false },
      });
    assertAdmitted(await invite()); // 5: 4 units left
    const refused = await invite();
    // 10 units per 60 s: one back every 6 s, and one more is needed.
    assertThrottled(refused, 6, 'activityLimitReached');
    advanceSeconds(6);
    assertAdmitted(await invite());
  });

  it('counts batch sub-requests against the buckets: the third write of a batch is an inner 429', async () => {
    const t = await tenant({ directoryWrites: { max: 2, windowSeconds: 10 } });
    const patch = (id: string, user: string, jobTitle: string) => ({
      id, method: 'PATCH', url: `/users/${user}`, headers: { 'Content-Type': 'application/json' }, body: { jobTitle },
    });
    const answer = await graph(t, '/$batch', {
      method: 'POST',
      body: { requests: [patch('1', jane, 'Leaver'), patch('2', SEED_IDS.alex, 'Acting'), patch('3', SEED_IDS.adele, 'Never')] },
    });
    assert.equal(answer.status, 200);
    const [first, second, third] = answer.body.responses;
    assert.deepEqual([first.status, second.status, third.status], [204, 204, 429]);
    assert.equal(third.headers['Retry-After'], '5');
    assert.equal(third.body.error.code, 'TooManyRequests');
    assert.equal(t.state.users.get(jane)!.jobTitle, 'Leaver');
    assert.equal(t.state.users.get(SEED_IDS.adele)!.jobTitle, 'Security Analyst');
    // The bucket the batch drained refuses a top-level write too.
    assert.equal((await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'x' } })).status, 429);
  });

  it('Outlook in a batch: sub-requests run one at a time, yet meet the slots top-level calls hold', async () => {
    const t = await tenant({ outlook: { concurrent: 4, requests: { max: 10_000, windowSeconds: 600 } } });
    const rules = (id: string) => ({ id, method: 'GET', url: rulesOf(jane) });
    const six = await graph(t, '/$batch', { method: 'POST', body: { requests: ['1', '2', '3', '4', '5', '6'].map(rules) } });
    assert.deepEqual(six.body.responses.map((r: { status: number }) => r.status), [200, 200, 200, 200, 200, 200]);

    t.faults.add({ path: /\/messageRules$/, method: 'GET', latencyMs: 400, times: 4 });
    const held = Array.from({ length: 4 }, () => graph(t, rulesOf(jane)));
    while (t.faults.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const busy = await graph(t, '/$batch', { method: 'POST', body: { requests: [rules('1')] } });
    assert.equal(busy.status, 200);
    assert.equal(busy.body.responses[0].status, 429);
    assert.equal(busy.body.responses[0].body.error.code, 'ApplicationThrottled');
    await Promise.all(held);
  });

  it('turns limits on and off at run time through /_sim/limits', async () => {
    const t = await startSimTenant();
    sim = t;
    const put = (body: unknown) => fetch(`${t.url}/_sim/limits`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await put({ directoryWrites: { max: 1, windowSeconds: 60 } })).status, 204);
    assertAdmitted(await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'a' } }));
    assert.equal((await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'b' } })).status, 429);
    assert.equal((await fetch(`${t.url}/_sim/limits`, { method: 'DELETE' })).status, 204);
    assertAdmitted(await graph(t, janePath, { method: 'PATCH', body: { jobTitle: 'c' } }));

    assert.equal((await put({ preset: 'documented' })).status, 204);
    const shown = await (await fetch(`${t.url}/_sim/limits`)).json();
    assert.deepEqual(shown, DOCUMENTED_LIMITS);
    assert.equal((await put({ directoryWrites: { max: 0 } })).status, 400);
    assert.equal((await put({ mailboxes: {} })).status, 400);
  });

  it('lets graph-client’s RetryHandler wait out a bucket’s Retry-After and succeed', async () => {
    // Real time here: RetryHandler sleeps for the Retry-After it is given (1 s).
    const t = await startSimTenant({ limits: { directoryWrites: { max: 1, windowSeconds: 1 } } });
    sim = t;
    const client = Graph.connect({ baseUrl: t.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 2 });
    await client.send('PATCH', janePath, { jobTitle: 'first' });
    const second = await client.send('PATCH', janePath, { jobTitle: 'second' });
    assert.equal(second.status, 204);
    assert.equal(t.state.users.get(jane)!.jobTitle, 'second');
    assert.deepEqual(t.calls.map((c) => c.status), [204, 429, 204]);
  });
});
