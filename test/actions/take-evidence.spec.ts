import assert from 'node:assert/strict';
import { canonicalJson, sha256Hex } from '../../src/audit/canonical-json';
import { parseSnapshot, takeEvidence } from '../../src/actions/take-evidence';
import { AuditLogReader } from '../../src/m365/audit-log-reader';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

/** The tenant is seeded at this moment; Jane's activity is dated from it (src/sim/seed-clock.ts). */
const SEEDED_AT = new Date('2026-03-01T09:30:00Z');

describe('evidence snapshot', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim({ seededAt: SEEDED_AT });
  });
  afterEach(() => t.sim.close());

  it('records every section with its request-id, hashed over canonical JSON, and changes nothing', async () => {
    const outcome = await t.run(takeEvidence);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    const evidence = outcome.evidence!;
    assert.equal(sha256Hex(evidence.snapshot), evidence.sha256);
    const snapshot = parseSnapshot(evidence)!;
    assert.equal(canonicalJson(snapshot), evidence.snapshot, 'stored text is canonical (keys sorted)');
    assert.deepEqual(Object.keys(snapshot.sections).sort(), [
      'appRoleAssignments', 'authenticationMethods', 'directReports', 'directoryAudits', 'directoryRoles', 'inboxRules', 'licences',
      'mailbox', 'mailboxPermissions', 'managedDevices', 'manager', 'memberOf', 'oauth2PermissionGrants', 'oneDriveSharing', 'ownedObjects',
      'pimEligibility', 'pimGroupAssignmentSchedules', 'pimGroupEligibility', 'pimRoleAssignmentSchedules', 'profile', 'signIns',
    ]);
    for (const [name, section] of Object.entries(snapshot.sections)) {
      assert.ok(section.requestId && t.sim.calls.some((c) => section.requestId!.split(',').includes(c.requestId)), `${name} has its request-id`);
      assert.ok('value' in section, name);
    }
    const value = (name: string) => (snapshot.sections[name] as { value: any }).value;
    assert.equal(value('directReports').length, 2);
    assert.equal(value('memberOf').length, 10);
    // The team she solely owns, the app she registered and the intranet's enterprise app.
    assert.deepEqual(value('ownedObjects').map((o: any) => `${o['@odata.type']} ${o.displayName}`), [
      '#microsoft.graph.group Sales Team',
      '#microsoft.graph.application Sales Pipeline Sync',
      '#microsoft.graph.servicePrincipal Contoso Intranet',
    ]);
    assert.equal(value('directoryRoles')[0].roleDefinition.displayName, 'Helpdesk Administrator');
    assert.equal(value('licences').length, 2);
    assert.equal(value('authenticationMethods').length, 4);
    assert.equal(value('managedDevices').length, 2);
    assert.equal(value('inboxRules')[0].actions.forwardTo[0].emailAddress.address, 'jane.doe.home@gmail.com');
    assert.deepEqual(value('pimEligibility').map((e: any) => e.roleDefinition.displayName), ['Teams Administrator']);
    assert.deepEqual(value('pimGroupEligibility').map((e: any) => [e.accessId, e.group.displayName]), [['member', 'IT Operations']]);
    // What PIM would hand over later: the active role, and the role and membership that start after she has gone.
    const later = (s: any) => Date.parse(s.scheduleInfo.startDateTime) > Date.now();
    assert.deepEqual(value('pimRoleAssignmentSchedules').map((s: any) => [s.roleDefinition.displayName, later(s)]), [['Helpdesk Administrator', false], ['Groups Administrator', true]]);
    assert.deepEqual(value('pimGroupAssignmentSchedules').map((s: any) => [s.accessId, s.group.displayName, later(s)]), [['member', 'IT Operations', true]]);
    assert.deepEqual(
      value('mailboxPermissions').map((p: any) => [p.User, p.AccessRights, p.IsInherited, p.Deny]),
      [['NT AUTHORITY\\SELF', ['FullAccess', 'ReadPermission'], false, false], ['pradeepg@contoso.com', ['FullAccess'], false, false]],
    );
    // Forwarding set on the mailbox itself, which Graph cannot see.
    const [mailbox] = value('mailbox');
    assert.deepEqual([mailbox.RecipientTypeDetails, mailbox.ForwardingSmtpAddress], ['UserMailbox', t.sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!.forwardingSmtpAddress]);
    assert.ok(mailbox.ForwardingSmtpAddress, 'Jane forwards her mail');
    assert.equal(value('signIns').length, 4);
    assert.ok(value('signIns').every((s: any) => s.userId === SEED_IDS.jane));
    assert.deepEqual(value('signIns').filter((s: any) => s.riskLevelDuringSignIn === 'high').map((s: any) => `${s.location.city} ${s.ipAddress}`), ['Lagos 203.0.113.77']);
    assert.deepEqual(value('directoryAudits').map((a: any) => a.activityDisplayName), [
      'User registered security info', 'Add member to group', 'Add eligible member to role in PIM completed (permanent)',
    ], "only the entries naming Jane, not Grady's password reset");
    assert.deepEqual(t.writes(), []);
  });

  it('reads only the latest 50 sign-ins and audits, one request each, not the whole log', async () => {
    const [model] = t.sim.state.signIns;
    for (let i = 0; i < 120; i++) {
      t.sim.state.signIns.push({ ...model, id: `old-${i}`, createdDateTime: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString() });
    }
    const snapshot = parseSnapshot((await t.run(takeEvidence)).evidence)!;
    const signIns = (snapshot.sections.signIns as { value: Array<{ createdDateTime: string }> }).value;
    assert.equal(signIns.length, 50);
    assert.equal(signIns[0].createdDateTime, '2026-02-28T18:05:12Z', 'newest first: the seeded one of the evening before the seeding');
    const logCalls = t.sim.calls.filter((c) => c.path.startsWith('/v1.0/auditLogs/'));
    assert.deepEqual(logCalls.map((c) => [c.path, c.query.$top]), [['/v1.0/auditLogs/signIns', '50'], ['/v1.0/auditLogs/directoryAudits', '50']]);
  });

  it("with the engine's audit log reader, reads the same log entries through its combined query", async () => {
    // Read at the seeding moment, with the reader's own 30-day look-back.
    const auditLogs = new AuditLogReader(t.ctx.graph, { now: () => t.sim.seededAt, windowMs: 10 });
    const snapshot = parseSnapshot((await t.run(takeEvidence, { auditLogs })).evidence)!;
    const section = (name: string) => snapshot.sections[name] as { path: string; requestId: string; value: any[] };
    assert.equal(section('signIns').value.length, 4);
    assert.ok(section('signIns').value.every((s) => s.userId === SEED_IDS.jane));
    assert.deepEqual(section('directoryAudits').value.map((a) => a.activityDisplayName), [
      'User registered security info', 'Add member to group',
    ], 'within the 30-day look-back: not the 2024 PIM entry');
    const logCalls = t.sim.calls.filter((c) => c.path.startsWith('/v1.0/auditLogs/'));
    assert.deepEqual(logCalls.map((c) => c.query.$filter.split(' and ')[0]), ['createdDateTime ge 2026-01-30T09:30:00Z', 'activityDateTime ge 2026-01-30T09:30:00Z']);
    assert.deepEqual([section('signIns').requestId, section('directoryAudits').requestId].sort(), logCalls.map((c) => c.requestId).sort());
    assert.match(section('signIns').path, /^\/auditLogs\/signIns\?\$filter=createdDateTime/);
  });

  it("records Exchange's error when the user has no mailbox, and still takes the snapshot", async () => {
    t.sim.state.mailboxes = t.sim.state.mailboxes.filter((m) => m.userId !== SEED_IDS.jane);
    const outcome = await t.run(takeEvidence);
    assert.equal(outcome.status, 'succeeded');
    assert.match(outcome.detail, /Could not read: mailbox \(ManagementObjectNotFoundException\), mailboxPermissions \(ManagementObjectNotFoundException\)/);
    const section = parseSnapshot(outcome.evidence)!.sections.mailboxPermissions;
    assert.ok('error' in section, 'recorded as an error');
    assert.equal(section.error.status, 404);
    assert.match(section.error.message, /couldn't be found/);
    assert.ok(section.requestId && t.sim.calls.some((c) => c.requestId === section.requestId));
  });

  it('records a sign-in log the tenant cannot give (no Entra ID P1) as an error section', async () => {
    t.sim.faults.add({ path: /auditLogs\/signIns$/, status: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: 'Neither tenant is B2C or tenant doesn\'t have premium license' });
    const outcome = await t.run(takeEvidence);
    assert.equal(outcome.status, 'succeeded');
    assert.match(outcome.detail, /Could not read: signIns \(Authentication_RequestFromNonPremiumTenantOrB2CTenant\)/);
    assert.ok('value' in parseSnapshot(outcome.evidence)!.sections.directoryAudits);
  });

  it('records a section that cannot be read as an error and still takes the snapshot', async () => {
    t.sim.faults.add({ path: /messageRules$/, status: 403, times: 1 });
    const outcome = await t.run(takeEvidence);
    assert.equal(outcome.status, 'succeeded');
    assert.match(outcome.detail, /Could not read: inboxRules \(Authorization_RequestDenied\)/);
    const section = parseSnapshot(outcome.evidence)!.sections.inboxRules;
    assert.ok('error' in section && section.error.status === 403 && section.requestId);
  });

  it('fails when a section was lost to throttling or a service fault, keeping what it read', async () => {
    t.sim.faults.add({ path: /messageRules$/, status: 429, retryAfterSeconds: 0, times: Infinity });
    const outcome = await t.run(takeEvidence);
    assert.equal(outcome.status, 'failed', 'a gap in the evidence is not a success');
    assert.match(outcome.detail, /Missing because Microsoft 365 was throttling or failing: inboxRules\./);
    const sections = parseSnapshot(outcome.evidence)!.sections;
    assert.ok('error' in sections.inboxRules && sections.inboxRules.error.status === 429);
    assert.ok('value' in sections.profile, 'the sections that were read are kept');
  });

  it('leaves a gap in an earlier snapshot to a person rather than retaking it after the changes', async () => {
    t.sim.faults.add({ path: /messageRules$/, status: 429, retryAfterSeconds: 0, times: Infinity });
    const first = await t.run(takeEvidence);
    t.sim.faults.clear();
    const calls = t.sim.calls.length;
    const again = await t.run(takeEvidence, { evidence: first.evidence });
    assert.equal(again.status, 'manual');
    assert.match(again.detail, /lacks inboxRules: Microsoft 365 was throttling or failing when it was taken/);
    assert.equal(again.evidence, undefined, 'the first snapshot stays the record');
    assert.equal(t.sim.calls.length, calls, 'nothing read again');
  });

  it('keeps the first snapshot of a case: a resumed run does not take another', async () => {
    const first = await t.run(takeEvidence);
    const calls = t.sim.calls.length;
    const again = await t.run(takeEvidence, { evidence: first.evidence });
    assert.match(again.detail, /^Nothing to change: the evidence snapshot was already taken/);
    assert.equal(again.evidence, undefined);
    assert.equal(t.sim.calls.length, calls);
  });
});
