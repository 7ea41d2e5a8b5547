import assert from 'node:assert/strict';
import { simulatedExchangeToken, simulatedTenantToken } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { M365Error } from '../../src/m365/m365-error';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

describe('the simulated Exchange admin REST endpoint', () => {
  let sim: SimTenant;
  let exchange: Exchange;
  beforeEach(async () => {
    sim = await startSimTenant({
      seed: (s) => ({
        ...s,
        messageRules: [
          ...(s.messageRules ?? []),
          { id: 'AQAAAJ5dZqI=', userId: SEED_IDS.jane, displayName: '.', sequence: 3, isEnabled: true, hidden: true, conditions: {}, actions: { redirectTo: [{ emailAddress: { address: 'x@evil.example' } }] } },
        ],
      }),
    });
    exchange = new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedExchangeToken });
  });
  afterEach(() => sim.close());

  it('shows a hidden inbox rule only to Get-InboxRule -IncludeHidden, never to Graph', async () => {
    const names = async (params: Record<string, string | boolean>) =>
      (await exchange.invoke<{ Name: string }>('Get-InboxRule', { Mailbox: 'janed@contoso.com', ...params })).value.map((r) => r.Name);
    assert.deepEqual(await names({}), ['Copy everything home', 'Newsletters']);
    assert.deepEqual(await names({ IncludeHidden: true }), ['Copy everything home', 'Newsletters', '.']);
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken });
    const rules = (await graph.get<{ value: unknown[] }>(`/users/${SEED_IDS.jane}/mailFolders/inbox/messageRules`)).body.value;
    assert.equal(rules.length, 2);
  });

  it('removes a distribution list member once; the second time answers MemberNotFoundException', async () => {
    await exchange.invoke('Remove-DistributionGroupMember', { Identity: 'sales-announce@contoso.com', Member: SEED_IDS.jane, Confirm: false });
    assert.ok(!sim.state.groups.get(SEED_IDS.salesAnnouncements)!.memberIds.includes(SEED_IDS.jane));
    await assert.rejects(
      exchange.invoke('Remove-DistributionGroupMember', { Identity: SEED_IDS.salesAnnouncements, Member: SEED_IDS.jane }),
      (err: unknown) => err instanceof M365Error && err.code === 'MemberNotFoundException',
    );
  });

  it('changes a distribution list\'s owners with Set-DistributionGroup -ManagedBy @{Add; Remove}, never leaving it without one', async () => {
    const owners = () => sim.state.groups.get(SEED_IDS.salesAnnouncements)!.ownerIds;
    owners().push(SEED_IDS.jane);
    const edit = (change: { Add?: string[]; Remove?: string[] }) => ({ '@odata.type': '#Exchange.GenericHashTable' as const, ...change });
    await exchange.invoke('Set-DistributionGroup', { Identity: SEED_IDS.salesAnnouncements, ManagedBy: edit({ Add: ['alexw@contoso.com'], Remove: [SEED_IDS.jane] }), BypassSecurityGroupManagerCheck: true });
    assert.deepEqual(owners(), [SEED_IDS.alex]);
    await assert.rejects(
      exchange.invoke('Set-DistributionGroup', { Identity: SEED_IDS.salesAnnouncements, ManagedBy: edit({ Remove: [SEED_IDS.alex] }) }),
      (err: unknown) => err instanceof M365Error && err.status === 400 && /at least one owner/.test(err.message),
    );
    assert.deepEqual(owners(), [SEED_IDS.alex]);
  });

  it('does not bind a ManagedBy hashtable sent without its @odata.type', async () => {
    const untagged = { Remove: [SEED_IDS.jane] } as unknown as string[];
    await assert.rejects(
      exchange.invoke('Set-DistributionGroup', { Identity: SEED_IDS.salesAnnouncements, ManagedBy: untagged }),
      (err: unknown) => err instanceof M365Error && err.code === 'ParameterBindingException',
    );
  });

  it('does not treat a Microsoft 365 group as a distribution list', async () => {
    await assert.rejects(
      exchange.invoke('Remove-DistributionGroupMember', { Identity: 'salesteam@contoso.com', Member: SEED_IDS.jane }),
      (err: unknown) => err instanceof M365Error && err.code === 'ManagementObjectNotFoundException',
    );
  });

  it('answers an unknown cmdlet or a missing mandatory parameter as PowerShell does', async () => {
    await assert.rejects(exchange.invoke('Remove-Mailbox', { Identity: SEED_IDS.jane }), (err: unknown) => err instanceof M365Error && err.code === 'CommandNotFoundException');
    await assert.rejects(exchange.invoke('Add-MailboxPermission', { Identity: SEED_IDS.jane }), (err: unknown) => err instanceof M365Error && /missing mandatory parameters: User/.test(err.message));
  });

  it('lists the Exchange plan in the licence details of a SKU that carries a mailbox', async () => {
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken });
    const details = (await graph.get<{ value: Array<{ skuPartNumber: string; servicePlans: Array<{ servicePlanName: string; provisioningStatus: string }> }> }>(`/users/${SEED_IDS.jane}/licenseDetails`)).body.value;
    const e3 = details.find((d) => d.skuPartNumber === 'ENTERPRISEPACK')!;
    assert.ok(e3.servicePlans.some((p) => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE' && p.provisioningStatus === 'Success'));
    assert.ok(!details.find((d) => d.skuPartNumber === 'EMS')!.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE_S_')));
  });
});
