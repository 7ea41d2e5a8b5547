import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { SEED_IDS } from '../../src/sim/seed';
import { WORKPLACE_IDS } from '../../src/sim/seed-workplace';
import { cardVerbs } from '../support/card-text';
import { startDemoStack, type DemoStack } from './demo-stack';
import { openPlaygroundPage, playgroundApi, type PlaygroundPage } from './playground-driver';

const SECURITY = '19:security@thread.tacv2';
const screenshotsDir = path.resolve(__dirname, '../../test-results/e2e');

interface SimUserState {
  accountEnabled: boolean;
  signInSessionsValidFromDateTime: string;
  revokeCount: number;
}

/**
 * The README's demo walk-through, through the real Teams client (the Agents Playground in
 * Chromium) against `npm start`'s demo stack; the outcome is read from the simulated tenant.
 * Megan approves through the Playground's own invoke endpoint, the call its UI makes on a click,
 * with her user id: the Playground has no user switcher (see PLAYGROUND.md).
 */
describe('end to end: offboard Jane in the Agents Playground', function () {
  this.timeout(180_000);
  let stack: DemoStack;
  let ui: PlaygroundPage;

  before(async () => {
    mkdirSync(screenshotsDir, { recursive: true });
    stack = await startDemoStack();
    ui = await openPlaygroundPage(stack.playgroundUrl, { screenshotsDir });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui?.screenshot('failure');
  });
  after(async () => {
    // The stack's own log (app JSON lines, Playground output) next to the screenshots, for diagnosis.
    if (stack) writeFileSync(path.join(screenshotsDir, 'demo-stack.log'), stack.output());
    await ui?.close();
    await stack?.stop();
  });

  const janeInTenant = async (): Promise<SimUserState> => (await (await fetch(`${stack.simUrl}/_sim/users/${SEED_IDS.jane}`)).json()) as SimUserState;

  it('requests, approves as a security approver, and Jane is disabled with her sessions revoked and her meetings cancelled', async () => {
    const before = await janeInTenant();
    assert.equal(before.accountEnabled, true);

    // Opening a channel of the team once is how the Playground installs the app in the team.
    await ui.openChannel('Security');
    await ui.openPersonalChat();
    await ui.send('offboard Jane');
    const request = await ui.waitForCardWithText('Submit for approval', 20_000);
    await ui.chooseCardChoice(request, 'Departure type', 'Involuntary');
    await ui.fillCardInput(request, 'Ticket number', 'HR-1042');
    await ui.fillCardInput(request, 'Notes for the approvers', 'Last day today; laptop returned.');
    await ui.screenshot('1-request-card');
    await ui.clickCardAction(request, 'Submit for approval');
    await ui.waitForText('Awaiting security approval', 15_000);
    await ui.screenshot('2-request-submitted');

    await ui.openChannel('Security');
    const approval = await ui.waitForCardWithText('HR-1042', 20_000);
    // The secret she gave her app two nights ago is among the risks the approvers read.
    await ui.waitForText("'Sales Pipeline Sync' (their app) got a new client secret 'sync-2'", 5_000);
    // So are the BitLocker recovery key she read that night as Helpdesk Administrator, and her Salesforce account.
    await ui.waitForText(`Read the BitLocker recovery key '${WORKPLACE_IDS.bitLockerKeyRead}'`, 5_000);
    await ui.waitForText("Keeps an account in 'Salesforce' that Entra does not close.", 5_000);
    await ui.waitForText("Invited a guest at their own address: 'JD Consulting'.", 5_000);
    await ui.screenshot('3-approval-card');

    // Alex requested, so Alex's click is refused and explained.
    const refused = (await ui.clickCardAction(approval, 'Approve')) as { value?: unknown };
    assert.match(JSON.stringify(refused), /You requested this offboarding/);
    assert.equal((await janeInTenant()).accountEnabled, true, 'nothing happened to Jane');
    await ui.screenshot('4-requester-cannot-approve');

    const posted = await ui.waitForBotMessage('HR-1042');
    assert.ok(posted.conversationId.startsWith(SECURITY));
    const approve = cardVerbs(posted.attachments[0].content).find((a) => a.verb === 'approve');
    assert.ok(approve, 'the posted card offers Approve');
    const refresh = (posted.attachments[0].content as { refresh?: { userIds: string[] } }).refresh;
    assert.ok(refresh?.userIds.includes('user-id-1'), 'Megan (learned from the team roster) gets her own view on refresh');
    const answer = await playgroundApi(stack.playgroundUrl).executeCardActionAs({
      userId: 'user-id-1', // Megan Bowen, member of Offboarding Security Approvers
      conversationId: `${SECURITY};messageid=${posted.messageId}`,
      cardMessageId: posted.messageId,
      verb: 'approve',
      data: approve.data,
    });
    assert.match(JSON.stringify(answer), /Approved by Megan Bowen/);

    const deadline = Date.now() + 30_000;
    let jane = await janeInTenant();
    while ((jane.accountEnabled || jane.revokeCount === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      jane = await janeInTenant();
    }
    assert.equal(jane.accountEnabled, false, 'Jane can no longer sign in');
    assert.equal(jane.revokeCount, 1, 'her sessions were revoked once');
    assert.ok(Date.parse(jane.signInSessionsValidFromDateTime) > Date.parse(before.signInSessionsValidFromDateTime));

    // Megan's decision updates the posted card in place, for everyone (here: Alex's open view).
    const updated = await ui.waitForBotMessage('Approved by Megan Bowen', 15_000);
    assert.equal(updated.messageId, posted.messageId);
    await ui.waitForText('Approved by Megan Bowen', 15_000);
    await ui.screenshot('5-approval-card-updated');

    await ui.openChannel('General');
    await ui.waitForCardWithText('Completed', 20_000);
    await ui.screenshot('6-completion-summary-in-it-channel');
    // She owns no app any more; the secret stays, for a person to confirm or remove.
    const apps = (await (await fetch(`${stack.simUrl}/v1.0/users/${SEED_IDS.jane}/ownedObjects/microsoft.graph.application`, {
      headers: { authorization: `Bearer ${await simulatedTenantToken.getToken()}` },
    })).json()) as { value: unknown[] };
    assert.deepEqual(apps.value, []);
    // The guest at her own address is blocked in the tenant.
    const guest = (await (await fetch(`${stack.simUrl}/v1.0/users/${WORKPLACE_IDS.janesGuest}?$select=accountEnabled`, {
      headers: { authorization: `Bearer ${await simulatedTenantToken.getToken()}` },
    })).json()) as { accountEnabled: boolean };
    assert.equal(guest.accountEnabled, false, 'her guest account is blocked');
    await ui.waitForText('Exceptions still open', 5_000);
    await ui.waitForText("'Sales Pipeline Sync' (their app) got a new client secret 'sync-2'", 5_000);
    await ui.waitForText(`Read the BitLocker recovery key '${WORKPLACE_IDS.bitLockerKeyRead}'`, 5_000);
    // The company laptop to collect, from the evidence; not her own phone.
    await ui.waitForText("'CONTOSO-JD-LT01': Surface Laptop 5 (Windows), serial 0F33ABCD2024", 5_000);
    await ui.waitForText("'Salesforce': Entra does not close their account in it (no provisioning is set up; assigned directly)", 5_000);

    // An involuntary exit cancels the meetings she organized: gone from her calendar, read through Graph.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const calendar = await fetch(`${stack.simUrl}/v1.0/users/${SEED_IDS.jane}/calendarView?startDateTime=${from}&endDateTime=${to}&$top=1000`, {
      headers: { authorization: `Bearer ${await simulatedTenantToken.getToken()}` },
    });
    const subjects = new Set(((await calendar.json()) as { value: { subject: string }[] }).value.map((e) => e.subject));
    assert.deepEqual([...subjects].sort(), ['Dentist', 'Quarterly access review']);

    // As the case closed, a follow-up asked Purview's audit log what Jane downloaded; the security team reads it.
    const downloads = await ui.waitForBotMessage('Files downloaded before leaving', 45_000);
    assert.ok(downloads.conversationId.startsWith(SECURITY), 'posted in the Security channel');
    assert.match(JSON.stringify(downloads.attachments), /Jane Doe downloaded or synced 30 files/);
    await ui.openChannel('Security');
    const shown = await ui.waitForCardWithText('Files downloaded before leaving', 15_000);
    await shown.scrollIntoViewIfNeeded();
    await ui.screenshot('7-downloads-reported-to-security');
  });

  it('asked in a channel, answers in the personal chat and tells the channel nothing of who', async () => {
    await ui.openChannel('General');
    const since = ui.botMessageCount;
    await ui.send('offboard Jane');
    const inChannel = await ui.waitForBotMessage('I answered you in a personal chat with me', 20_000, since);
    assert.ok(!inChannel.conversationId.startsWith('personal'), 'the line is in the channel');
    assert.doesNotMatch(JSON.stringify([inChannel.text, inChannel.attachments]), /Jane/);
    const answer = await ui.waitForBotMessage('Jane Doe', 20_000, since);
    assert.equal(answer.conversationId, 'personal-chat-id', "the Playground's personal chat with the bot");
    await ui.openPersonalChat();
    await ui.waitForText("Jane Doe's account is already blocked from sign-in", 20_000);
    await ui.screenshot('8-channel-request-answered-in-personal-chat');
  });
});
