import assert from 'node:assert/strict';
import { DEPARTURE_TYPES } from '../../src/cases/case';
import { parseDepartureForm } from '../../src/cases/departure-form';
import { requestCard } from '../../src/cards/request-card';
import { allActions, asRead, assertSoundCard, findById, texts } from './card-checks';
import { lynne } from './sample-cases';

const verbs = { submitRequest: ['targetId'], cancelRequest: ['targetId'] };

function input(card: object, id: string): Record<string, unknown> {
  const found = findById(card, id);
  assert.equal(found.length, 1, `exactly one input ${id}`);
  return found[0];
}

describe('request card', () => {
  it('is a sound 1.5 card whose buttons carry only the target id', () => {
    assertSoundCard(requestCard(lynne, { defaultTimeZone: 'Europe/London' }), verbs);
    assertSoundCard(requestCard(lynne, { defaultTimeZone: 'UTC', errorMessage: 'Pick a cut-off date.' }), verbs);
  });

  it('shows who is leaving and their manager', () => {
    const shown = texts(requestCard(lynne, { defaultTimeZone: 'UTC' }));
    assert.ok(shown.includes('Name: Lynne Robbins'));
    assert.ok(shown.includes('UPN: lynner@contoso.com'));
    assert.ok(shown.includes('Manager: Patti Fernandez'));
    const { manager: _omitted, ...withoutManager } = lynne;
    assert.ok(!texts(requestCard(withoutManager, { defaultTimeZone: 'UTC' })).some((t) => t.startsWith('Manager')));
  });

  it('asks for a departure type, voluntary by default, from exactly the known types', () => {
    const departure = input(requestCard(lynne, { defaultTimeZone: 'UTC' }), 'departureType');
    assert.equal(departure.type, 'Input.ChoiceSet');
    assert.equal(departure.value, 'voluntary');
    assert.equal(departure.isRequired, true);
    assert.deepEqual(
      (departure.choices as { value: string }[]).map((c) => c.value),
      [...DEPARTURE_TYPES],
    );
  });

  it('offers cut-off now (on by default) or a date, time and time zone', () => {
    const card = requestCard(lynne, { defaultTimeZone: 'Europe/Paris' });
    assert.equal(input(card, 'cutoffNow').type, 'Input.Toggle');
    assert.equal(input(card, 'cutoffNow').value, 'true');
    assert.equal(input(card, 'cutoffDate').type, 'Input.Date');
    assert.equal(input(card, 'cutoffTime').type, 'Input.Time');
    const zone = input(card, 'timeZone');
    assert.equal(zone.value, 'Europe/Paris');
    const zones = (zone.choices as { value: string }[]).map((c) => c.value);
    assert.ok(zones.includes('UTC') && zones.includes('America/New_York'));
    assert.equal(new Set(zones).size, zones.length, 'no zone listed twice');
  });

  it('names the cut-off inputs as the form\'s messages do', () => {
    const card = requestCard(lynne, { defaultTimeZone: 'UTC' });
    const noDate = parseDepartureForm({ departureType: 'voluntary', cutoffNow: 'false', timeZone: 'UTC' }, new Date('2026-11-25T10:00:00Z'));
    assert.equal(noDate.ok, false);
    const problem = noDate.ok ? '' : noDate.problem;
    const dateLabel = String(input(card, 'cutoffDate').label);
    assert.equal(dateLabel, 'Last working day');
    assert.ok(problem.toLowerCase().includes(dateLabel.toLowerCase()), `"${problem}" names the date input "${dateLabel}"`);
    const toggle = String(input(card, 'cutoffNow').title);
    assert.ok(problem.includes(`"${toggle}"`), `"${problem}" names the toggle "${toggle}"`);
    const bad = parseDepartureForm({ departureType: 'voluntary', timeZone: 'UTC', delegateUntil: '2099-02-31' }, new Date('2026-11-25T10:00:00Z'));
    assert.ok(!bad.ok && bad.problem.includes(`"${input(card, 'delegateUntil').label}"`), 'the delegate end date message names its input');
  });

  it('lists a default time zone that is not in the common list', () => {
    const zone = input(requestCard(lynne, { defaultTimeZone: 'Pacific/Auckland' }), 'timeZone');
    assert.equal(zone.value, 'Pacific/Auckland');
    assert.ok((zone.choices as { value: string }[]).some((c) => c.value === 'Pacific/Auckland'));
  });

  it('has ticket and multiline notes inputs', () => {
    const card = requestCard(lynne, { defaultTimeZone: 'UTC' });
    assert.equal(input(card, 'ticket').type, 'Input.Text');
    assert.equal(input(card, 'notes').isMultiline, true);
  });

  it('submits or cancels for the target, and cancelling skips input validation', () => {
    const actions = allActions(requestCard(lynne, { defaultTimeZone: 'UTC' }));
    assert.deepEqual(
      actions.map((a) => [a.verb, a.data]),
      [
        ['submitRequest', { targetId: lynne.id }],
        ['cancelRequest', { targetId: lynne.id }],
      ],
    );
    assert.equal(actions[1].associatedInputs, 'none');
  });

  it('warns before submitting, in a warning box above the form, only when there is something to say', () => {
    const warnings = ['Lynne Robbins is in the security approvers group, so they can see this case\'s cards in the Security channel.', 'Lynne Robbins was offboarded before: case 1a2b3c4d, closed 2025-03-02.'];
    const card = requestCard(lynne, { defaultTimeZone: 'UTC', warnings });
    assertSoundCard(card, verbs);
    const box = card.body.find((e) => (e as { style?: string }).style === 'warning');
    assert.deepEqual(texts(box).map(asRead), ['Before you submit', ...warnings.map((w) => `- ${w}`)]);
    assert.ok(card.body.indexOf(box!) < card.body.findIndex((e) => (e as { id?: string }).id === 'departureType'), 'read before choosing anything');
    assert.ok(!requestCard(lynne, { defaultTimeZone: 'UTC', warnings: [] }).body.some((e) => (e as { style?: string }).style === 'warning'));
    assert.ok(!texts(requestCard(lynne, { defaultTimeZone: 'UTC' })).includes('Before you submit'));
  });

  it('re-shows what was wrong in attention colour, only when something was', () => {
    const card = requestCard(lynne, { defaultTimeZone: 'UTC', errorMessage: 'The cut-off date is in the past.' });
    const error = card.body.find((e) => (e as { text?: string }).text === 'The cut-off date is in the past.');
    assert.equal((error as { color?: string } | undefined)?.color, 'Attention');
    const plain = requestCard(lynne, { defaultTimeZone: 'UTC' });
    assert.ok(!plain.body.some((e) => (e as { color?: string }).color === 'Attention'));
  });

  it('keeps what the requester typed when re-shown', () => {
    const card = requestCard(lynne, {
      defaultTimeZone: 'UTC',
      errorMessage: 'The cut-off date is in the past.',
      values: {
        departureType: 'high-risk',
        cutoffNow: false,
        cutoffDate: '2025-01-02',
        cutoffTime: '09:30',
        timeZone: 'Asia/Tokyo',
        ticket: 'INC42',
        notes: undefined,
      },
    });
    assertSoundCard(card, verbs);
    assert.equal(input(card, 'departureType').value, 'high-risk');
    assert.equal(input(card, 'cutoffNow').value, 'false');
    assert.equal(input(card, 'cutoffDate').value, '2025-01-02');
    assert.equal(input(card, 'cutoffTime').value, '09:30');
    assert.equal(input(card, 'timeZone').value, 'Asia/Tokyo');
    assert.equal(input(card, 'ticket').value, 'INC42');
    assert.equal(input(card, 'notes').value, '');
  });

  it('asks the mailbox and licence decisions, prefilled with the safe defaults and the manager as delegate', () => {
    const card = requestCard(lynne, { defaultTimeZone: 'UTC' });
    assert.equal(input(card, 'convertToShared').value, 'true');
    assert.equal(input(card, 'autoReply').value, 'true');
    assert.equal(input(card, 'litigationHold').value, 'false');
    assert.equal(input(card, 'licences').value, 'remove-after-conversion');
    assert.equal(input(card, 'delegate').placeholder, 'The manager, Patti Fernandez');
    const again = requestCard(lynne, { defaultTimeZone: 'UTC', values: { delegate: 'meganb@contoso.com', licences: 'keep', litigationHold: true } });
    assert.deepEqual([input(again, 'delegate').value, input(again, 'licences').value, input(again, 'litigationHold').value], ['meganb@contoso.com', 'keep', 'true']);
  });

  it('asks what happens to the devices (retire by default) and who takes over the files and the groups (the manager by default)', () => {
    const card = requestCard(lynne, { defaultTimeZone: 'UTC' });
    const devices = input(card, 'devices');
    assert.equal(devices.type, 'Input.ChoiceSet');
    assert.equal(devices.value, 'retire');
    assert.deepEqual((devices.choices as { value: string }[]).map((c) => c.value), ['retire', 'wipe', 'leave']);
    assert.equal(input(card, 'filesTo').placeholder, 'The manager, Patti Fernandez');
    assert.equal(input(card, 'groupsTo').placeholder, 'The manager, Patti Fernandez');
    const again = requestCard(lynne, { defaultTimeZone: 'UTC', values: { devices: 'wipe', filesTo: 'none', groupsTo: 'meganb@contoso.com' } });
    assertSoundCard(again, verbs);
    assert.deepEqual([input(again, 'devices').value, input(again, 'filesTo').value, input(again, 'groupsTo').value], ['wipe', 'none', 'meganb@contoso.com']);
  });

  it('asks what happens to OneDrive sharing outside the company, by departure type unless chosen', () => {
    const sharing = input(requestCard(lynne, { defaultTimeZone: 'UTC' }), 'externalSharing');
    assert.equal(sharing.type, 'Input.ChoiceSet');
    assert.equal(sharing.value, 'by-departure-type');
    assert.deepEqual((sharing.choices as { value: string }[]).map((c) => c.value), ['by-departure-type', 'remove', 'report']);
    const again = requestCard(lynne, { defaultTimeZone: 'UTC', values: { externalSharing: 'report' } });
    assertSoundCard(again, verbs);
    assert.equal(input(again, 'externalSharing').value, 'report');
  });
});
