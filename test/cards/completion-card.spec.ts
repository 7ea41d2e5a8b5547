import assert from 'node:assert/strict';
import { completionCard, completionResult } from '../../src/cards/completion-card';
import { allActions, assertSoundCard, texts } from './card-checks';
import { completed, completedWithFailure } from './sample-cases';

describe('completion card', () => {
  it('is a sound 1.5 card with no buttons', () => {
    for (const c of [completed(), completedWithFailure()]) {
      assertSoundCard(completionCard(c), {});
      assert.equal(allActions(completionCard(c)).length, 0);
    }
  });

  it('says Completed when every step went through, with the whole record', () => {
    const shown = texts(completionCard(completed()));
    for (const expected of [
      'Offboarding of Lynne Robbins: Completed',
      'Leaving: Lynne Robbins (lynner@contoso.com)',
      'Requested by: Alex Wilber',
      'Ticket: INC0012345',
      'Requested: 2025-11-25 09:12 UTC',
      'Cut-off: 2025-12-01 18:00 Europe/Paris (2025-12-01 17:00 UTC)',
      'Started: 2025-12-01 17:00 UTC',
      'Finished: 2025-12-01 17:00 UTC',
      '✅ Block sign-in: Succeeded',
      '✅ Revoke sessions: Succeeded',
      'Approved by Megan Bowen at 2025-11-25 10:03 UTC',
    ]) {
      assert.ok(shown.includes(expected), `missing "${expected}" in ${JSON.stringify(shown)}`);
    }
  });

  it('never says plain Completed while a step failed', () => {
    const card = completionCard(completedWithFailure());
    const shown = texts(card);
    assert.ok(shown.includes('Offboarding of Lynne Robbins: Completed with failures — 1 step(s) need attention'));
    assert.ok(!shown.some((t) => /Completed$/.test(t)), JSON.stringify(shown));
    assert.ok(shown.includes('❌ Revoke sessions: Failed'));
    assert.ok(shown.includes('Graph answered 503 three times; retry later.'));
  });

  it('counts every failed step', () => {
    const c = completedWithFailure();
    const steps = c.steps.map((s) => ({ ...s, status: 'failed' as const }));
    assert.deepEqual(completionResult(steps), {
      text: 'Completed with failures — 2 step(s) need attention',
      color: 'attention',
    });
    assert.deepEqual(completionResult(completed().steps), { text: 'Completed', color: 'good' });
  });

  it('warns when no approval is recorded', () => {
    const shown = texts(completionCard({ ...completed(), decisions: [] }));
    assert.ok(shown.includes('No approval is recorded on this case.'));
  });
});
