import assert from 'node:assert/strict';
import type { OffboardingCase } from '../../src/cases/case';
import { completionCard, completionResult } from '../../src/cards/completion-card';
import { allActions, asRead, assertSoundCard, texts } from './card-checks';
import { completed, completedWithExceptions, completedWithFailure, patti } from './sample-cases';

/** What a person reads on the card, top to bottom. */
const read = (c: OffboardingCase) => texts(completionCard(c)).map(asRead);

function assertShows(shown: string[], expected: string[]): void {
  for (const line of expected) assert.ok(shown.includes(line), `missing "${line}" in ${JSON.stringify(shown, null, 1)}`);
}

/** The lines between a section heading and the next bold heading of the card. */
function section(c: OffboardingCase, heading: string): string[] {
  const shown = read(c);
  const start = shown.indexOf(heading);
  assert.ok(start >= 0, `no section "${heading}" in ${JSON.stringify(shown)}`);
  const headings = ['Exceptions still open', 'Exceptions handled by a person', 'Owners after offboarding', 'Company devices to collect', 'Retention decision', 'Scheduled follow-ups', 'Approvals', 'Steps'];
  const end = shown.findIndex((t, i) => i > start && headings.includes(t));
  return shown.slice(start + 1, end < 0 ? undefined : end);
}

/** A case whose evidence snapshot recorded these Intune devices (or could not read them). */
function withDevices(c: OffboardingCase, devices: unknown[] | 'refused'): OffboardingCase {
  const path = '/users/x/managedDevices';
  const managedDevices = devices === 'refused' ? { path, error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } : { path, value: devices };
  return { ...c, evidence: { takenAt: '2025-12-01T17:00:00Z', sha256: '0'.repeat(64), snapshot: JSON.stringify({ sections: { managedDevices } }) } };
}

const headingOf = (c: OffboardingCase) => completionCard(c).body[0] as { text: string; color: string };

