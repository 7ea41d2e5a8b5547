import assert from 'node:assert/strict';
import { ACTIONS } from '../../src/actions/catalogue';
import { containInvitedGuests } from '../../src/actions/contain-invited-guests';
import { takeEvidence } from '../../src/actions/take-evidence';
import { AuditLogReader } from '../../src/m365/audit-log-reader';
import type { OffboardingCase } from '../../src/cases/case';
import { planSteps } from '../../src/cases/plan';
import { previewPlan } from '../../src/cases/plan-preview';
import { SEED_IDS } from '../../src/sim/seed';
import { WORKPLACE_IDS } from '../../src/sim/seed-workplace';
import type { SimUser } from '../../src/sim/state';
import { directoryAudit } from '../support/directory-audits';
import { janeInSim, type SimContext } from './sim-context';

const PARTNER = '00000000-0000-0000-0000-0000000000c7';
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** An invitation in the directory audit log: the guest is the target. */
const invitation = (n: number, by: string, guest: { id: string; name: string }, at: string) =>
  directoryAudit({ n, by, activity: 'Invite external user', category: 'UserManagement', at, target: { ...guest, type: 'User' }, operationType: 'Add' });

describe('guests the person invited: their own blocked, the others flagged', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const guest = () => t.sim.state.users.get(WORKPLACE_IDS.janesGuest)!;
  /** A partner's guest Jane invited a week ago: a real collaborator, as far as the tenant can tell. */
  const addPartner = () => {
    const partner: SimUser = { ...structuredClone(guest()), id: PARTNER, displayName: 'Sam Lee (Fabrikam)', mail: 'sam.lee@fabrikam.com', userPrincipalName: 'sam.lee_fabrikam.com#EXT#@contoso.onmicrosoft.com' };
    t.sim.state.users.set(PARTNER, partner);
    t.sim.state.directoryAudits.push(invitation(1, SEED_IDS.jane, { id: PARTNER, name: partner.displayName }, daysAgo(7)));
  };

  it("blocks the guest at the address Jane's mail was forwarded to, revokes its sessions, and changes nothing else", async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    const from = t.sim.calls.length;
    const outcome = await t.run(containInvitedGuests, { evidence });
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Blocked guest 'JD Consulting' \(jdoe\.consulting@outlook\.com\) they invited on \d{4}-\d\d-\d\d, member of 'Sales Team': its address is theirs \(their mail went there: the mailbox's forwarding\)/);
    assert.equal(guest().accountEnabled, false);
    assert.equal(guest().revokeCount, 1);
    assert.deepEqual(t.writes(from), [
      { method: 'PATCH', path: `/v1.0/users/${WORKPLACE_IDS.janesGuest}` },
      { method: 'POST', path: `/v1.0/users/${WORKPLACE_IDS.janesGuest}/revokeSignInSessions` },
    ]);
    assert.equal(t.sim.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'Jane herself is the block step’s');

    const again = await t.run(containInvitedGuests, { evidence });
    assert.equal(again.status, 'succeeded', again.detail);
    assert.equal(guest().revokeCount, 1, 'a second run changes nothing');
  });

  it("in the engine, asks the shared log reader, which reads several people's invitations in one query", async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    const outcome = await t.run(containInvitedGuests, { evidence, auditLogs: new AuditLogReader(t.ctx.graph, { windowMs: 10 }) });
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.equal(guest().accountEnabled, false);
    const read = t.sim.calls.filter((c) => c.path === '/v1.0/auditLogs/directoryAudits' && /Invite external user/.test(c.query.$filter ?? ''));
    assert.equal(read.length, 1);
    assert.match(read[0].query.$filter, /^activityDateTime ge \S+ and activityDisplayName eq 'Invite external user' and \(initiatedBy\/user\/id eq /);
  });

  it('fails, and does not call the guest blocked, when Microsoft 365 refuses the block', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    t.sim.faults.add({ method: 'PATCH', path: new RegExp(`users/${WORKPLACE_IDS.janesGuest}$`), status: 403 });
    const outcome = await t.run(containInvitedGuests, { evidence });
    assert.equal(outcome.status, 'failed', outcome.detail);
    assert.match(outcome.detail, /To block: guest 'JD Consulting'/);
    assert.doesNotMatch(outcome.detail, /Blocked guest/);
    assert.equal(guest().accountEnabled, true);
  });

  it('does not take an address that only ends like the forwarding address for theirs', async () => {
    guest().mail = 'consulting@outlook.com';
    const evidence = (await t.run(takeEvidence)).evidence!;
    const outcome = await t.run(containInvitedGuests, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.equal(guest().accountEnabled, true, "jdoe.consulting@outlook.com is not consulting@outlook.com");
  });

  it('leaves a guest at any other address to a person, naming where it has access', async () => {
    addPartner();
    const evidence = (await t.run(takeEvidence)).evidence!;
    const outcome = await t.run(containInvitedGuests, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /Guest 'Sam Lee \(Fabrikam\)' \(sam\.lee@fabrikam\.com\) they invited on \d{4}-\d\d-\d\d, is still enabled: ask who at Contoso works with it/);
    assert.equal(t.sim.state.users.get(PARTNER)!.accountEnabled, true);
    assert.equal(guest().accountEnabled, false);
  });

  it('when the evidence could not record where her mail went, blocks nobody and flags the guest instead', async () => {
    const taken = (await t.run(takeEvidence)).evidence!;
    const snapshot = JSON.parse(taken.snapshot);
    snapshot.sections.mailbox = { path: snapshot.sections.mailbox.path, error: { status: 503, code: 'ServiceUnavailable', message: 'Exchange did not answer.' } };
    const evidence = { ...taken, snapshot: JSON.stringify(snapshot) };
    const outcome = await t.run(containInvitedGuests, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /Guest 'JD Consulting' \(jdoe\.consulting@outlook\.com\) they invited on \d{4}-\d\d-\d\d, member of 'Sales Team', is still enabled/);
    assert.equal(guest().accountEnabled, true);
  });

  it('passes over a guest already blocked or deleted, and someone else’s invitations', async () => {
    t.sim.state.directoryAudits.push(invitation(2, SEED_IDS.alex, { id: PARTNER, name: 'Sam Lee (Fabrikam)' }, daysAgo(3)));
    guest().accountEnabled = false;
    const evidence = (await t.run(takeEvidence)).evidence!;
    const blocked = await t.run(containInvitedGuests, { evidence });
    assert.equal(blocked.status, 'succeeded', blocked.detail);
    assert.match(blocked.detail, /invited 1 guest\(s\) in the 30 days before; 0 still enabled/);
    t.sim.state.users.delete(WORKPLACE_IDS.janesGuest);
    const deleted = await t.run(containInvitedGuests, { evidence });
    assert.equal(deleted.status, 'succeeded', deleted.detail);
    assert.deepEqual(t.writes(), []);
  });

  it('leaves the check to a person, saying what to look for, when the audit log cannot be read', async () => {
    const evidence = (await t.run(takeEvidence)).evidence!;
    t.sim.faults.add({ path: /auditLogs\/directoryAudits$/, status: 403 });
    const outcome = await t.run(containInvitedGuests, { evidence });
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /look for "Invite external user" initiated by them in the 30 days before/);
    assert.equal(guest().accountEnabled, true);
  });

  it('shows the approvers, before anyone approves, the guest at her own address that will be blocked, and any other she invited', async () => {
    addPartner();
    const c = { _id: 'case-preview', target: t.ctx.target, request: t.ctx.request, steps: planSteps() } as unknown as OffboardingCase;
    const item = (await previewPlan({ graph: t.ctx.graph, exchange: t.ctx.exchange, actions: ACTIONS }, c)).find((i) => i.action === 'containInvitedGuests')!;
    assert.deepEqual(item.changes, ['JD Consulting']);
    assert.deepEqual(item.risks.map((r) => r.replace(/\d{4}-\d\d-\d\d/, 'DATE')), [
      "Invited a guest at their own address: 'JD Consulting'.",
      "Guest 'Sam Lee (Fabrikam)' (sam.lee@fabrikam.com) they invited on DATE.",
    ]);
    assert.equal(guest().accountEnabled, true, 'a preview changes nothing');
  });
});
