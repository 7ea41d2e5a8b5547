import assert from 'node:assert/strict';
import { pickTargetCard, type TargetSummary } from '../../src/cards/pick-target-card';
import { allActions, assertSoundCard, texts } from './card-checks';

const matches: TargetSummary[] = [
  {
    id: '00000000-0000-0000-0000-000000000025',
    displayName: 'Lynne Robbins',
    userPrincipalName: 'lynner@contoso.com',
    mail: 'lynne.robbins@contoso.com',
    jobTitle: 'Retail Manager',
    department: 'Retail',
  },
  { id: '00000000-0000-0000-0000-000000000077', displayName: 'Lynne Robbins', userPrincipalName: 'lrobbins@contoso.com' },
];

describe('pick-target card', () => {
  it('is a sound 1.5 card whose buttons carry only the target id', () => {
    assertSoundCard(pickTargetCard('Lynne', matches), { pickTarget: ['targetId'] });
  });

  it('names the query and offers one button per match, in order', () => {
    const card = pickTargetCard('Lynne', matches);
    assert.ok(texts(card).includes("Several people match 'Lynne'"));
    assert.deepEqual(
      allActions(card).map((a) => a.data),
      matches.map((m) => ({ targetId: m.id })),
    );
  });

  it('tells same-named people apart by address and role', () => {
    const shown = texts(pickTargetCard('Lynne', matches));
    assert.ok(shown.includes('lynne.robbins@contoso.com'), 'mail preferred when present');
    assert.ok(shown.includes('Retail Manager, Retail'));
    assert.ok(shown.includes('lrobbins@contoso.com'), 'UPN when there is no mail');
    assert.equal(shown.filter((t) => t === '').length, 0, 'no empty role line for a match without job title');
  });
});
