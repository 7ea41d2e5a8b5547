import assert from 'node:assert/strict';
import { approvalCard } from '../../src/cards/approval-card';
import { planSteps } from '../../src/cases/plan';
import { allActions, asRead, assertSoundCard, findById, texts } from './card-checks';
import { approved, awaitingApproval, completed, rejected, running } from './sample-cases';

const verbs = { approve: ['caseId', 'version'], reject: ['caseId', 'version'], refresh: ['caseId'] };
const approvers = ['29:1megan-mri', '29:1adele-mri'];
const decider = { canDecide: true };
const requesterView = {
  canDecide: false,
  notice: 'You requested this case, so another security approver must decide.',
};

function decisionButtons(card: object): string[] {
  return allActions(card)
    .filter((a) => a.verb !== 'refresh')
    .map((a) => a.title ?? '');
}

describe('approval card', () => {
  it('is a sound 1.5 card in every state and for every viewer', () => {
    for (const c of [awaitingApproval(), approved(), rejected(), running(), completed()]) {
      for (const viewer of [decider, requesterView, { canDecide: false }]) {
        assertSoundCard(approvalCard(c, viewer, approvers), verbs);
        assertSoundCard(approvalCard(c, viewer, []), verbs);
      }
    }
  });

  it('lets an approver approve or reject the exact version they saw', () => {
    const c = awaitingApproval();
    const card = approvalCard(c, decider, approvers);
    const [approve, reject] = allActions(card.actions);
    assert.deepEqual([approve.title, approve.verb, approve.data, approve.style], ['Approve', 'approve', { caseId: c._id, version: c.version }, 'positive']);
    assert.deepEqual([reject.title, reject.verb, reject.data, reject.style], ['Reject', 'reject', { caseId: c._id, version: c.version }, 'destructive']);
    assert.equal(approve.associatedInputs, 'none', 'approving needs no reason');
    const reason = findById(card, 'rejectReason');
    assert.equal(reason.length, 1);
    assert.equal(reason[0].type, 'Input.Text');
    assert.equal(reason[0].isRequired, true);
  });

  it('shows no buttons and says why to a viewer who may not decide', () => {
    const card = approvalCard(awaitingApproval(), requesterView, approvers);
    assert.deepEqual(decisionButtons(card), []);
    assert.deepEqual(findById(card, 'rejectReason'), []);
    assert.ok(texts(card).includes(requesterView.notice));
    assert.ok(texts(card).includes('State: Awaiting security approval'));
  });

  it('shows no buttons once decided, even to an approver, and says who decided when', () => {
    const done = approvalCard(approved(), decider, approvers);
    assert.deepEqual(decisionButtons(done), []);
    assert.deepEqual(findById(done, 'rejectReason'), []);
    assert.ok(texts(done).includes('Approved by Megan Bowen at 2025-11-25 10:03 UTC'));

    const refused = approvalCard(rejected(), decider, approvers);
    assert.deepEqual(decisionButtons(refused), []);
    assert.ok(texts(refused).includes('Rejected by Adele Vance at 2025-11-25 10:05 UTC'));
    assert.ok(texts(refused).includes('Reason: HR has not confirmed the date yet.'));
    assert.ok(texts(refused).includes('State: Rejected'));
  });

  it('shows the request and the planned steps', () => {
    const shown = texts(approvalCard(awaitingApproval(), decider, approvers));
    for (const expected of [
      'Security approval: offboard Lynne Robbins',
      'Leaving: Lynne Robbins (lynner@contoso.com)',
      'Manager: Patti Fernandez',
      'Requested by: Alex Wilber',
      'Departure type: Involuntary',
      'Cut-off: 2025-12-01 18:00 Europe/Paris (2025-12-01 17:00 UTC)',
      'Ticket: INC0012345',
      'Last day agreed with HR. Keep the mailbox for the team.',
      '1. Block sign-in',
      '2. Revoke sessions',
    ]) {
      assert.ok(shown.includes(expected), `missing "${expected}" in ${JSON.stringify(shown)}`);
    }
  });

  it('shows the plan preview read from the tenant, with its risks, before anyone decides', () => {
    const c = awaitingApproval({
      planPreview: [
        { action: 'blockSignIn', found: 'sign-in is allowed.', changes: [], risks: [] },
        { action: 'revokeSessions', found: 'sessions may be active.', changes: ['sessions'], risks: ['Mail is forwarded outside the company.'] },
      ],
    });
    const card = approvalCard(c, decider, approvers);
    assertSoundCard(card, verbs);
    const shown = texts(card).map(asRead);
    for (const expected of ['1. Block sign-in', 'sign-in is allowed.', '2. Revoke sessions', 'sessions may be active. (sessions)', 'Risks found in the tenant', '- Mail is forwarded outside the company.']) {
      assert.ok(shown.includes(expected), `missing "${expected}" in ${JSON.stringify(shown)}`);
    }
  });

  it('shows what was found about the person first among the risks, without a plan line of its own', () => {
    const person = ['Lynne Robbins is in the security approvers group, so they can see this case\'s cards in the Security channel.', "Lynne Robbins's account is already blocked from sign-in."];
    const steps = [{ action: 'revokeSessions' as const, found: 'sessions may be active.', changes: ['sessions'], risks: ['Mail is forwarded outside the company.'] }];
    const c = awaitingApproval({ steps: planSteps(), planPreview: steps, personRisks: person });
    const card = approvalCard(c, decider, approvers);
    assertSoundCard(card, verbs);
    const shown = texts(card).map(asRead);
    assert.deepEqual(shown.filter((t) => t.startsWith('- ')), [...person, 'Mail is forwarded outside the company.'].map((r) => `- ${r}`));
    const evidence = shown.indexOf('1. Evidence snapshot');
    assert.equal(shown[evidence + 1], '2. Remove directory roles', 'no detail under the evidence snapshot');
  });

  it('highlights a high-risk departure and leaves optional fields out when empty', () => {
    const c = awaitingApproval({ request: { departureType: 'high-risk', cutoff: 'now', timeZone: 'UTC' } });
    const card = approvalCard(c, decider, approvers);
    assertSoundCard(card, verbs);
    const warning = card.body.find((e) => (e as { style?: string }).style === 'attention');
    assert.ok(warning, 'an attention container for high-risk');
    const shown = texts(card);
    assert.ok(shown.includes('Departure type: High-risk'));
    assert.ok(shown.includes('Cut-off: Now, as soon as approved'));
    assert.ok(!shown.some((t) => t.startsWith('Ticket')));
    assert.ok(!shown.includes('Notes'));
    assert.ok(!approvalCard(awaitingApproval(), decider, approvers).body.some((e) => (e as { style?: string }).style === 'attention'));
  });

  it('shows a UTC cut-off once, without repeating it', () => {
    const c = awaitingApproval({ request: { departureType: 'voluntary', cutoff: '2025-12-01T17:00', timeZone: 'UTC' } });
    assert.ok(texts(approvalCard(c, decider, approvers)).includes('Cut-off: 2025-12-01 17:00 UTC'));
  });

  it('asks Teams to refresh per viewer, for the listed MRIs only', () => {
    const c = awaitingApproval();
    assert.deepEqual(approvalCard(c, decider, approvers).refresh, {
      action: { type: 'Action.Execute', verb: 'refresh', data: { caseId: c._id } },
      userIds: approvers,
    });
    assert.equal('refresh' in approvalCard(c, decider, []), false);
    const many = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    assert.equal(approvalCard(c, decider, many).refresh?.userIds.length, 60);
  });

  it('shows typed text literally, never as a template expression', () => {
    const c = awaitingApproval();
    const notes = 'Ask ${requesterName} and {{DATE(2025-01-01)}} first';
    const card = approvalCard({ ...c, request: { ...c.request, notes } }, decider, approvers);
    assert.ok(texts(card).map(asRead).includes(notes));
  });
});
