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

  it('refuses a last working day or a time that does not exist, rather than rolling it over', () => {
    const problem = (extra: Record<string, string>) => {
      const r = parseDepartureForm({ departureType: 'voluntary', cutoffNow: 'false', timeZone: 'UTC', ...extra }, now);
      assert.equal(r.ok, false, `${JSON.stringify(extra)} is refused, not run at ${r.ok ? r.notBefore : ''}`);
      return r.ok ? '' : r.problem;
    };
    for (const date of ['2099-02-31', '2099-13-45', '2099-00-10', '2099-04-31', '2099-01-00', '2100-02-29', '2099-1-5']) {
      assert.match(problem({ cutoffDate: date, cutoffTime: '17:00' }), /last working day is not a date on the calendar/, date);
    }
    for (const time of ['25:61', '24:00', '12:60', '99:99', '5pm', '17']) {
      assert.match(problem({ cutoffDate: '2030-01-01', cutoffTime: time }), /cut-off time is not a time of day/, time);
    }
  });

  it('accepts every real date and time: leap days, the last minute of the day, no time meaning 17:00', () => {
    const at = (cutoffDate: string, cutoffTime?: string) => {
      const r = parseDepartureForm({ departureType: 'voluntary', cutoffNow: 'false', timeZone: 'UTC', cutoffDate, ...(cutoffTime ? { cutoffTime } : {}) }, now);
      assert.ok(r.ok, `${cutoffDate} ${cutoffTime}: ${r.ok ? '' : r.problem}`);
      return [r.request.cutoff, r.notBefore];
    };
    assert.deepEqual(at('2028-02-29', '23:59'), ['2028-02-29T23:59', '2028-02-29T23:59:00.000Z']);
    assert.deepEqual(at('2400-02-29', '00:00'), ['2400-02-29T00:00', '2400-02-29T00:00:00.000Z']);
    assert.deepEqual(at('2027-04-30'), ['2027-04-30T17:00', '2027-04-30T17:00:00.000Z']);
    assert.deepEqual(at('2027-12-31', '08:15:00'), ['2027-12-31T08:15', '2027-12-31T08:15:00.000Z']);
  });

  it('refuses a mailbox "Access until" date that does not exist', () => {
    for (const delegateUntil of ['2099-02-31', '2099-13-45', '2027-02-29']) {
      const r = parseDepartureForm({ departureType: 'voluntary', timeZone: 'UTC', delegateUntil }, now);
      assert.equal(r.ok, false, delegateUntil);
      if (!r.ok) assert.match(r.problem, /"Access until" date is not a date on the calendar/);
    }
    const leap = parseDepartureForm({ departureType: 'voluntary', timeZone: 'UTC', delegateUntil: '2028-02-29' }, now);
    assert.ok(leap.ok);
    assert.equal(leap.request.mailbox?.delegateUntil, '2028-02-29');
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
