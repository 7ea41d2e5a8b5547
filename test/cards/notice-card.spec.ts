import assert from 'node:assert/strict';
import { noticeCard } from '../../src/cards/notice-card';
import { allActions, assertSoundCard, texts } from './card-checks';

describe('notice card', () => {
  it('shows a clear answer with no buttons', () => {
    const card = noticeCard('No one matches \'Zed\'', 'Check the spelling, or use their email address.');
    assertSoundCard(card, {});
    assert.deepEqual(texts(card), ["No one matches 'Zed'", 'Check the spelling, or use their email address.']);
    assert.equal(allActions(card).length, 0);
  });

  it('colours the title by style and drops an empty text', () => {
    const card = noticeCard('Request refused', '', 'attention');
    assertSoundCard(card, {});
    assert.deepEqual(card.body, [
      { type: 'TextBlock', text: 'Request refused', size: 'Medium', weight: 'Bolder', color: 'attention', wrap: true },
    ]);
  });
});
