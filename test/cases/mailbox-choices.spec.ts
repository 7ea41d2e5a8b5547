import assert from 'node:assert/strict';
import { parseDepartureForm } from '../../src/cases/departure-form';

const now = new Date('2026-11-25T10:00:00Z');
const base = { departureType: 'voluntary', cutoffNow: 'true', timeZone: 'UTC' };

describe('the mailbox and licence choices on the departure form', () => {
  it('defaults to shared, the manager as delegate, the default auto-reply, no hold, meetings kept, licences removed after conversion', () => {
    const r = parseDepartureForm(base, now);
    assert.ok(r.ok);
    assert.deepEqual(r.request.mailbox, { convertToShared: true, autoReply: true, litigationHold: false, cancelMeetings: false });
    assert.equal(r.request.licences, 'remove-after-conversion');
  });

  it('keeps what was chosen: a named delegate until a date, custom texts, hold, licences kept', () => {
    const r = parseDepartureForm(
      { ...base, delegate: 'meganb@contoso.com', delegateUntil: '2027-01-31', autoReplyInternal: 'Ask Megan.', litigationHold: 'true', licences: 'keep', convertToShared: 'false' },
      now,
    );
    assert.ok(r.ok);
    assert.deepEqual(r.request.mailbox, { convertToShared: false, delegate: 'meganb@contoso.com', delegateUntil: '2027-01-31', autoReply: true, autoReplyInternal: 'Ask Megan.', litigationHold: true, cancelMeetings: false });
    assert.equal(r.request.licences, 'keep');
  });

  it('cancels the meetings the user organizes unless the departure is voluntary, or as chosen; refuses another choice', () => {
    const meetings = (extra: Record<string, string>) => {
      const r = parseDepartureForm({ ...base, ...extra }, now);
      return r.ok ? r.request.mailbox?.cancelMeetings : r.problem;
    };
    assert.equal(meetings({ departureType: 'involuntary' }), true);
    assert.equal(meetings({ departureType: 'high-risk' }), true);
    assert.equal(meetings({ departureType: 'voluntary' }), false);
    assert.equal(meetings({ departureType: 'voluntary', meetings: 'cancel' }), true);
    assert.equal(meetings({ departureType: 'high-risk', meetings: 'keep' }), false);
    assert.equal(meetings({ meetings: 'delete-calendar' }), 'Choose what happens to the meetings the user organizes.');
  });

  it('"none" gives nobody access', () => {
    const r = parseDepartureForm({ ...base, delegate: 'none', delegateUntil: '2027-01-31' }, now);
    assert.ok(r.ok);
    assert.equal(r.request.mailbox?.delegate, null);
    assert.equal(r.request.mailbox?.delegateUntil, undefined);
  });

  it('refuses a delegate that is not an address, an end date in the past, or an unknown licence choice', () => {
    const problem = (extra: Record<string, string>) => {
      const r = parseDepartureForm({ ...base, ...extra }, now);
      return r.ok ? '' : r.problem;
    };
    assert.match(problem({ delegate: 'Alex' }), /email address/);
    assert.match(problem({ delegateUntil: '2026-01-01' }), /in the past/);
    assert.match(problem({ licences: 'delete-everything' }), /licences/);
  });

  it('defaults to retiring the devices and handing files and groups to the manager', () => {
    const r = parseDepartureForm(base, now);
    assert.ok(r.ok);
    assert.equal(r.request.devices, 'retire');
    assert.deepEqual(r.request.handOver, { externalSharing: 'report' });
  });

  it('keeps the device choice, who gets the files ("none" for nobody) and the new owner of the groups', () => {
    const r = parseDepartureForm({ ...base, devices: 'wipe', filesTo: 'none', groupsTo: 'meganb@contoso.com' }, now);
    assert.ok(r.ok);
    assert.equal(r.request.devices, 'wipe');
    assert.deepEqual(r.request.handOver, { filesTo: null, groupsTo: 'meganb@contoso.com', externalSharing: 'report' });
    const named = parseDepartureForm({ ...base, filesTo: 'adelev@contoso.com' }, now);
    assert.ok(named.ok);
    assert.deepEqual(named.request.handOver, { filesTo: 'adelev@contoso.com', externalSharing: 'report' });
  });

  it('refuses an unknown device choice, an owner that is not an address, and groups left to nobody', () => {
    const problem = (extra: Record<string, string>) => {
      const r = parseDepartureForm({ ...base, ...extra }, now);
      return r.ok ? '' : r.problem;
    };
    assert.match(problem({ devices: 'shred' }), /devices/);
    assert.match(problem({ filesTo: 'Alex' }), /OneDrive files as an email address/);
    assert.match(problem({ groupsTo: 'none' }), /need a new owner/);
    assert.match(problem({ groupsTo: 'Alex' }), /new owner of the groups as an email address/);
  });
});
