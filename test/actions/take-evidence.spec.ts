import assert from 'node:assert/strict';
import { canonicalJson, sha256Hex } from '../../src/audit/canonical-json';
import { parseSnapshot, takeEvidence } from '../../src/actions/take-evidence';
import { janeInSim, type SimContext } from './sim-context';

describe('evidence snapshot', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
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
      'appRoleAssignments', 'authenticationMethods', 'directReports', 'directoryRoles', 'inboxRules', 'licences',
      'managedDevices', 'manager', 'memberOf', 'oauth2PermissionGrants', 'ownedObjects', 'profile',
    ]);
    for (const [name, section] of Object.entries(snapshot.sections)) {
      assert.ok(section.requestId && t.sim.calls.some((c) => section.requestId!.split(',').includes(c.requestId)), `${name} has its request-id`);
      assert.ok('value' in section, name);
    }
    const value = (name: string) => (snapshot.sections[name] as { value: any }).value;
    assert.equal(value('directReports').length, 2);
    assert.equal(value('memberOf').length, 6);
    assert.deepEqual(value('ownedObjects').map((g: any) => g.displayName), ['Sales Team']);
    assert.equal(value('directoryRoles')[0].roleDefinition.displayName, 'Helpdesk Administrator');
    assert.equal(value('licences').length, 2);
    assert.equal(value('authenticationMethods').length, 4);
    assert.equal(value('managedDevices').length, 2);
    assert.equal(value('inboxRules')[0].actions.forwardTo[0].emailAddress.address, 'jane.doe.home@gmail.com');
    assert.deepEqual(t.writes(), []);
  });

  it('records a section that cannot be read as an error and still takes the snapshot', async () => {
    t.sim.faults.add({ path: /messageRules$/, status: 403, times: 1 });
    const outcome = await t.run(takeEvidence);
    assert.equal(outcome.status, 'succeeded');
    assert.match(outcome.detail, /Could not read: inboxRules \(Authorization_RequestDenied\)/);
    const section = parseSnapshot(outcome.evidence)!.sections.inboxRules;
    assert.ok('error' in section && section.error.status === 403 && section.requestId);
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
