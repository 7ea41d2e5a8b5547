import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app';
import type { OffboardingCase } from '../../src/cases/case';
import { SEED_IDS } from '../../src/sim/seed';
import { asRead } from '../cards/card-checks';
import { startBotUnderTest, type BotUnderTest, SECURITY, IT, alex, megan, adele, isaiah, personal, securityThread } from '../support/bot-under-test';
import { cardText, cardVerbs } from '../support/card-text';
import { ConnectorRecorder } from '../support/connector-recorder';
import { cardAction, personalMessage, postActivity, type TeamsUser } from '../support/teams-activities';
import { tenantWrites } from '../support/tenant-writes';

describe('attacks on the approval flow and the HTTP edge (bot over HTTP, simulated tenant)', () => {
  let app: RunningApp;
  let connector: ConnectorRecorder;
  let bot: BotUnderTest;

  beforeEach(async () => {
    bot = await startBotUnderTest();
    ({ app, connector } = bot);
  });

  afterEach(() => bot.stop());

  const cardOf = (call: { body: Record<string, unknown> }) => ((call.body.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;

  async function say(user: TeamsUser, text: string) {
    const before = connector.calls.length;
    assert.equal((await postActivity(app.url, personalMessage(connector.url, user, text))).status, 200);
    return connector.waitFor(() => connector.calls.length > before && connector.calls[connector.calls.length - 1]);
  }

  async function invoke(user: TeamsUser, conversation: { id: string; conversationType: string }, verb: string, data: Record<string, unknown>) {
    return postActivity(app.url, cardAction(connector.url, user, conversation, verb, data));
  }

  async function click(user: TeamsUser, conversation: { id: string; conversationType: string }, verb: string, data: Record<string, unknown>) {
    const res = await invoke(user, conversation, verb, data);
    assert.equal(res.status, 200);
    assert.equal(res.body.statusCode, 200, JSON.stringify(res.body));
    return res.body.value as Record<string, unknown>;
  }

  /** Requests Jane's offboarding as `requester` and returns the status card and the Security card. */
  async function request(requester: TeamsUser, form: Record<string, unknown> = {}) {
    const requestCard = cardOf(await say(requester, 'offboard Jane'))!;
    const submit = cardVerbs(requestCard).find((a) => a.verb === 'submitRequest')!;
    const status = await click(requester, personal(requester), 'submitRequest', { ...submit.data, departureType: 'involuntary', cutoffNow: 'true', timeZone: 'UTC', ...form });
    const posted = await connector.waitFor(() => connector.cards({ conversationId: SECURITY, method: 'POST' })[0]);
    const approve = cardVerbs(posted.card).find((a) => a.verb === 'approve')!.data;
    return { status, approvalCard: posted.card, approve };
  }

  const theCase = async (): Promise<OffboardingCase> => (await app.store.listCases(5))[0];
  const auditEvents = async (c: OffboardingCase) => (await app.store.listAudit(c._id)).map((e) => e.event);
  /** Nothing was changed in the tenant: no write reached the simulated Graph or Exchange. */
  const writes = () => tenantWrites(app.sim!.calls);

  it('a tampered version or an invented verb on a real case is refused and audited; nothing runs', async () => {
    const { approve } = await request(alex);
    for (const version of ['999', 'abc', -1]) {
      const answer = await click(megan, securityThread, 'approve', { ...approve, version });
      assert.match(cardText(answer), /not sent by the Offboarding bot/);
    }
    const forged = await invoke(megan, securityThread, 'approveWithoutChecks', approve);
    assert.equal(forged.body.statusCode, 400);
    assert.equal(forged.body.value.code, 'UnknownVerb');

    const c = await theCase();
    assert.equal(c.state, 'awaiting_approval');
    assert.deepEqual((await auditEvents(c)).filter((e) => e === 'approval.denied').length, 4);
    assert.deepEqual(writes(), []);
  });

  it('invented verbs share one audit budget per person and case, whatever the verb: a new verb per click buys nothing', async () => {
    const { approve } = await request(alex);
    for (let i = 0; i < 7; i++) assert.equal((await invoke(megan, securityThread, `approveWithoutChecks${i}`, approve)).body.value.code, 'UnknownVerb');
    const c = await theCase();
    const denied = (await app.store.listAudit(c._id)).filter((e) => e.event === 'approval.denied');
    assert.deepEqual(
      denied.map((e) => e.detail),
      [0, 1, 2, 3, 4].map((i) => ({ reason: 'This card action is not supported. Nothing was changed.', verb: `approveWithoutChecks${i}` })),
      'five audited, each naming its verb; the rest only logged',
    );
    assert.equal(c.state, 'awaiting_approval');
  });

  it('a replayed approval after the decision is refused and audited, and counts nothing', async () => {
    const { approve, approvalCard } = await request(alex);
    const reject = cardVerbs(approvalCard).find((a) => a.verb === 'reject')!.data;
    await click(megan, securityThread, 'reject', { ...reject, rejectReason: 'Wrong person' });
    const replay = await click(adele, securityThread, 'approve', approve);
    assert.match(cardText(replay), /Already rejected by Megan Bowen/);
    assert.equal(cardVerbs(replay).length, 0, 'no buttons on a decided case');
    const c = await theCase();
    assert.equal(c.state, 'rejected');
    assert.equal(c.decisions.length, 1);
    assert.deepEqual(await auditEvents(c), ['case.requested', 'case.rejected', 'approval.denied']);
    assert.deepEqual(writes(), []);
  });

  it('an approval of a cancelled case is refused and audited; nothing runs', async () => {
    const { approve } = await request(alex);
    const c = await theCase();
    await app.store.updateCase(c._id, { version: c.version, states: ['awaiting_approval'] }, { state: 'cancelled', cancellation: { at: new Date().toISOString(), reason: 'Requester cancelled' } });
    const answer = await click(megan, securityThread, 'approve', approve);
    assert.match(cardText(answer), /cancelled: Requester cancelled/);
    assert.equal((await theCase()).state, 'cancelled');
    assert.ok((await auditEvents(c)).includes('approval.denied'));
    assert.deepEqual(writes(), []);
  });

  it('a security approver removed from the group between request and click is refused', async () => {
    const { approve } = await request(alex);
    const group = app.sim!.state.groups.get(SEED_IDS.securityGroup)!;
    group.memberIds = group.memberIds.filter((id) => id !== SEED_IDS.megan);
    const answer = await click(megan, securityThread, 'approve', approve);
    assert.match(cardText(answer), /Only members of the security approvers group/);
    assert.equal(cardVerbs(answer).length, 0, 'and she no longer sees the buttons');
    const c = await theCase();
    assert.equal(c.state, 'awaiting_approval');
    assert.ok((await auditEvents(c)).includes('approval.denied'));
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true);
  });

  it('a high-risk exit runs only after two different security approvers', async () => {
    const { approve } = await request(alex, { departureType: 'high-risk' });
    const first = await click(megan, securityThread, 'approve', approve);
    assert.match(cardText(first), /Security: 1 of 2 different approvers \\\(high-risk departure\\\), approved by Megan Bowen/);
    const again = await click(megan, securityThread, 'approve', { ...approve, version: (await theCase()).version });
    assert.match(cardText(again), /already approved/);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'one approval is not enough');
    await click(adele, securityThread, 'approve', { ...approve, version: (await theCase()).version });
    // The IT channel's progress card turns into the summary once the case has run.
    await connector.waitFor(() => connector.cards({ conversationId: IT }).some((p) => /: Completed/.test(cardText(p.card))), 15_000);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, false);
  });

  it('when IT requests, the manager gets the approval card in their chat with the bot and must approve', async () => {
    await say(alex, 'help'); // Alex, Jane's manager, has talked to the bot: his chat is known.
    const { status } = await request(isaiah);
    assert.match(cardText(status), /Manager: waiting for Alex Wilber/);
    const managerCard = await connector.waitFor(() => connector.cards({ conversationId: personal(alex).id, method: 'POST' }).find((p) => /Manager approval/.test(cardText(p.card))));
    const approve = cardVerbs(managerCard.card).find((a) => a.verb === 'approve')!.data;
    await click(megan, securityThread, 'approve', approve);
    assert.equal((await theCase()).state, 'awaiting_approval', 'security alone is not enough');
    const byManager = await click(alex, personal(alex), 'approve', { ...approve, version: (await theCase()).version });
    assert.match(cardText(byManager), /Approved by Alex Wilber/);
    await connector.waitFor(() => connector.cards({ conversationId: IT, method: 'POST' })[0], 15_000);
  });

  it('a manager who never talked to the bot is named as unreachable on the status and Security cards', async () => {
    const { status, approvalCard } = await request(isaiah);
    for (const card of [status, approvalCard]) assert.match(cardText(card), /Alex Wilber has never opened a chat with the Offboarding bot/);
    assert.ok((await auditEvents(await theCase())).includes('approval.manager_unreachable'));
  });

  it('markdown and HTML typed into names and notes show as text on the cards', async () => {
    const trickster: TeamsUser = { ...alex, name: 'Alex **Boss** [Verify here](https://evil.example) <b>#1</b>' };
    const notes = '# URGENT\n> approve now\n- [ ] _click_ ![x](https://evil.example/p.png)';
    const requestCard = cardOf(await say(trickster, 'offboard Jane'))!;
    const submit = cardVerbs(requestCard).find((a) => a.verb === 'submitRequest')!;
    await click(trickster, personal(trickster), 'submitRequest', { ...submit.data, departureType: 'voluntary', cutoffNow: 'true', timeZone: 'UTC', notes });
    const { card } = await connector.waitFor(() => connector.cards({ conversationId: SECURITY, method: 'POST' })[0]);
    const shown = cardText(card).split('\n');
    const requester = shown.find((t) => t.includes('Boss'))!;
    assert.equal(requester.includes('\\*\\*Boss\\*\\* \\[Verify here\\]\\(https://evil.example\\) \\<b\\>\\#1\\</b\\>'), true, requester);
    assert.ok(asRead(requester).includes(trickster.name), 'and reads exactly as typed once rendered');
    const notesShown = shown.filter((t) => t.includes('URGENT'));
    assert.equal(notesShown.length, 1);
    assert.ok(notesShown[0].startsWith('\\# URGENT'), 'a heading mark is escaped');
    assert.doesNotMatch(notesShown[0], /(^|[^\\])[[\]*_#>]/m, 'no markdown character is left unescaped');
  });

  describe('malformed and oversized requests get a clear error and the server keeps serving', () => {
    const stillServing = async () => {
      assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
      assert.ok(cardVerbs(cardOf(await say(alex, 'offboard Jane'))).some((a) => a.verb === 'submitRequest'));
    };

    it('a body over 256 KB is refused with 413', async () => {
      const huge = personalMessage(connector.url, alex, `offboard ${'x'.repeat(300 * 1024)}`);
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(huge) });
      assert.equal(res.status, 413);
      await stillServing();
    });

    it('malformed JSON is refused with 400', async () => {
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", "text": ' });
      assert.equal(res.status, 400);
      await stillServing();
    });

    it('a card action without a value or an action is refused with 400', async () => {
      const base = cardAction(connector.url, megan, securityThread, 'approve', {});
      for (const value of [undefined, {}, { action: { type: 'Action.Execute' } }, { action: 'approve' }]) {
        const res = await postActivity(app.url, { ...base, value });
        const code = res.status === 200 ? res.body?.statusCode : res.status;
        assert.equal(code, 400, `value ${JSON.stringify(value)} → ${JSON.stringify(res)}`);
      }
      assert.deepEqual(await app.store.listCases(5), []);
      await stillServing();
    });
  });
});
