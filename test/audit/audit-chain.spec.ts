import assert from 'node:assert/strict';
import { linkEvent, verifyChain, type ChainedAuditEvent } from '../../src/audit/audit-chain';
import { canonicalJson } from '../../src/audit/canonical-json';

function chain(): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  for (const [actor, event, detail] of [
    ['alex', 'case.requested', { targetId: 'jane' }],
    ['megan', 'case.approved', { sawVersion: 2 }],
    ['engine', 'case.completed', { steps: [{ action: 'blockSignIn', status: 'succeeded' }] }],
  ] as const) {
    events.push(linkEvent(events.at(-1) ?? null, { caseId: 'c1', at: '2026-11-25T10:00:00.000Z', actor, event, detail: { ...detail } }));
  }
  return events;
}

describe('the hash-chained audit log', () => {
  it('verifies an untouched chain', () => {
    assert.deepEqual(verifyChain(chain()), []);
  });

  it('detects an edited event', () => {
    const events = chain();
    events[1] = { ...events[1], actor: 'alex' };
    assert.match(verifyChain(events).join('\n'), /event 2 .*content does not match its hash; it was edited/);
  });

  it('detects a deleted event', () => {
    const events = chain();
    events.splice(1, 1);
    assert.match(verifyChain(events).join('\n'), /expected seq 2; an event was deleted or reordered/);
  });

  it('detects reordered events', () => {
    const events = chain();
    [events[0], events[1]] = [events[1], events[0]];
    assert.ok(verifyChain(events).length >= 2);
  });

  it('hashes content, not key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });
});
