import assert from 'node:assert/strict';
import { cancelMeetings } from '../../src/actions/cancel-meetings';
import type { DepartureRequest } from '../../src/cases/case';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('cancel the meetings the user organizes', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const request = (cancel: boolean | undefined): DepartureRequest => ({
    ...t.ctx.request,
    mailbox: { convertToShared: true, autoReply: true, litigationHold: false, ...(cancel === undefined ? {} : { cancelMeetings: cancel }) },
  });
  const run = (cancel: boolean | undefined) => t.run(cancelMeetings, { request: request(cancel) });
  /** Subjects in a calendar from today on, as its owner sees it (cancelled meetings are gone from it). */
  const upcoming = async (userId: string) => {
    const from = new Date(new Date().toISOString().slice(0, 10));
    const to = new Date(from.getTime() + 30 * 86_400_000);
    const res = await t.ctx.graph.get<{ value: { subject: string }[] }>(`/users/${userId}/calendarView?startDateTime=${from.toISOString()}&endDateTime=${to.toISOString()}&$top=1000`);
    return [...new Set(res.body.value.map((e) => e.subject))].sort();
  };

  it("cancels Jane's meetings and what is left of her weekly series with one Remove-CalendarEvents; her appointment and Alex's meeting stay", async () => {
    const plan = await cancelMeetings.plan({ ...t.ctx, request: request(true) });
    const named = plan.changes.map((m) => m.name);
    assert.equal(named.length, 3, plan.found);
    assert.match(named.find((n) => n.startsWith("'Sales team weekly'")) ?? '', /^'Sales team weekly' \(series, \d+ occurrence\(s\) from \d{4}-\d\d-\d\d\)$/);
    assert.ok(named.some((n) => /^'Q1 pipeline review' on \d{4}-\d\d-\d\d$/.test(n)) && named.some((n) => n.startsWith("'Fabrikam renewal call' on ")), named.join('; '));

    const outcome = await run(true);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Cancelled 3 meeting\(s\) and series, attendees notified: .*\(verified: none left in the calendar\)/);
    assert.deepEqual(
      t.writes().map((w) => w.cmdlet),
      ['Remove-CalendarEvents'],
    );
    const sent = t.sim.calls.find((c) => (c.body as { CmdletInput?: { CmdletName?: string } })?.CmdletInput?.CmdletName === 'Remove-CalendarEvents')!;
    assert.deepEqual((sent.body as { CmdletInput: { Parameters: Record<string, unknown> } }).CmdletInput.Parameters, {
      Identity: SEED_IDS.jane,
      CancelOrganizedMeetings: true,
      QueryStartDate: new Date().toISOString().slice(0, 10),
      QueryWindowInDays: 365,
      Confirm: false,
    });
    assert.deepEqual(await upcoming(SEED_IDS.jane), ['Dentist', 'Quarterly access review'], 'her appointment, and the meeting Alex organizes');
    assert.deepEqual(await upcoming(SEED_IDS.alex), ['Quarterly access review'], "gone from the attendees' calendars too");
    // The series' past occurrences stay where they happened.
    const past = await t.ctx.graph.get<{ value: { subject: string }[] }>(
      `/users/${SEED_IDS.jane}/calendarView?startDateTime=${new Date(Date.now() - 28 * 86_400_000).toISOString()}&endDateTime=${new Date(Date.now() - 86_400_000).toISOString()}`,
    );
    assert.ok(past.body.value.some((e) => e.subject === 'Sales team weekly'));
  });

  it('keeps them when the request says so, or when the case was requested before the form asked', async () => {
    for (const decision of [false, undefined]) {
      const outcome = await run(decision);
      assert.equal(outcome.status, 'skipped');
      assert.equal(outcome.detail, 'The request keeps the meetings the user organizes.');
    }
    assert.deepEqual(t.writes(), []);
    assert.ok((await upcoming(SEED_IDS.jane)).includes('Q1 pipeline review'));
  });

  it('does nothing the second time', async () => {
    await run(true);
    const calls = t.sim.calls.length;
    const again = await run(true);
    assert.equal(again.status, 'succeeded');
    assert.match(again.detail, /^Nothing to change: no meeting with attendees organized by the user in the next 365 days\./);
    assert.deepEqual(t.writes(calls), []);
  });
});
