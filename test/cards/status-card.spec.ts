import assert from 'node:assert/strict';
import type { StepStatus } from '../../src/cases/case';
import { statusCard } from '../../src/cards/status-card';
import { allActions, assertSoundCard, texts } from './card-checks';
import { approved, completed, completedWithFailure, running } from './sample-cases';

describe('status card', () => {
  it('is a sound 1.5 card with no buttons at every stage', () => {
    for (const c of [approved(), running(), completed(), completedWithFailure()]) {
      const card = statusCard(c);
      assertSoundCard(card, {});
      assert.equal(allActions(card).length, 0);
    }
  });

  it('shows each step with its status and detail, and the overall state', () => {
    const shown = texts(statusCard(running()));
    assert.ok(shown.includes('Running'));
    assert.ok(shown.includes('Block sign-in: Succeeded'));
    assert.ok(shown.includes('Sign-in blocked (accountEnabled = false).'));
    assert.ok(shown.includes('Revoke sessions: Running'));
    assert.ok(shown.includes('Updated 2025-12-01 17:00 UTC'));
  });

  it('gives every step status its own icon and word', () => {
    const statuses: StepStatus[] = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'manual'];
    const lines = statuses.map((status) => {
      const c = running();
      const card = statusCard({ ...c, steps: [{ action: 'blockSignIn', status, requestIds: [] }] });
      assertSoundCard(card, {});
      const shown = texts(card);
      return { icon: shown[shown.length - 3], word: shown[shown.length - 2] };
    });
    assert.equal(new Set(lines.map((l) => l.icon)).size, statuses.length, JSON.stringify(lines));
    assert.equal(new Set(lines.map((l) => l.word)).size, statuses.length, JSON.stringify(lines));
    assert.equal(lines[3].word, 'Block sign-in: Failed');
  });

  it('shows a failure in attention colour', () => {
    const card = JSON.stringify(statusCard(completedWithFailure()));
    assert.match(card, /"text":"Revoke sessions: Failed","color":"attention"/);
    assert.match(card, /"text":"Completed with failures","color":"attention"/);
  });
});
