import assert from 'node:assert/strict';
import { simulatedExchangeToken } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { M365Error } from '../../src/m365/m365-error';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

describe('the Exchange admin REST client against the simulated tenant', () => {
  let sim: SimTenant;
  let exchange: Exchange;
  const waits: number[] = [];
  const connect = () =>
    new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedExchangeToken, sleep: async (ms) => void waits.push(ms) });
  beforeEach(async () => {
    waits.length = 0;
    sim = await startSimTenant({ seed: (s) => ({ ...s, exchangePageSize: 4 }) });
    exchange = connect();
  });
  afterEach(() => sim.close());

  it('runs a cmdlet through InvokeCommand with the anchor mailbox and returns its objects with the request-id', async () => {
    const res = await exchange.invoke<{ RecipientTypeDetails: string; ForwardingSmtpAddress: string }>('Get-Mailbox', { Identity: 'janed@contoso.com' });
    assert.equal(res.value[0].RecipientTypeDetails, 'UserMailbox');
    assert.equal(res.value[0].ForwardingSmtpAddress, 'smtp:jdoe.consulting@outlook.com');
    const call = sim.calls.at(-1)!;
    assert.equal(call.path, `/adminapi/beta/${SEED_IDS.tenant}/InvokeCommand`);
    assert.deepEqual(call.body, { CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { Identity: 'janed@contoso.com' } } });
    assert.deepEqual(res.requestIds, [call.requestId]);
  });

  it('follows @odata.nextLink by posting the same command again, until every mailbox is read', async () => {
    const res = await exchange.invoke<{ UserPrincipalName: string }>('Get-Mailbox');
    const expected = [...sim.state.users.values()].filter((u) => u.mail).length;
    assert.equal(res.value.length, expected);
    assert.ok(res.requestIds.length >= 3, 'several pages were read');
    const posts = sim.calls.filter((c) => c.path.endsWith('/InvokeCommand'));
    assert.ok(posts.every((c) => (c.body as { CmdletInput: { CmdletName: string } }).CmdletInput.CmdletName === 'Get-Mailbox'));
  });

  it("maps Exchange's error for an unknown identity to M365Error with the exception's name", async () => {
    await assert.rejects(exchange.invoke('Get-Mailbox', { Identity: 'nobody@contoso.com' }), (err: unknown) => {
      assert.ok(err instanceof M365Error);
      assert.equal(err.code, 'ManagementObjectNotFoundException');
      assert.match(err.message, /Get-Mailbox failed: The operation couldn't be performed because object 'nobody@contoso\.com' couldn't be found/);
      assert.equal(err.requestId, sim.calls.at(-1)!.requestId);
      return true;
    });
  });

  it('reports an unknown parameter as Exchange does, and changes nothing', async () => {
    await assert.rejects(exchange.invoke('Set-Mailbox', { Identity: 'janed@contoso.com', Type: 'Shared', Colour: 'blue' }), (err: unknown) => {
      assert.ok(err instanceof M365Error);
      assert.equal(err.code, 'ParameterBindingException');
      assert.match(err.message, /A parameter cannot be found that matches parameter name 'Colour'/);
      return true;
    });
    assert.equal(sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!.recipientTypeDetails, 'UserMailbox');
  });

  it('waits out throttling for as long as Retry-After says, then succeeds', async () => {
    sim.faults.add({ path: /InvokeCommand\/Set-Mailbox$/, status: 429, times: 2, retryAfterSeconds: 7 });
    await exchange.invoke('Set-Mailbox', { Identity: SEED_IDS.jane, HiddenFromAddressListsEnabled: true });
    assert.deepEqual(waits, [7000, 7000]);
    assert.equal(sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!.hiddenFromAddressListsEnabled, true);
  });

  it('gives up after its retries with a transient M365Error', async () => {
    sim.faults.add({ path: /InvokeCommand/, status: 503, times: Infinity, retryAfterSeconds: 1 });
    await assert.rejects(exchange.invoke('Get-Mailbox', { Identity: SEED_IDS.jane }), (err: unknown) => err instanceof M365Error && err.status === 503 && err.transient);
    assert.equal(waits.length, 3);
  });

  it('is refused without a bearer token or for another tenant', async () => {
    const other = new Exchange({ baseUrl: sim.url, tenantId: '11111111-1111-1111-1111-111111111111', tokens: simulatedExchangeToken });
    await assert.rejects(other.invoke('Get-Mailbox'), (err: unknown) => err instanceof M365Error && err.status === 401);
    const res = await fetch(`${sim.url}/adminapi/beta/${SEED_IDS.tenant}/InvokeCommand`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 401);
  });
});
