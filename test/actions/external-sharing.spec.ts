import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import { removeExternalSharing } from '../../src/actions/remove-external-sharing';
import { parseSnapshot, takeEvidence } from '../../src/actions/take-evidence';
import type { DepartureRequest, ExternalSharingDecision, OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import type { SimDrivePermission } from '../../src/sim/drive-state';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

/** Seeded then, the anyone link on Q3 pricing.xlsx expires 90 days later: 2026-03-31. */
const LINK_SET_AT = new Date('2025-12-31T09:30:00Z');

describe('OneDrive sharing outside the company', () => {
  let t: SimContext;
  afterEach(() => t.sim.close());

  const asking = (externalSharing: ExternalSharingDecision): { request: DepartureRequest } => ({ request: { ...t.ctx.request, handOver: { externalSharing } } });
  const drive = () => t.sim.state.drives.find((d) => d.userId === SEED_IDS.jane)!;
  const item = (name: string) => drive().items!.find((i) => i.name === name)!;
  const scopes = (perms: SimDrivePermission[]) => perms.map((p) => p.link?.scope ?? p.grantedToV2?.user.email);
  const deletes = (from = 0) => t.writes(from).filter((w) => w.method === 'DELETE').map((w) => w.path);
  /** Every permission in the drive that reaches outside contoso.com. */
  const outside = () =>
    [drive().rootPermissions, ...drive().items!.map((i) => i.permissions)]
      .flat()
      .filter((p) => p.link?.scope === 'anonymous' || [p.grantedToV2, ...(p.grantedToIdentitiesV2 ?? [])].some((g) => g && !g.user.email.endsWith('@contoso.com')));

  describe('with Jane as seeded', () => {
    beforeEach(async () => {
      t = await janeInSim({ seededAt: LINK_SET_AT });
    });

    it('plans the external shares only, each once where it was granted, without writing', async () => {
      const plan = await removeExternalSharing.plan({ ...t.ctx, ...asking('remove') });
      assert.deepEqual(plan.changes.map((s) => s.displayName), [
        'the whole OneDrive: anyone with the link can view',
        'the whole OneDrive: sam@fabrikam.example can edit',
        '"/Q3 pricing.xlsx": anyone with the link can view until 2026-03-31',
        '"/Fabrikam deal": partner@fabrikam.example can edit, and 2 item(s) inside',
        '"/Fabrikam deal/Proposal.pptx": link for lee@northwind.example (view)',
      ]);
      const folder = plan.changes[3];
      assert.deepEqual([folder.itemId, folder.kind, folder.scope, folder.who, folder.inheritedBy], [item('Fabrikam deal').id, 'direct', null, ['partner@fabrikam.example'], 2]);
      assert.deepEqual([plan.changes[2].kind, plan.changes[2].scope, plan.changes[2].expires], ['anyone-link', 'anonymous', '2026-03-31T00:00:00Z']);
      assert.deepEqual([plan.changes[4].kind, plan.changes[4].scope], ['people-link', 'users']);
      assert.match(plan.found, /^5 sharing permission\(s\) reach outside the company; the request asks to remove them\.$/);
      assert.deepEqual(t.writes(), []);
    });

    it('removes them when the request says so (the default for an involuntary exit), keeps internal sharing, and a second run changes nothing', async () => {
      const outcome = await t.run(removeExternalSharing);
      assert.equal(outcome.status, 'succeeded', outcome.detail);
      assert.match(outcome.detail, /^Removed sharing outside the company: the whole OneDrive: anyone with the link can view; .*"\/Fabrikam deal": partner@fabrikam\.example can edit, and 2 item\(s\) inside; .*The items inside a shared folder lost the access they inherited from it\. \(verified\)$/);
      assert.deepEqual(outside(), []);
      assert.deepEqual(scopes(drive().rootPermissions), ['janed@contoso.com']);
      assert.deepEqual(scopes(item('Team budget.xlsx').permissions), ['organization'], 'an organization link stays inside');
      assert.deepEqual(item('Handover checklist.docx').permissions.map((p) => p.grantedToIdentitiesV2?.[0].user.email), ['alexw@contoso.com']);
      const before = t.sim.calls.length;
      const again = await t.run(removeExternalSharing);
      assert.equal(again.status, 'succeeded');
      assert.match(again.detail, /^Nothing to change: nothing in the OneDrive is shared outside the company \(9 files and folders read\)\.$/);
      assert.deepEqual(t.writes(before), []);
    });

    it('removes a folder\'s permission on the folder, never on the items that inherit it', async () => {
      await t.run(removeExternalSharing, asking('remove'));
      const paths = deletes();
      assert.equal(paths.length, 5);
      assert.ok(paths.some((p) => p.endsWith(`/items/${item('Fabrikam deal').id}/permissions/aTowIy5mfG1lbWJlcnNoaXB8cGFydG5lckBmYWJyaWthbS5leGFtcGxl`)));
      assert.ok(!paths.some((p) => p.includes(item('Contract draft.docx').id)), 'no delete aimed at an inherited permission');
      assert.ok(t.sim.calls.every((c) => c.status !== 400), 'Graph refused nothing');
    });

    it('keeps them and lists them in its result when the request asks for a report (the default for a voluntary exit)', async () => {
      for (const overrides of [asking('report'), { request: { ...t.ctx.request, departureType: 'voluntary' as const } }]) {
        const outcome = await t.run(removeExternalSharing, overrides);
        assert.equal(outcome.status, 'succeeded', outcome.detail);
        assert.match(outcome.detail, /^Nothing to change: 5 sharing permission\(s\) reach outside the company, kept as the request asks: the whole OneDrive: anyone with the link can view; .*"\/Fabrikam deal\/Proposal\.pptx": link for lee@northwind\.example \(view\)\. Review them/);
      }
      assert.deepEqual(t.writes(), []);
      assert.equal(outside().length, 5);
    });

    it('fails naming the share Graph refused (403), removes the others, and a retry finishes the job', async () => {
      t.sim.faults.add({ method: 'DELETE', path: new RegExp(`${item('Q3 pricing.xlsx').id}/permissions/`), status: 403, times: 1 });
      const outcome = await t.run(removeExternalSharing);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.detail, /Could not remove "\/Q3 pricing\.xlsx": anyone with the link can view until 2026-03-31: DELETE \/drives\/.*failed: Insufficient privileges.*\(Authorization_RequestDenied, HTTP 403, request-id [0-9a-f-]+\)/);
      assert.match(outcome.detail, /Still shared outside the company: "\/Q3 pricing\.xlsx"/);
      assert.deepEqual(scopes(item('Q3 pricing.xlsx').permissions), ['anonymous']);
      assert.deepEqual(outside().length, 1, 'the others were removed');
      const retry = await t.run(removeExternalSharing);
      assert.equal(retry.status, 'succeeded', retry.detail);
      assert.deepEqual(outside(), []);
    });

    it('skips a user whose OneDrive was never provisioned', async () => {
      const outcome = await t.run(removeExternalSharing, { target: { ...t.ctx.target, id: SEED_IDS.danielGreen } });
      assert.equal(outcome.status, 'skipped');
      assert.match(outcome.detail, /never provisioned/);
      assert.deepEqual(t.writes(), []);
    });

    it('shows the shares in the plan preview, flagging each link anyone can open, in either mode', async () => {
      const preview = async (request: DepartureRequest) => {
        const c = { _id: 'case-preview', target: t.ctx.target, request, steps: planSteps() } as OffboardingCase;
        return (await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c)).find((p) => p.action === 'removeExternalSharing')!;
      };
      const risks = ['Anyone with the link can open the whole OneDrive.', 'Anyone with the link can open "/Q3 pricing.xlsx".'];
      const removing = await preview(asking('remove').request);
      assert.equal(removing.changes.length, 5);
      assert.deepEqual(removing.risks, risks);
      const reporting = await preview(asking('report').request);
      assert.deepEqual(reporting.changes, []);
      assert.match(reporting.found, /kept as the request asks: .*partner@fabrikam\.example can edit/);
      assert.deepEqual(reporting.risks, risks);
      assert.deepEqual(t.writes(), []);
    });

    it('records the external shares in the evidence snapshot before anything changes', async () => {
      const outcome = await t.run(takeEvidence);
      const section = parseSnapshot(outcome.evidence)!.sections.oneDriveSharing;
      assert.ok('value' in section, JSON.stringify(section));
      const value = section.value as { drive: { id: string }; verifiedDomains: string[]; externalShares: Array<Record<string, unknown>> };
      assert.equal(value.drive.id, SEED_IDS.janeDrive);
      assert.deepEqual(value.verifiedDomains, ['contoso.com', 'contoso.onmicrosoft.com']);
      assert.deepEqual(value.externalShares.map((s) => [s.path, s.kind, s.scope, s.who, s.expires]), [
        ['/', 'anyone-link', 'anonymous', ['anyone'], null],
        ['/', 'direct', null, ['sam@fabrikam.example'], null],
        ['/Q3 pricing.xlsx', 'anyone-link', 'anonymous', ['anyone'], '2026-03-31T00:00:00Z'],
        ['/Fabrikam deal', 'direct', null, ['partner@fabrikam.example'], null],
        ['/Fabrikam deal/Proposal.pptx', 'people-link', 'users', ['lee@northwind.example'], null],
      ]);
      assert.equal(value.externalShares[2].permissionId, 'bGluazphbm9ueW1vdXMtcHJpY2luZw');
      assert.deepEqual(t.writes(), []);
    });

    it('records "no OneDrive" in the evidence as a fact, not an error', async () => {
      const outcome = await t.run(takeEvidence, { target: { ...t.ctx.target, id: SEED_IDS.danielGreen } });
      const section = parseSnapshot(outcome.evidence)!.sections.oneDriveSharing;
      assert.ok('value' in section, JSON.stringify(section));
      assert.deepEqual(section.value, { drive: null, note: 'no OneDrive: it was never provisioned' });
      assert.doesNotMatch(outcome.detail, /oneDriveSharing/);
    });
  });

  it("finds the same shares in a OneDrive of 20,000 files, reading only the permissions of the items shared on their own", async () => {
    // 100 folders of 200 reports each, none shared, beside Jane's seeded files.
    const bulk = Array.from({ length: 100 }, (_, f) => [
      { id: `01FOLDER${f}`, name: `Reports ${f}`, parentId: 'root', folder: true, permissions: [] },
      ...Array.from({ length: 199 }, (_, i) => ({ id: `01FILE${f}x${i}`, name: `Report ${i}.pdf`, parentId: `01FOLDER${f}`, permissions: [] })),
    ]).flat();
    t = await janeInSim({ seededAt: LINK_SET_AT, seed: (contoso) => ({ ...contoso, drives: contoso.drives!.map((d) => (d.userId === SEED_IDS.jane ? { ...d, items: [...d.items!, ...bulk] } : d)) }) });
    const plan = await removeExternalSharing.plan({ ...t.ctx, ...asking('remove') });
    assert.equal(plan.changes.length, 5);
    assert.ok(plan.changes.some((s) => s.displayName === '"/Fabrikam deal": partner@fabrikam.example can edit, and 2 item(s) inside'));
    const reads = t.sim.calls.filter((c) => c.method === 'GET');
    const listed = reads.filter((c) => c.path.endsWith('/root/delta')).length;
    const permissionReads = reads.filter((c) => c.path.endsWith('/permissions')).length;
    assert.equal(listed, Math.ceil((20_000 + 9 + 1) / 200), 'the drive listed 200 items a read');
    const sharedOnTheirOwn = drive().items!.filter((i) => i.permissions.length > 0).length;
    assert.equal(permissionReads, 1 + sharedOnTheirOwn, 'permissions read for the root and the items shared on their own only');
    const outcome = await t.run(removeExternalSharing);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.deepEqual(outside(), []);
  });

  it('leaves a OneDrive whose sharing would take more than 5,000 reads to a person, changing nothing', async () => {
    // 5,000 files, each shared with a colleague on its own.
    const colleague = { user: { id: SEED_IDS.alex, displayName: 'Alex Wilber', email: 'alexw@contoso.com' } };
    t = await janeInSim({
      seed: (contoso) => ({
        ...contoso,
        drives: contoso.drives!.map((d) => ({
          ...d,
          items: Array.from({ length: 5000 }, (_, i) => ({ id: `01BULK${i}`, name: `Scan ${i}.pdf`, parentId: 'root', permissions: [{ id: `p${i}`, roles: ['read'], grantedToV2: colleague }] })),
        })),
      }),
    });
    const outcome = await t.run(removeExternalSharing);
    assert.equal(outcome.status, 'manual');
    assert.match(outcome.detail, /takes more than 5000 Graph reads \(its files and folders, 200 a read, and each item shared on its own\): review its sharing by hand/);
    assert.equal(t.sim.calls.filter((c) => c.path.endsWith('/permissions')).length, 0, 'did not read 5000 permission lists first');
    assert.deepEqual(t.writes(), []);
  });

  it("counts an address in any of the tenant's verified domains as inside", async () => {
    // Northwind joined the tenant: its domain is verified, so lee@northwind.example is a colleague.
    t = await janeInSim({
      seed: (contoso) => ({ ...contoso, users: [...contoso.users, { id: '00000000-0000-0000-0000-0000000000ee', displayName: 'Lee Northwind', userPrincipalName: 'lee@northwind.example' }] }),
    });
    const plan = await removeExternalSharing.plan(t.ctx);
    assert.equal(plan.changes.length, 4);
    assert.ok(!plan.changes.some((s) => s.path === '/Fabrikam deal/Proposal.pptx'));
  });
});
