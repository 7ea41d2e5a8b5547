import assert from 'node:assert/strict';
import { simulatedExchangeToken, simulatedTenantTokens } from '../../src/m365/access-token';
import { Exchange, type CmdletParameters } from '../../src/m365/exchange';
import { M365Error } from '../../src/m365/m365-error';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

interface GraphEvent {
  id: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  isOrganizer: boolean;
  type: string;
  seriesMasterId: string | null;
  attendees: Array<{ emailAddress: { name: string; address: string } }>;
}

const DAY_MS = 86_400_000;
const today = () => new Date(new Date().toISOString().slice(0, 10));
/** A calendarView path for the window `fromDay`..`toDay` days from today (UTC midnight). */
const window = (userId: string, fromDay: number, toDay: number, extra = '') =>
  `/users/${userId}/calendarView?startDateTime=${new Date(today().getTime() + fromDay * DAY_MS).toISOString()}` +
  `&endDateTime=${new Date(today().getTime() + toDay * DAY_MS).toISOString()}${extra}`;

describe('sim tenant: calendars (Graph calendarView, Exchange Remove-CalendarEvents)', () => {
  let sim: SimTenant;
  let exchange: Exchange;
  beforeEach(async () => {
    sim = await startSimTenant();
    exchange = new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedExchangeToken });
  });
  afterEach(() => sim.close());

  /** Every event of the view, page after page through @odata.nextLink. */
  async function allEvents(path: string): Promise<GraphEvent[]> {
    const events: GraphEvent[] = [];
    for (let next: string | undefined = path; next; ) {
      const page = await graph(sim, next);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      events.push(...page.body.value);
      next = page.body['@odata.nextLink']?.slice(sim.graphBaseUrl.length);
    }
    return events;
  }
  const subjects = (events: GraphEvent[]) => [...new Set(events.map((e) => e.subject))].sort();
  const cancel = (params: CmdletParameters) => exchange.invoke('Remove-CalendarEvents', { Identity: 'janed@contoso.com', Confirm: false, ...params });

  it("lists Jane's next 30 days: her meetings, her series' occurrences, her appointment and Alex's meeting she attends", async () => {
    const events = await allEvents(window(SEED_IDS.jane, 0, 30, '&$top=1000'));
    assert.deepEqual(subjects(events), ['Dentist', 'Fabrikam renewal call', 'Q1 pipeline review', 'Quarterly access review', 'Sales team weekly']);
    const starts = events.map((e) => e.start.dateTime);
    assert.deepEqual(starts, [...starts].sort(), 'earliest first');
    assert.ok(events.every((e) => e.start.timeZone === 'UTC' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000$/.test(e.start.dateTime)));

    const weekly = events.filter((e) => e.subject === 'Sales team weekly');
    assert.ok(weekly.length >= 4);
    assert.ok(weekly.every((e) => e.type === 'occurrence' && e.seriesMasterId === SEED_IDS.salesWeekly && e.id.startsWith(`${SEED_IDS.salesWeekly}_`)));
    assert.equal(new Set(weekly.map((e) => e.id)).size, weekly.length, 'each occurrence has its own id');
    const byAlex = events.find((e) => e.subject === 'Quarterly access review')!;
    assert.equal(byAlex.isOrganizer, false);
    assert.ok(events.filter((e) => e !== byAlex && !weekly.includes(e)).every((e) => e.isOrganizer && e.type === 'singleInstance' && e.seriesMasterId === null));
    const review = events.find((e) => e.subject === 'Q1 pipeline review')!;
    assert.deepEqual(review.attendees.map((a) => a.emailAddress.name), ['Alex Wilber', 'Daniel Brown', 'Pradeep Gupta']);
    assert.deepEqual(events.find((e) => e.subject === 'Dentist')!.attendees, []);
  });

  it('dates the meetings by the real clock, even for a tenant seeded in the past', async () => {
    const past = await startSimTenant({ seededAt: new Date('2024-03-01T10:00:00Z') });
    try {
      const singles = past.state.meetings.filter((m) => m.weeklyOccurrences === undefined);
      assert.ok(singles.every((m) => Date.parse(m.start) > Date.now()), 'still ahead');
    } finally {
      await past.close();
    }
  });

  it('pages ten events at a time, or $top, to the same full list through @odata.nextLink', async () => {
    const first = await graph(sim, window(SEED_IDS.jane, 0, 120));
    assert.equal(first.body.value.length, 10);
    assert.match(first.body['@odata.nextLink'], /\$skip=10/);
    const whole = await allEvents(window(SEED_IDS.jane, 0, 120, '&$top=1000'));
    assert.ok(whole.length > 10);
    assert.deepEqual((await allEvents(window(SEED_IDS.jane, 0, 120, '&$top=2'))).map((e) => e.id), whole.map((e) => e.id));
    assert.deepEqual((await allEvents(window(SEED_IDS.jane, 0, 120))).map((e) => e.id), whole.map((e) => e.id));
  });

  it('keeps the id when $select names other properties', async () => {
    const page = await graph(sim, window(SEED_IDS.jane, 0, 30, '&$select=subject,isOrganizer'));
    assert.deepEqual(Object.keys(page.body.value[0]).sort(), ['id', 'isOrganizer', 'subject']);
  });

  it('answers a missing window with 400, an unknown user with 404, a user without a mailbox in Outlook\'s words', async () => {
    const noWindow = await graph(sim, `/users/${SEED_IDS.jane}/calendarView?startDateTime=2026-01-01T00:00:00Z`);
    assert.equal(noWindow.status, 400);
    assert.equal(noWindow.body.error.code, 'ErrorInvalidParameter');
    assert.equal(noWindow.body.error.message, 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    assert.equal((await graph(sim, window('nobody@contoso.com', 0, 30))).status, 404);
    const noMailbox = await graph(sim, window(SEED_IDS.breakGlass, 0, 30));
    assert.equal(noMailbox.status, 404);
    assert.equal(noMailbox.body.error.code, 'MailboxNotEnabledForRESTAPI');
  });

  it('refuses without Calendars.ReadBasic, Calendars.Read or Calendars.ReadWrite, and a broader one will do', async () => {
    const calendars = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
    const denied = await graph(sim, window(SEED_IDS.jane, 0, 30), { token: await simulatedTenantTokens(calendars).graph.getToken() });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'ErrorAccessDenied');
    const broader = await graph(sim, window(SEED_IDS.jane, 0, 30), { token: await simulatedTenantTokens(calendars, ['Calendars.ReadWrite']).graph.getToken() });
    assert.equal(broader.status, 200);
  });

  it('changes nothing with -PreviewOnly, or without -CancelOrganizedMeetings', async () => {
    const before = structuredClone(sim.state.meetings);
    assert.deepEqual((await cancel({ CancelOrganizedMeetings: true, QueryWindowInDays: 120, PreviewOnly: true })).value, []);
    await cancel({ QueryWindowInDays: 120 });
    assert.deepEqual(sim.state.meetings, before);
  });

  it('cancels her meetings and her series from today on, for attendees too; keeps her appointment, past occurrences and others\' meetings', async () => {
    const result = await cancel({ CancelOrganizedMeetings: true, QueryWindowInDays: 120 });
    assert.deepEqual(result.value, []);
    assert.deepEqual(subjects(await allEvents(window(SEED_IDS.jane, 0, 365, '&$top=1000'))), ['Dentist', 'Quarterly access review']);
    const past = await allEvents(window(SEED_IDS.jane, -28, 0));
    assert.ok(past.length >= 3 && past.every((e) => e.subject === 'Sales team weekly'), 'the series keeps its past occurrences');
    assert.deepEqual(subjects(await allEvents(window(SEED_IDS.alex, 0, 365))), ['Quarterly access review'], "gone from Alex's calendar too");

    const after = structuredClone(sim.state.meetings);
    await cancel({ CancelOrganizedMeetings: true, QueryWindowInDays: 120 });
    assert.deepEqual(sim.state.meetings, after, 'the same run again changes nothing more');
  });

  it('refuses a window outside 1..1825 days, a missing one, and an unknown mailbox', async () => {
    for (const days of [0, 2000]) {
      await assert.rejects(cancel({ CancelOrganizedMeetings: true, QueryWindowInDays: days }), (err: unknown) => err instanceof M365Error && err.code === 'ParameterBindingValidationException' && /QueryWindowInDays/.test(err.message));
    }
    await assert.rejects(cancel({ CancelOrganizedMeetings: true }), (err: unknown) => err instanceof M365Error && /missing mandatory parameters: QueryWindowInDays/.test(err.message));
    await assert.rejects(cancel({ Identity: 'nobody@contoso.com', QueryWindowInDays: 30 }), (err: unknown) => err instanceof M365Error && err.code === 'ManagementObjectNotFoundException');
    assert.ok(sim.state.meetings.every((m) => m.cancelledFrom === undefined));
  });
});
