import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app';
import { SEED_IDS } from '../../src/sim/seed';
import { startBotUnderTest, type BotUnderTest, SECURITY, IT, alex, megan, adele, isaiah, lynne, personal, securityThread } from '../support/bot-under-test';
import { cardInputs, cardText, cardVerbs } from '../support/card-text';
import { ConnectorRecorder } from '../support/connector-recorder';
import { cardAction, personalMessage, postActivity, channelMention, type TeamsUser } from '../support/teams-activities';
import { tenantWrites } from '../support/tenant-writes';
import { DEMO_USER_HEADER } from '../../src/tab/tab-sign-in';
import { SENT_PRIVATELY } from '../../src/bot/offboarding-bot';

describe('the bot over HTTP (restify + CloudAdapter, simulated tenant)', () => {
  let app: RunningApp;
  let connector: ConnectorRecorder;
  let bot: BotUnderTest;

  beforeEach(async () => {
    bot = await startBotUnderTest();
    ({ app, connector } = bot);
  });

  afterEach(() => bot.stop());

  async function say(user: TeamsUser, text: string) {
    const before = connector.calls.length;
    const res = await postActivity(app.url, personalMessage(connector.url, user, text));
    assert.equal(res.status, 200);
    return connector.waitFor(() => connector.calls.length > before && connector.calls[connector.calls.length - 1]);
  }

  const cardOf = (call: { body: Record<string, unknown> }) =>
    ((call.body.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;

  async function click(user: TeamsUser, conversation: { id: string; conversationType: string }, verb: string, data: Record<string, unknown>) {
    const res = await postActivity(app.url, cardAction(connector.url, user, conversation, verb, data));
    assert.equal(res.status, 200);
    assert.equal(res.body.statusCode, 200, JSON.stringify(res.body));
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    return res.body.value as Record<string, unknown>;
  }

  async function requestJaneOffboarding() {
    const reply = await say(alex, 'offboard Jane');
    const requestCard = cardOf(reply)!;
    assert.match(cardText(requestCard), /Jane Doe/);
    const submit = cardVerbs(requestCard).find((a) => a.verb === 'submitRequest')!;
    assert.deepEqual(submit.data, { targetId: SEED_IDS.jane });
    const status = await click(alex, personal(alex), 'submitRequest', { ...submit.data, departureType: 'involuntary', cutoffNow: 'true', timeZone: 'Europe/Paris', ticket: 'HR-1042' });
    assert.match(cardText(status), /awaiting|approval/i);
    const posted = await connector.waitFor(() => connector.cards({ conversationId: SECURITY, method: 'POST' })[0]);
    return { approvalCard: posted.card, approvalActivityId: posted.call.body.id as string | undefined, statusCard: status };
  }

  it('runs offboard Jane end to end: request, security approval, Jane disabled and sessions revoked, summary to IT', async () => {
    const { approvalCard } = await requestJaneOffboarding();
    assert.match(cardText(approvalCard), /Jane Doe/);
    // The plan preview, read from the tenant before anyone approves: concrete objects and risks.
    assert.match(cardText(approvalCard), /Helpdesk Administrator/);
    assert.match(cardText(approvalCard), /Mail is forwarded outside the company/);
    assert.match(cardText(approvalCard), /Holds a directory role: Helpdesk Administrator\./);
    assert.match(cardText(approvalCard), /Alex Wilber/);
    const approve = cardVerbs(approvalCard).find((a) => a.verb === 'approve')!;
    assert.ok(approve, 'the posted approval card offers Approve');

    const answered = await click(megan, securityThread, 'approve', approve.data);
    assert.match(cardText(answered), /Approved by Megan Bowen/i);
    assert.equal(cardVerbs(answered).length, 0, 'no buttons after the decision');

    // IT sees one message per case: the progress card, updated in place into the summary.
    const summary = await connector.waitFor(() => {
      const last = connector.cards({ conversationId: IT }).at(-1);
      return last && /Offboarding of Jane Doe: Completed/.test(cardText(last.card)) && last;
    }, 15_000);
    assert.doesNotMatch(cardText(summary.card), /with failures/i);
    assert.equal(connector.cards({ conversationId: IT, method: 'POST' }).length, 1, 'one progress card, updated in place');
    assert.equal(summary.call.method, 'PUT');

    const jane = app.sim!.state.users.get(SEED_IDS.jane)!;
    assert.equal(jane.accountEnabled, false, 'Jane can no longer sign in');
    assert.ok(jane.signInSessionsValidFromDateTime, 'Jane\'s sessions were revoked');
    assert.ok(Date.parse(jane.signInSessionsValidFromDateTime!) > Date.now() - 60_000);
    const tenant = app.sim!.state;
    assert.equal(tenant.roleAssignments.some((a) => a.principalId === SEED_IDS.jane), false, 'Jane\'s directory role was removed');
    assert.equal(tenant.messageRules.some((r) => r.userId === SEED_IDS.jane && r.displayName === 'Copy everything home'), false, 'her external forwarding rule was deleted');
    assert.deepEqual(jane.assignedLicenses, [], 'her licences were removed');
    const [finished] = await (app as any).runner.deps.store.listCases(5);
    assert.match(finished.evidence?.sha256 ?? '', /^[0-9a-f]{64}$/, 'the evidence snapshot was kept on the case');
    assert.match(cardText(summary.card), /Remove group memberships/);

    const updates = connector.cards({ conversationId: SECURITY, method: 'PUT' });
    assert.ok(updates.some((u) => /Approved by Megan Bowen/.test(cardText(u.card))), 'the posted approval card was updated in place');
    // Every copy ends showing the outcome, not the last step that ran.
    await connector.waitFor(() => /Completed/.test(cardText(connector.cards({ conversationId: SECURITY, method: 'PUT' }).at(-1)?.card)), 5_000);
    await connector.waitFor(() => /Completed/.test(cardText(connector.cards({ conversationId: personal(alex).id, method: 'PUT' }).at(-1)?.card)), 5_000);
    // The approval card shows the state, so it changes on approval, start and close, not with each
    // of the 20-odd steps (Teams limits how often a bot may edit messages in a conversation).
    const securityEdits = connector.cards({ conversationId: SECURITY, method: 'PUT' }).map((u) => cardText(u.card).match(/\nState\n([^\n]+)/)?.[1]);
    assert.deepEqual(securityEdits, ['Approved, waiting for the cut-off', 'Running', 'Completed']);
  });

  it('refuses approval by the requester and by someone outside the security group, and changes nothing', async () => {
    const { approvalCard } = await requestJaneOffboarding();
    const approve = cardVerbs(approvalCard).find((a) => a.verb === 'approve')!;

    const byRequester = await click(alex, securityThread, 'approve', approve.data);
    assert.match(cardText(byRequester), /You requested this offboarding/);
    const byOutsider = await click(isaiah, securityThread, 'approve', approve.data);
    assert.match(cardText(byOutsider), /Only members of the security approvers group/);

    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'Jane is untouched');
    assert.deepEqual(tenantWrites(app.sim!.calls), [], 'the plan preview only read the tenant');
    const [c] = await (app as any).runner.deps.store.listCases(5);
    assert.equal(c.state, 'awaiting_approval');
  });

  it('lists the approvers seen in Teams for a per-viewer refresh, and each viewer gets only the buttons they may use', async () => {
    await say(megan, 'help');
    await say(adele, 'help');
    const { approvalCard } = await requestJaneOffboarding();
    const refresh = approvalCard.refresh as { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };
    assert.deepEqual([...refresh.userIds].sort(), [alex.id, megan.id, adele.id].sort(), 'Teams ids (MRIs) of requester/manager and approvers, not Entra ids');
    assert.equal(refresh.action.verb, 'refresh');
    const forAlex = await click(alex, securityThread, 'refresh', refresh.action.data);
    assert.deepEqual(cardVerbs(forAlex), [], 'the requester sees no buttons');
    assert.match(cardText(forAlex), /You requested this offboarding/);
    const forMegan = await click(megan, securityThread, 'refresh', refresh.action.data);
    assert.deepEqual(cardVerbs(forMegan).map((a) => a.verb).sort(), ['approve', 'reject']);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'a refresh changes nothing');
  });

  it('a double click and a second approver at the same moment yield one decision', async () => {
    const { approvalCard } = await requestJaneOffboarding();
    const approve = cardVerbs(approvalCard).find((a) => a.verb === 'approve')!;
    const reject = { ...cardVerbs(approvalCard).find((a) => a.verb === 'reject')!.data, rejectReason: 'wrong person' };
    const answers = await Promise.all([
      click(megan, securityThread, 'approve', approve.data),
      click(megan, securityThread, 'approve', approve.data),
      click(adele, securityThread, 'reject', reject),
    ]);
    const texts = answers.map(cardText);
    const decided = texts.filter((t) => /Approved by Megan Bowen|Rejected by Adele Vance/.test(t));
    assert.equal(decided.length, 3, 'every click gets the current card');
    const store = (app as any).runner.deps.store;
    const [c] = await store.listCases(5);
    assert.equal(c.decisions.length, 1, 'exactly one decision was recorded');
  });

  it('rejects with a reason: nothing happens to Jane and she can be requested again', async () => {
    const { approvalCard } = await requestJaneOffboarding();
    const reject = cardVerbs(approvalCard).find((a) => a.verb === 'reject')!;
    const noReason = await click(megan, securityThread, 'reject', { ...reject.data, rejectReason: '  ' });
    assert.match(cardText(noReason), /Give a reason to reject/);
    const rejected = await click(megan, securityThread, 'reject', { ...reject.data, rejectReason: 'Contract extended' });
    assert.match(cardText(rejected), /Rejected by Megan Bowen/);
    assert.match(cardText(rejected), /Contract extended/);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true);
    const again = await say(alex, 'offboard Jane');
    assert.ok(cardVerbs(cardOf(again)).some((a) => a.verb === 'submitRequest'), 'a new request can start');
  });

  it('IT retries only the failed steps from the card in the IT channel; others may not', async () => {
    app.sim!.faults.add({ path: /revokeSignInSessions/, status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    const { approvalCard } = await requestJaneOffboarding();
    await click(megan, securityThread, 'approve', cardVerbs(approvalCard).find((a) => a.verb === 'approve')!.data);
    const failed = await connector.waitFor(() => {
      const last = connector.cards({ conversationId: IT }).at(-1);
      return last && /with failures/.test(cardText(last.card)) && last;
    }, 15_000);
    const retry = cardVerbs(failed.card).find((a) => a.verb === 'retryFailedSteps')!;
    assert.ok(retry, 'the failed case offers Retry');
    const itThread = { id: IT, conversationType: 'channel' };
    assert.match(cardText(await click(megan, itThread, 'retryFailedSteps', retry.data)), /Only members of the IT operations group/);
    const accepted = await click(isaiah, itThread, 'retryFailedSteps', retry.data);
    assert.doesNotMatch(cardText(accepted), /Cannot retry/);
    await connector.waitFor(() => {
      const last = connector.cards({ conversationId: IT }).at(-1);
      return last && /Offboarding of Jane Doe: Completed/.test(cardText(last.card)) && !/with failures/.test(cardText(last.card));
    }, 15_000);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.revokeCount, 1, 'sessions revoked by the retry');
  });

  it('the summary in the IT channel follows when IT marks an exception handled on the dashboard', async () => {
    // Synced from on-premises AD: blocking sign-in is left to a person there.
    app.sim!.state.users.get(SEED_IDS.jane)!.onPremisesSyncEnabled = true;
    const { approvalCard } = await requestJaneOffboarding();
    await click(megan, securityThread, 'approve', cardVerbs(approvalCard).find((a) => a.verb === 'approve')!.data);
    const closed = await connector.waitFor(() => {
      const last = connector.cards({ conversationId: IT }).at(-1);
      return last && /Offboarding of Jane Doe: Completed/.test(cardText(last.card)) && last;
    }, 15_000);
    assert.match(cardText(closed.card), /Exceptions still open[\s\S]*Block sign-in/);
    const [c] = await (app as any).runner.deps.store.listCases(5);
    const index = c.steps.findIndex((s: { action: string; status: string }) => s.action === 'blockSignIn' && s.status === 'manual');
    assert.ok(index >= 0, 'blocking sign-in was left to a person');

    const res = await fetch(`${app.url}/api/cases/${c._id}/exceptions/resolve`, {
      method: 'POST',
      headers: { [DEMO_USER_HEADER]: SEED_IDS.isaiah, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'step', index, note: 'Disabled in on-premises AD, synced at 10:05.' }),
    });
    assert.equal(res.status, 200);
    const followed = await connector.waitFor(() => {
      const last = connector.cards({ conversationId: IT, method: 'PUT' }).at(-1);
      return last && /handled by Isaiah Langer/.test(cardText(last.card)) && last;
    }, 5_000);
    assert.equal(followed.call.activityId, closed.call.activityId, 'the same message, updated in place');
    assert.match(cardText(followed.card), /Disabled in on-premises AD, synced at 10:05\./);
  });

  it('the requester cancels from their status card before execution; the approval card follows', async () => {
    const { approvalCard, statusCard } = await requestJaneOffboarding();
    const cancel = cardVerbs(statusCard).find((a) => a.verb === 'cancelCase')!;
    assert.deepEqual(Object.keys(cancel.data), ['caseId']);
    assert.match(cardText(await click(megan, personal(megan), 'cancelCase', cancel.data)), /Only the requester or the IT operations group/);
    const cancelled = await click(alex, personal(alex), 'cancelCase', cancel.data);
    assert.match(cardText(cancelled), /Cancelled/);
    assert.deepEqual(cardVerbs(cancelled).filter((a) => a.verb === 'cancelCase'), [], 'no second cancel');
    await connector.waitFor(() => connector.cards({ conversationId: SECURITY, method: 'PUT' }).some((u) => /Cancelled/.test(cardText(u.card))));
    const late = await click(megan, securityThread, 'approve', cardVerbs(approvalCard).find((a) => a.verb === 'approve')!.data);
    assert.doesNotMatch(cardText(late), /Approved by Megan/);
    assert.equal(app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled, true);
    assert.ok(cardVerbs(cardOf(await say(alex, 'offboard Jane'))).some((a) => a.verb === 'submitRequest'), 'Jane can be requested again');
  });

  it('refuses a second open case for the same person', async () => {
    await requestJaneOffboarding();
    const reply = await say(alex, 'offboard Jane');
    assert.match(cardText(cardOf(reply)), /already has an open offboarding case/);
  });

  describe('bad input gets a clear answer', () => {
    it('empty name', async () => {
      assert.match(cardText(cardOf(await say(alex, 'offboard   '))), /Say who is leaving/);
    });
    it('unknown person', async () => {
      assert.match(cardText(cardOf(await say(alex, 'offboard Zebedee'))), /No one in the directory matches "Zebedee"/);
    });
    it('several matches give a pick-one card, and picking one gives the request card', async () => {
      const pick = cardOf(await say(lynne, 'offboard Daniel'))!;
      const choices = cardVerbs(pick).filter((a) => a.verb === 'pickTarget');
      assert.deepEqual(choices.map((c) => c.data.targetId).sort(), [SEED_IDS.danielBrown, SEED_IDS.danielGreen]);
      const request = await click(lynne, personal(lynne), 'pickTarget', choices[0].data);
      assert.ok(cardVerbs(request).some((a) => a.verb === 'submitRequest'));
    });
    it('self-offboarding', async () => {
      assert.match(cardText(cardOf(await say(alex, 'offboard Alex Wilber'))), /cannot offboard yourself/);
    });
    it('a requester who is not the manager, HR or IT', async () => {
      assert.match(cardText(cardOf(await say(megan, 'offboard Jane'))), /Only Jane Doe's manager, HR or IT/);
    });
    it('a protected break-glass account', async () => {
      assert.match(cardText(cardOf(await say(isaiah, 'offboard breakglass@contoso.com'))), /protected account/);
    });
    it('an OData quote in the typed name is searched for, not executed', async () => {
      const reply = cardOf(await say(isaiah, "offboard Conor O'Brien"))!;
      assert.match(cardText(reply), /Conor O'Brien/);
      assert.ok(cardVerbs(reply).some((a) => a.verb === 'submitRequest' && a.data.targetId === SEED_IDS.conor));
      const injection = cardOf(await say(isaiah, "offboard x') or startswith(displayName,'J"))!;
      assert.match(cardText(injection), /No one in the directory matches/);
    });
    it('a tampered case id on an approval card', async () => {
      const answer = await click(megan, securityThread, 'approve', { caseId: '../../etc', version: 1 });
      assert.match(cardText(answer), /does not exist/);
      const unknown = await click(megan, securityThread, 'approve', { caseId: '11111111-1111-4111-8111-111111111111', version: 1 });
      assert.match(cardText(unknown), /does not exist/);
    });
    it('a tampered target id on a request card', async () => {
      const answer = await click(alex, personal(alex), 'submitRequest', { targetId: "x' or 1 eq 1", departureType: 'voluntary', cutoffNow: 'true' });
      assert.match(cardText(answer), /no longer in the directory/);
    });
    it('an invalid form is shown again with what is wrong, keeping every choice made', async () => {
      const choices = {
        departureType: 'involuntary', ticket: 'HR-77', convertToShared: 'false', delegate: 'none', autoReply: 'false', litigationHold: 'true',
        licences: 'keep', devices: 'wipe', filesTo: 'megan@contoso.example', externalSharing: 'report',
      };
      const answer = await click(alex, personal(alex), 'submitRequest', { targetId: SEED_IDS.jane, cutoffNow: 'false', cutoffDate: '', ...choices });
      assert.match(cardText(answer), /last working day/);
      assert.ok(cardVerbs(answer).some((a) => a.verb === 'submitRequest'));
      const shown = cardInputs(answer);
      for (const [input, value] of Object.entries(choices)) assert.equal(shown[input], value, `${input} is shown as chosen`);
    });
    it('a mailbox delegate who is not an enabled colleague is refused on the form, before anyone approves', async () => {
      const submit = (delegate: string) => click(alex, personal(alex), 'submitRequest', { targetId: SEED_IDS.jane, departureType: 'voluntary', cutoffNow: 'true', delegate });
      const outside = await submit('nobody@fabrikam.example');
      assert.match(cardText(outside), /Nobody in this organisation has the address nobody@fabrikam\.example/);
      assert.equal(cardInputs(outside).delegate, 'nobody@fabrikam.example', 'the typed address is kept to correct it');
      assert.match(cardText(await submit('JaneD@contoso.com')), /is Jane Doe, who is leaving/);
      assert.equal(await app.store.findOpenCaseFor(SEED_IDS.jane), null, 'no case was opened');
    });
    it('anything else gets help, in a channel with an @mention too', async () => {
      assert.match(connector.texts().join('\n') + (await say(alex, 'hello')).body.text, /offboard \\<name\\>/);
      const before = connector.calls.length;
      await postActivity(app.url, channelMention(connector.url, isaiah, IT, 'help'));
      const reply = await connector.waitFor(() => connector.calls.length > before && connector.calls[connector.calls.length - 1]);
      assert.match(String(reply.body.text), /offboard \\<name\\>/);
    });
    it('too many commands in a minute from one person', async () => {
      for (let i = 0; i < 10; i++) await say(isaiah, 'offboard Zebedee');
      const reply = await say(isaiah, 'offboard Jane');
      assert.match(String(reply.body.text), /Please wait \d+ seconds/);
      assert.ok(cardVerbs(cardOf(await say(alex, 'offboard Jane'))).some((a) => a.verb === 'submitRequest'), 'others are not slowed down');
    });
    it('offboard with an @mention in a channel: the form goes to the requester in a personal chat, the channel learns nothing of who', async () => {
      app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled = false;
      const before = connector.calls.length;
      await postActivity(app.url, channelMention(connector.url, alex, IT, 'offboard Jane'));
      await connector.waitFor(() => connector.calls.slice(before).some((c) => c.conversationId.startsWith(IT)));
      const sent = connector.calls.slice(before);
      const created = sent.find((c) => c.method === 'POST' && c.path === '/v3/conversations')!;
      assert.deepEqual((created.body.members as Array<{ id: string }>).map((m) => m.id), [alex.id], 'a chat with the requester alone');
      const inChannel = sent.filter((c) => c.conversationId.startsWith(IT));
      assert.deepEqual(inChannel.map((c) => [c.body.text, cardOf(c)]), [[SENT_PRIVATELY, undefined]], 'only a line, with no card and no name, in the channel');
      const inPersonalChat = sent.filter((c) => c.conversationId === personal(alex).id);
      assert.equal(inPersonalChat.length, 1);
      const form = cardOf(inPersonalChat[0])!;
      assert.ok(cardVerbs(form).some((a) => a.verb === 'submitRequest'));
      assert.match(cardText(form), /Jane Doe's account is already blocked from sign-in\./, 'the warnings are shown there, as in any personal chat');
      const submitted = await click(alex, personal(alex), 'submitRequest', { targetId: SEED_IDS.jane, departureType: 'voluntary', cutoffNow: 'true' });
      assert.match(cardText(submitted), /Waiting for approval|approval/i);
    });

    it('keeps the form in the channel, without what approvers will be told, when Teams will not open a personal chat', async () => {
      connector.refusePersonalChats = true;
      app.sim!.state.users.get(SEED_IDS.jane)!.accountEnabled = false;
      const before = connector.calls.length;
      await postActivity(app.url, channelMention(connector.url, alex, IT, 'offboard Jane'));
      const reply = await connector.waitFor(() => connector.calls.slice(before).find((c) => c.conversationId.startsWith(IT)));
      const inChannel = cardText(cardOf(reply)!);
      assert.match(inChannel, /Before you submit/);
      assert.match(inChannel, /type the same command in a personal chat with me to read it/);
      assert.doesNotMatch(inChannel, /already blocked/);
    });

    it('a refusal or a pick list goes to the personal chat too', async () => {
      const before = connector.calls.length;
      await postActivity(app.url, channelMention(connector.url, alex, IT, 'offboard Alex'));
      await connector.waitFor(() => connector.calls.slice(before).some((c) => c.conversationId.startsWith(IT)));
      const sent = connector.calls.slice(before);
      assert.deepEqual(sent.filter((c) => c.conversationId.startsWith(IT)).map((c) => c.body.text), [SENT_PRIVATELY]);
      assert.match(cardText(cardOf(sent.find((c) => c.conversationId === personal(alex).id)!)!), /Cannot offboard/);
    });
  });
});

