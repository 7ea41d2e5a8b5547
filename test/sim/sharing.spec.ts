import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

describe('sim tenant: OneDrive files, their sharing permissions, and the verified domains', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    // The anyone link expires 90 days after the tenant is seeded.
    sim = await startSimTenant({ seededAt: new Date('2025-12-31T09:30:00Z') });
  });
  afterEach(() => sim.close());

  const drive = `/drives/${SEED_IDS.janeDrive}`;
  const janes = () => sim.state.drives.find((d) => d.id === SEED_IDS.janeDrive)!;
  const itemId = (name: string) => janes().items!.find((i) => i.name === name)!.id;
  const after = (link: string) => link.slice(link.indexOf('/v1.0') + '/v1.0'.length);

  it('lists the whole drive through delta, parents first, marking sharing everywhere or, with Prefer: hierarchicalsharing, only where it is granted', async () => {
    const listing = async (headers: Record<string, string>) => {
      const { status, body } = await graph(sim, `${drive}/root/delta?$select=id,name,root,shared`, { headers });
      assert.equal(status, 200);
      assert.ok(body['@odata.deltaLink'] && !body['@odata.nextLink'], 'one page for a small drive, ending with a deltaLink');
      return Object.fromEntries(body.value.map((i: { name: string; shared?: { scope: string } }) => [i.name, i.shared?.scope ?? ('shared' in i ? 'empty' : '-')]));
    };
    const byDefault = await listing({});
    const hierarchical = await listing({ Prefer: 'hierarchicalsharing' });
    assert.equal(Object.keys(byDefault)[0], 'root', 'the root comes first');
    // The contract inside the Fabrikam deal folder inherits the folder's access to a partner.
    assert.deepEqual([byDefault['Contract draft.docx'], hierarchical['Contract draft.docx']], ['anonymous', '-'], 'the whole OneDrive has an anyone link: everything is shared through it');
    assert.deepEqual([byDefault['Fabrikam deal'], hierarchical['Fabrikam deal']], ['anonymous', 'users'], 'the folder carries a grant of its own');
    assert.equal(hierarchical.root, 'anonymous');
    assert.equal(hierarchical['Team budget.xlsx'], 'organization');
  });

  it('pages a large drive 200 items at a time and says so with a nextLink carrying its token', async () => {
    janes().items!.push(...Array.from({ length: 450 }, (_, i) => ({ id: `01MANY${i}`, name: `File ${i}.txt`, parentId: 'root', permissions: [] })));
    const seen: string[] = [];
    let next: string | undefined = `${drive}/root/delta?$select=id`;
    let pages = 0;
    while (next) {
      const { body } = await graph(sim, next);
      seen.push(...body.value.map((i: { id: string }) => i.id));
      next = body['@odata.nextLink'] ? after(body['@odata.nextLink']) : undefined;
      pages++;
    }
    assert.equal(pages, Math.ceil((1 + janes().items!.length) / 200));
    assert.equal(new Set(seen).size, 1 + janes().items!.length, 'every item once, the root included');
  });

  it('lists the root folder page by page, with only the facets an item has', async () => {
    const names: string[] = [];
    let next: string | undefined = `${drive}/root/children?$select=id,name,folder&$top=2`;
    let pages = 0;
    while (next) {
      const { status, body } = await graph(sim, next);
      assert.equal(status, 200);
      assert.ok(body.value.length <= 2);
      names.push(...body.value.map((i: { name: string }) => i.name));
      next = body['@odata.nextLink'] ? after(body['@odata.nextLink']) : undefined;
      pages++;
    }
    assert.ok(pages >= 3, 'more than one page');
    assert.deepEqual(names, ['Q3 pricing.xlsx', 'Fabrikam deal', 'Team budget.xlsx', 'Handover checklist.docx', 'Receipts', 'Notes.docx']);
    const { body } = await graph(sim, `${drive}/items/${itemId('Fabrikam deal')}/children?$select=id,name,folder`);
    assert.deepEqual(body.value.map((i: Record<string, unknown>) => [i.name, 'folder' in i]), [['Contract draft.docx', false], ['Proposal.pptx', false]]);
    const folder = await graph(sim, `${drive}/items/${itemId('Fabrikam deal')}`);
    assert.deepEqual(folder.body.folder, { childCount: 2 });
    assert.equal(folder.body.parentReference.path, '/drive/root:');
    const root = await graph(sim, `${drive}/root?$select=id`);
    assert.deepEqual(Object.keys(root.body).filter((k) => !k.startsWith('@')), ['id']);
  });

  it('answers the documented permission resources: links with scope and share id, grants, expiry', async () => {
    const pricing = await graph(sim, `${drive}/items/${itemId('Q3 pricing.xlsx')}/permissions`);
    assert.equal(pricing.status, 200);
    const anyone = pricing.body.value.find((p: { link?: { scope: string } }) => p.link?.scope === 'anonymous' && !('inheritedFrom' in p));
    assert.deepEqual(anyone.roles, ['read']);
    assert.equal(anyone.link.type, 'view');
    assert.match(anyone.link.webUrl, /^https:\/\/contoso-my\.sharepoint\.com\//);
    assert.match(anyone.shareId, /^u!/);
    assert.equal(anyone.expirationDateTime, '2026-03-31T00:00:00Z');
    const proposal = await graph(sim, `${drive}/items/${itemId('Proposal.pptx')}/permissions`);
    const people = proposal.body.value.find((p: { link?: { scope: string } }) => p.link?.scope === 'users');
    assert.deepEqual(people.grantedToIdentitiesV2.map((g: { user: { email: string } }) => g.user.email), ['lee@northwind.example']);
  });

  it('shows what an item inherits from its folders with inheritedFrom, nearest folder and the root', async () => {
    const { body } = await graph(sim, `${drive}/items/${itemId('Contract draft.docx')}/permissions`);
    const sources = body.value.map((p: { id: string; inheritedFrom?: { id: string; path: string } }) => [p.id, p.inheritedFrom?.path]);
    assert.deepEqual(sources, [
      ['aTowIy5mfG1lbWJlcnNoaXB8amFuZWRAY29udG9zby5jb20', '/drive/root:'],
      ['a1b2c3d4anon', '/drive/root:'],
      ['a1b2c3d4guest', '/drive/root:'],
      ['aTowIy5mfG1lbWJlcnNoaXB8cGFydG5lckBmYWJyaWthbS5leGFtcGxl', '/drive/root:/Fabrikam deal'],
    ]);
    const folderGrant = body.value[3];
    assert.equal(folderGrant.inheritedFrom.id, itemId('Fabrikam deal'));
    assert.equal(folderGrant.grantedToV2.user.email, 'partner@fabrikam.example');
    const root = await graph(sim, `${drive}/root?$select=id`);
    assert.equal(body.value[0].inheritedFrom.id, root.body.id);
    const own = await graph(sim, `${drive}/items/root/permissions`);
    assert.ok(own.body.value.every((p: object) => !('inheritedFrom' in p)));
  });

  it('deletes a permission with 204 where it was granted, and refuses an inherited one, the owner and an unknown one', async () => {
    const folderGrant = 'aTowIy5mfG1lbWJlcnNoaXB8cGFydG5lckBmYWJyaWthbS5leGFtcGxl';
    const inherited = await graph(sim, `${drive}/items/${itemId('Contract draft.docx')}/permissions/${folderGrant}`, { method: 'DELETE' });
    assert.equal(inherited.status, 400);
    assert.equal(inherited.body.error.code, 'invalidRequest');
    assert.match(inherited.body.error.message, /inherited/);
    assert.equal(janes().items!.find((i) => i.name === 'Fabrikam deal')!.permissions.length, 1, 'the folder still carries it');

    const removed = await graph(sim, `${drive}/items/${itemId('Fabrikam deal')}/permissions/${folderGrant}`, { method: 'DELETE' });
    assert.equal(removed.status, 204);
    assert.deepEqual(janes().items!.find((i) => i.name === 'Fabrikam deal')!.permissions, []);
    const { body } = await graph(sim, `${drive}/items/${itemId('Contract draft.docx')}/permissions`);
    assert.ok(!body.value.some((p: { id: string }) => p.id === folderGrant), 'gone from the items inside too');
    const again = await graph(sim, `${drive}/items/${itemId('Fabrikam deal')}/permissions/${folderGrant}`, { method: 'DELETE' });
    assert.equal(again.status, 404);

    const owner = await graph(sim, `${drive}/items/root/permissions/aTowIy5mfG1lbWJlcnNoaXB8amFuZWRAY29udG9zby5jb20`, { method: 'DELETE' });
    assert.equal(owner.status, 403);
    const unknownItem = await graph(sim, `${drive}/items/01NOSUCHITEM/permissions`);
    assert.equal(unknownItem.status, 404);
    assert.equal(unknownItem.body.error.code, 'itemNotFound');
  });

  it('answers GET /organization with the verified domains', async () => {
    const { status, body } = await graph(sim, '/organization?$select=verifiedDomains');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body.value[0]), ['verifiedDomains']);
    const domains = body.value[0].verifiedDomains.map((d: { name: string; isDefault: boolean; isInitial: boolean }) => [d.name, d.isDefault, d.isInitial]);
    assert.deepEqual(domains, [['contoso.com', true, false], ['contoso.onmicrosoft.com', false, true]]);
  });
});