describe('completion card', () => {
  it('is a sound 1.5 card with no buttons', () => {
    for (const c of [completed(), completedWithFailure(), completedWithExceptions()]) {
      assertSoundCard(completionCard(c), {});
      assert.equal(allActions(completionCard(c)).length, 0);
    }
  });

  it('says Completed, in good colour, when every step went through, with the whole record', () => {
    assert.deepEqual(headingOf(completed()), { ...headingOf(completed()), text: 'Offboarding of Lynne Robbins: Completed', color: 'good' });
    assertShows(read(completed()), [
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
    ]);
    assert.deepEqual(section(completed(), 'Exceptions still open'), ['None: nothing is waiting for a person.']);
    assert.deepEqual(section(completed(), 'Scheduled follow-ups'), ['None scheduled.']);
  });

  it('never says plain Completed while a step waits for a person, and lists it with its reason', () => {
    const c = completedWithExceptions();
    assert.equal(headingOf(c).text, 'Offboarding of Lynne Robbins: Completed — 1 exception for a person');
    assert.equal(headingOf(c).color, 'warning');
    const open = section(c, 'Exceptions still open');
    assert.equal(open[0], '✋ Remove group memberships: Manual action needed');
    assert.match(open[1], /'All Paris staff' is a dynamic group \(rule: user\.city -eq "Paris"\): change the user's attributes or the rule/);
    assert.equal(open.length, 2, 'the handled exception is not open');
  });

  it('shows exceptions a person handled, with who, when and what they did', () => {
    assert.deepEqual(section(completedWithExceptions(), 'Exceptions handled by a person'), [
      '✔️ Block sign-in: handled by Adele Vance at 2025-12-01 17:40 UTC',
      'Disabled in AD, synced at 18:38 Paris time.',
    ]);
    const c = completedWithExceptions();
    assert.deepEqual(section(c, 'Steps').slice(0, 2), ['✔️ Block sign-in: Handled by Adele Vance', 'The account is synced from on-premises Active Directory: disable it there and let Entra Connect sync.']);
    const allHandled = c.steps.map((s) => (s.status === 'manual' ? { ...s, resolution: { by: patti, at: '2025-12-02T08:00:00.000Z', note: 'Rule changed.' } } : s));
    assert.deepEqual(headingOf({ ...c, steps: allHandled }), { ...headingOf(c), text: 'Offboarding of Lynne Robbins: Completed', color: 'good' });
  });

  it('lists failed steps, with their reason, in attention colour', () => {
    const c = completedWithFailure();
    assert.equal(headingOf(c).text, 'Offboarding of Lynne Robbins: Completed with failures — 1 step failed');
    assert.equal(headingOf(c).color, 'attention');
    assert.ok(!read(c).some((t) => /Completed$/.test(t)));
    assert.deepEqual(section(c, 'Exceptions still open'), ['❌ Revoke sessions: Failed', 'Graph answered 503 three times; retry later.']);
    assertShows(read(c), ['❌ Revoke sessions: Failed', 'Graph answered 503 three times; retry later.']);
  });

  it('counts failed steps and exceptions for a person apart', () => {
    const c = completedWithExceptions();
    const steps = c.steps.map((s) => (s.action === 'grantOneDriveAccess' || s.action === 'moveDirectReports' ? { ...s, status: 'failed' as const } : s));
    assert.deepEqual(completionResult(steps), { text: 'Completed with failures — 2 steps failed, 1 exception for a person', color: 'attention' });
    const followUps = [{ ...c.followUps![0], status: 'failed' as const, detail: 'Teams refused the post.' }];
    assert.deepEqual(completionResult(c.steps, followUps), { text: 'Completed — 2 exceptions for a person', color: 'warning' });
    assert.deepEqual(completionResult(completed().steps), { text: 'Completed', color: 'good' });
  });

  it('says whether the meetings the user organized were cancelled, once, in the owners section', () => {
    const c = completedWithExceptions();
    const detail = "Cancelled 2 meeting(s) and series, attendees notified: 'Store walk' on 2025-12-03, 'Retail weekly' (series, 12 occurrence(s) from 2025-12-01). (verified: none left in the calendar)";
    const withMeetings = {
      ...c,
      request: { ...c.request, mailbox: { convertToShared: true, autoReply: true, litigationHold: false, cancelMeetings: true } },
      steps: [...c.steps, { action: 'cancelMeetings' as const, status: 'succeeded' as const, requestIds: [], detail }],
    };
    const owners = section(withMeetings, 'Owners after offboarding');
    assert.deepEqual(owners.slice(-2), ['Meetings the user organized: cancelled, attendees notified — ✅ Succeeded', detail]);
    assert.ok(section(withMeetings, 'Steps').includes('✅ Cancel the meetings the user organizes: Succeeded'));
    assert.ok(!section(withMeetings, 'Steps').includes(detail), 'its detail is not repeated in the step record');
    const kept = {
      ...withMeetings,
      request: { ...withMeetings.request, mailbox: { ...withMeetings.request.mailbox, cancelMeetings: false } },
      steps: [...c.steps, { action: 'cancelMeetings' as const, status: 'skipped' as const, requestIds: [], detail: 'The request keeps the meetings the user organizes.' }],
    };
    assert.match(section(kept, 'Owners after offboarding').at(-2) ?? '', /^Meetings the user organized: kept, as requested — \S+ Skipped$/);
  });

  it('says who owns the mailbox, files, groups and direct reports, from the request and the steps', () => {
    assert.deepEqual(section(completedWithExceptions(), 'Owners after offboarding'), [
      'Mailbox: FullAccess to the manager, Patti Fernandez, until 2026-02-28 — ✅ Succeeded',
      'Gave pattif@contoso.com FullAccess to the mailbox. (verified)',
      'OneDrive: edit access for meganb@contoso.com — ✅ Succeeded',
      'Gave Megan Bowen edit access to the OneDrive. (verified)',
      'Groups and teams the user solely owned: new owner the manager, Patti Fernandez — ✅ Succeeded',
      "Made Patti Fernandez an owner of 'Retail Sales', 'Mark 8 Project'. (verified)",
      "Direct reports: to Patti Fernandez, Lynne Robbins's manager — ✅ Succeeded",
      'Isaiah Langer now report to Patti Fernandez. (verified)',
    ]);
  });

  it('says when an owner hand-over failed or was not chosen, without inventing who', () => {
    const c = completedWithExceptions();
    const failedGrant = c.steps.map((s) => (s.action === 'grantMailboxAccess' ? { ...s, status: 'failed' as const, detail: 'Exchange refused.' } : s));
    const owners = section({ ...c, steps: failedGrant, request: { ...c.request, handOver: { filesTo: null } } }, 'Owners after offboarding');
    assertShows(owners, [
      'Mailbox: FullAccess to the manager, Patti Fernandez, until 2026-02-28 — ❌ Failed',
      'See Exceptions still open.',
      'OneDrive: nobody, the request gives no one access — ✅ Succeeded',
    ]);
    // Cases from before these steps existed: the request's choice, and that the case had no such step.
    assertShows(section(completed(), 'Owners after offboarding'), ["Mailbox: FullAccess to the manager, Patti Fernandez, with no end date — not part of this case's steps"]);
  });

  it('gives each step in the record once, without repeating what the sections above already say', () => {
    const steps = section(completedWithExceptions(), 'Steps');
    assert.equal(steps.filter((t) => t.startsWith('Gave pattif@contoso.com FullAccess')).length, 0);
    assertShows(steps, ['✅ Give the delegate mailbox access: Succeeded', '✋ Remove group memberships: Manual action needed']);
    assert.ok(steps.some((t) => t.includes("'All Paris staff' is a dynamic group")), 'an open exception keeps its reason in the record');
  });

  it('gives the retention decision and lists the follow-ups with their dates', () => {
    const c = completedWithExceptions();
    assert.deepEqual(section(c, 'Retention decision'), [
      'Mailbox: kept as a shared mailbox, hidden from address lists — ✅ Succeeded',
      'Converted to a shared mailbox, hidden from address lists. (verified: SharedMailbox, hidden)',
      'Litigation hold: on, as requested — ✅ Succeeded',
      'Litigation hold enabled. (verified)',
      'Licences: removed once the mailbox is verified shared — ✅ Succeeded',
      'Removed 1 licence(s). (verified)',
      'Account deletion: scheduled for 2026-03-02 17:08 UTC',
    ]);
    assert.deepEqual(section(c, 'Scheduled follow-ups'), [
      '⏳ Remind IT to review the case: 2025-12-31 17:08 UTC — Scheduled',
      "⏳ Remove the delegate's mailbox access: 2026-02-28 23:00 UTC — Scheduled",
      '⏳ Delete the account: 2026-03-02 17:08 UTC — Scheduled',
    ]);
    const [review, ...later] = c.followUps!;
    const detail = 'Will try again at 2025-12-31T17:18:08.000Z: Teams answered 503 Service Unavailable.';
    const underWay = { ...c, followUps: [{ ...review, startedAt: '2025-12-31T17:08:08.000Z', detail }, ...later] };
    assert.deepEqual(section(underWay, 'Scheduled follow-ups').slice(0, 2), ['⏳ Remind IT to review the case: 2025-12-31 17:08 UTC — Under way', detail]);
    const noDeletion = { ...c, followUps: c.followUps!.filter((f) => f.action !== 'deleteAccount') };
    assertShows(read(noDeletion), ['Account deletion: not scheduled by this offboarding']);
  });

  it('shows how follow-ups ended: done, called off, or left to a person', () => {
    const c = completedWithExceptions();
    const [review, delegate, deletion] = c.followUps!;
    const followUps = [
      { ...review, status: 'succeeded' as const, detail: 'Reminded IT in its channel to review the offboarding.' },
      { ...delegate, status: 'manual' as const, detail: 'The request names no delegate and the user has no manager: check who has FullAccess to the mailbox and remove it.' },
      { ...deletion, status: 'skipped' as const, detail: 'Cancelled by Patti Fernandez: rehired.', cancelled: { at: '2026-01-05T09:00:00.000Z', by: patti, reason: 'rehired' } },
    ];
    const card = { ...c, followUps };
    assert.deepEqual(section(card, 'Scheduled follow-ups'), [
      '✅ Remind IT to review the case: 2025-12-31 17:08 UTC — Succeeded',
      'Reminded IT in its channel to review the offboarding.',
      "✋ Remove the delegate's mailbox access: 2026-02-28 23:00 UTC — Manual action needed",
      'See Exceptions still open.',
      '🚫 Delete the account: 2026-03-02 17:08 UTC — Cancelled',
      'Cancelled by Patti Fernandez: rehired.',
    ]);
    assertShows(section(card, 'Exceptions still open'), ["✋ Follow-up: Remove the delegate's mailbox access: Manual action needed"]);

    const resolution = { by: patti, at: '2026-03-01T08:00:00.000Z', note: 'Removed Alex from the mailbox in the Exchange admin center.' };
    const handled = { ...card, followUps: [followUps[0], { ...followUps[1], resolution }, followUps[2]] };
    assert.deepEqual(section(handled, 'Scheduled follow-ups').slice(2, 4), [
      "✔️ Remove the delegate's mailbox access: 2026-02-28 23:00 UTC — Handled by Patti Fernandez",
      'The request names no delegate and the user has no manager: check who has FullAccess to the mailbox and remove it.',
    ]);
  });

  it('gives each approval with who, when and in which capacity', () => {
    assertShows(read(completedWithExceptions()), ['Approved by Megan Bowen at 2025-11-25 10:03 UTC, as security approver']);
    assertShows(read({ ...completed(), decisions: [] }), ['No approval is recorded on this case.']);
  });

  it('keeps a long list of exceptions short, and long reasons readable', () => {
    const c = completed();
    const longReason = `Could not remove from ${Array.from({ length: 60 }, (_, i) => `'Group ${i}'`).join(', ')}.`;
    const steps = Array.from({ length: 14 }, () => ({ ...c.steps[0], status: 'failed' as const, detail: longReason }));
    const open = section({ ...c, state: 'completed_with_failures', steps }, 'Exceptions still open');
    assert.equal(open.filter((t) => t === '❌ Block sign-in: Failed').length, 9);
    assert.equal(open.at(-1), 'and 5 more: see Steps below');
    for (const reason of open.filter((t) => t.startsWith('Could not remove'))) {
      assert.ok(reason.length <= 301 && reason.endsWith('…'), reason);
    }
  });

  it('shows names typed on the request exactly as typed, never as formatting or links', () => {
    const c = completedWithExceptions();
    const typed = '[Verify](https://evil.example) **boss**';
    const card = completionCard({ ...c, request: { ...c.request, handOver: { filesTo: typed } }, steps: c.steps.map((s) => ({ ...s, detail: typed })) });
    assertSoundCard(card, {});
    const raw = texts(card).filter((t) => t.includes('evil'));
    assert.ok(raw.length > 0);
    for (const t of raw) assert.doesNotMatch(t, /(^|[^\\])[[\]()*]/, t);
    assert.ok(texts(card).map(asRead).includes(`OneDrive: edit access for ${typed} — ✅ Succeeded`));
  });

  describe('company devices to collect', () => {
    const laptop = { deviceName: 'PAR-LR-*LT*', operatingSystem: 'Windows', model: 'Surface Laptop 5', serialNumber: '0F33ABCD2024', managedDeviceOwnerType: 'company', lastSyncDateTime: '2025-11-30T07:45:12Z' };
    const phone = { deviceName: "Lynne's iPhone", operatingSystem: 'iOS', model: 'iPhone 14', serialNumber: 'F2LZK0ABCDEF', managedDeviceOwnerType: 'personal', lastSyncDateTime: '2025-11-30T18:02:40Z' };

    it('lists the company-owned devices the evidence recorded, with model, serial and last check-in; not personal ones', () => {
      assert.deepEqual(section(withDevices(completed(), [laptop, phone]), 'Company devices to collect'), [
        // The stars are the name's own, shown as typed: not italics.
        "'PAR-LR-*LT*': Surface Laptop 5 (Windows), serial 0F33ABCD2024",
        'Last checked in with Intune 2025-11-30 07:45 UTC.',
      ]);
      assert.ok(texts(completionCard(withDevices(completed(), [laptop]))).some((t) => t.startsWith("'PAR-LR-\\*LT\\*'")), 'escaped, so Teams does not render italics');
    });

    it('says there is none when Intune listed only personal devices, and that it is not known without the devices read', () => {
      assert.deepEqual(section(withDevices(completed(), [phone]), 'Company devices to collect'), ['None: Intune lists no company-owned device of theirs.']);
      assert.deepEqual(section(withDevices(completed(), 'refused'), 'Company devices to collect'), [
        'Not known: the evidence snapshot could not read the Intune devices. Check Intune for company devices to collect.',
      ]);
      assert.deepEqual(section({ ...completed(), evidence: undefined }, 'Company devices to collect'), [
        'Not known: no evidence snapshot was taken. Check Intune for company devices to collect.',
      ]);
    });
  });
});
