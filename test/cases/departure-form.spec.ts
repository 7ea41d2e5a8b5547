import assert from 'node:assert/strict';
import { parseDepartureForm, zonedToUtc } from '../../src/cases/departure-form';

const now = new Date('2026-11-25T10:00:00Z');

describe('the departure form', () => {
  it('"now" executes as soon as approved', () => {
    const r = parseDepartureForm({ departureType: 'voluntary', cutoffNow: 'true', timeZone: 'Europe/Paris' }, now);
    assert.ok(r.ok);
    assert.equal(r.request.cutoff, 'now');
    assert.equal(r.notBefore, now.toISOString());
  });

  it('a cut-off date and time in a time zone becomes the right UTC instant', () => {
    const r = parseDepartureForm({ departureType: 'voluntary', cutoffNow: 'false', cutoffDate: '2026-12-01', cutoffTime: '18:00', timeZone: 'Europe/Paris' }, now);
    assert.ok(r.ok);
    assert.equal(r.notBefore, '2026-12-01T17:00:00.000Z');
    assert.equal(r.request.cutoff, '2026-12-01T18:00');
  });

  it('follows daylight saving time', () => {
    assert.equal(zonedToUtc('2026-07-01', '09:00', 'America/New_York').toISOString(), '2026-07-01T13:00:00.000Z');
    assert.equal(zonedToUtc('2026-01-15', '09:00', 'America/New_York').toISOString(), '2026-01-15T14:00:00.000Z');
  });

  it('a high-risk exit is contained at once, whatever cut-off was typed', () => {
    const r = parseDepartureForm({ departureType: 'high-risk', cutoffNow: 'false', cutoffDate: '2026-12-24', timeZone: 'UTC' }, now);
    assert.ok(r.ok);
    assert.equal(r.request.cutoff, 'now');
  });

  it('keeps OneDrive sharing outside the company for a voluntary exit and removes it otherwise, unless the card says', () => {
    const sharing = (extra: Record<string, string>) => {
      const r = parseDepartureForm({ timeZone: 'UTC', ...extra }, now);
      assert.ok(r.ok, JSON.stringify(extra));
      return r.request.handOver?.externalSharing;
    };
    assert.equal(sharing({ departureType: 'voluntary' }), 'report');
    assert.equal(sharing({ departureType: 'voluntary', externalSharing: 'by-departure-type' }), 'report');
    assert.equal(sharing({ departureType: 'involuntary' }), 'remove');
    assert.equal(sharing({ departureType: 'high-risk', externalSharing: 'by-departure-type' }), 'remove');
    assert.equal(sharing({ departureType: 'voluntary', externalSharing: 'remove' }), 'remove');
    assert.equal(sharing({ departureType: 'high-risk', externalSharing: 'report' }), 'report');
  });

  it('explains what is wrong', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ departureType: 'fired' }, /departure type/],
      [{ departureType: 'voluntary', cutoffNow: 'false' }, /last working day/],
      [{ departureType: 'voluntary', cutoffNow: 'false', cutoffDate: '2026-11-01', timeZone: 'UTC' }, /in the past/],
      [{ departureType: 'voluntary', timeZone: 'Mars/Olympus' }, /Unknown time zone/],
      [{ departureType: 'voluntary', notes: 'x'.repeat(2001) }, /at most 2000/],
      [{ departureType: 'voluntary', externalSharing: 'delete-the-drive' }, /OneDrive files shared outside the company/],
    ];
    for (const [input, message] of cases) {
      const r = parseDepartureForm(input, now);
      assert.equal(r.ok, false, JSON.stringify(input));
      if (!r.ok) assert.match(r.problem, message);
    }
  });
});
