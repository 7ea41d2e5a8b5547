import assert from 'node:assert/strict';
import { clearMailboxForwarding } from '../../src/actions/clear-mailbox-forwarding';
import { convertToShared } from '../../src/actions/convert-to-shared';
import { grantMailboxAccess } from '../../src/actions/grant-mailbox-access';
import { removeMobileDevices } from '../../src/actions/remove-mobile-devices';
import { setAutoReply } from '../../src/actions/set-auto-reply';
import { setLitigationHold } from '../../src/actions/set-litigation-hold';
import { takeEvidence } from '../../src/actions/take-evidence';
import type { ExchangeCalls } from '../../src/m365/exchange';
import type { MailboxDecisions } from '../../src/cases/case';
import { exchangeNotConnected } from '../../src/m365/exchange';
import { SEED_IDS } from '../../src/sim/seed';
import { janeInSim, type SimContext } from './sim-context';

describe('mailbox actions (Exchange admin REST)', () => {
  let t: SimContext;
  beforeEach(async () => {
    t = await janeInSim();
  });
  afterEach(() => t.sim.close());

  const mailbox = () => t.sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!;
  const decide = (mailboxChoices: Partial<MailboxDecisions>) => ({
    request: { ...t.ctx.request, mailbox: { convertToShared: true, autoReply: true, litigationHold: false, ...mailboxChoices } },
  });

  it('clears the external mailbox forwarding, naming where it went, and does nothing the second time', async () => {
    const outcome = await t.run(clearMailboxForwarding);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /jdoe\.consulting@outlook\.com \(external\), keeping a copy/);
    assert.equal(mailbox().forwardingSmtpAddress, null);
    assert.ok(outcome.requestIds.length >= 3, 'read, write and read-back are all recorded');
    const before = t.sim.calls.length;
    assert.match((await t.run(clearMailboxForwarding)).detail, /^Nothing to change: the mailbox does not forward/);
    assert.deepEqual(t.writes(before), []);
  });

  it('skips a user without a mailbox', async () => {
    const outcome = await t.run(clearMailboxForwarding, { target: { ...t.ctx.target, id: SEED_IDS.breakGlass } });
    assert.equal(outcome.status, 'skipped');
    assert.match(outcome.detail, /no Exchange Online mailbox/);
  });

  it('removes both mobile device partnerships, and reports one Exchange refused', async () => {
    t.sim.faults.add({ path: /InvokeCommand\/Remove-MobileDevice$/, status: 403, code: 'AccessDenied', message: 'Access denied.' });
    const failed = await t.run(removeMobileDevices);
    assert.equal(failed.status, 'failed');
    assert.match(failed.detail, /Could not remove Jane's iPhone \(iOS 17\.6\.1, Outlook\)/);
    assert.equal(t.sim.state.mobileDevices.length, 1);
    const retried = await t.run(removeMobileDevices);
    assert.equal(retried.status, 'succeeded', retried.detail);
    assert.deepEqual(t.sim.state.mobileDevices, []);
  });

  it('converts to shared and hides from address lists, verified by reading back', async () => {
    const outcome = await t.run(convertToShared);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /verified: SharedMailbox, hidden/);
    assert.equal(mailbox().recipientTypeDetails, 'SharedMailbox');
    assert.equal(mailbox().hiddenFromAddressListsEnabled, true);
  });

  it('converts a mailbox synced from on-premises AD to shared, and leaves its address-list hiding to a person there', async () => {
    t.sim.state.users.get(SEED_IDS.jane)!.onPremisesSyncEnabled = true;
    const outcome = await t.run(convertToShared);
    assert.equal(outcome.status, 'manual', outcome.detail);
    assert.match(outcome.detail, /Converted to a shared mailbox\. \(verified: SharedMailbox\)/);
    assert.match(outcome.detail, /Set-RemoteMailbox -HiddenFromAddressListsEnabled \$true/);
    const set = t.sim.calls.find((c) => (c.body as { CmdletInput?: { CmdletName?: string } })?.CmdletInput?.CmdletName === 'Set-Mailbox')!;
    assert.deepEqual(Object.keys((set.body as { CmdletInput: { Parameters: object } }).CmdletInput.Parameters).sort(), ['Identity', 'Type'], 'no attribute mastered on-premises is sent');
    assert.equal(mailbox().recipientTypeDetails, 'SharedMailbox');
    const again = await t.run(convertToShared);
    assert.equal(again.status, 'manual');
    assert.match(again.detail, /^Nothing to change/);
  });

  it('leaves the mailbox alone when the request keeps it a user mailbox', async () => {
    const outcome = await t.run(convertToShared, decide({ convertToShared: false }));
    assert.equal(outcome.status, 'skipped');
    assert.deepEqual(t.sim.calls, []);
  });

  it('gives the manager FullAccess by default, and records when it should end', async () => {
    const outcome = await t.run(grantMailboxAccess, decide({ delegateUntil: '2026-03-31' }));
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /Gave alexw@contoso\.com FullAccess/);
    assert.match(outcome.detail, /keeps access until 2026-03-31; a follow-up of this case removes it then/);
    assert.deepEqual(mailbox().permissions.map((p) => p.userId), [SEED_IDS.pradeep, SEED_IDS.alex], 'Pradeep, already a delegate, keeps his access');
  });

  it('gives the named delegate access instead, and nobody when the request says none', async () => {
    assert.equal((await t.run(grantMailboxAccess, decide({ delegate: 'meganb@contoso.com' }))).status, 'succeeded');
    assert.equal((await t.run(grantMailboxAccess, decide({ delegate: null }))).status, 'skipped');
    assert.deepEqual(mailbox().permissions.map((p) => p.userId), [SEED_IDS.pradeep, SEED_IDS.megan]);
  });

  it('keeps access the delegate had before the case when Exchange names people by display name, not sign-in name', async () => {
    await t.ctx.exchange.invoke('Add-MailboxPermission', { Identity: SEED_IDS.jane, User: 'alexw@contoso.com', AccessRights: ['FullAccess'] });
    // A tenant whose Get-MailboxPermission shows "Alex Wilber" where the request names alexw@contoso.com.
    const byDisplayName: ExchangeCalls = {
      async invoke(cmdlet, parameters) {
        const res = await t.ctx.exchange.invoke(cmdlet, parameters);
        if (cmdlet !== 'Get-MailboxPermission') return res as never;
        const shown = (u: unknown) => (String(u).toLowerCase() === 'alexw@contoso.com' ? 'Alex Wilber' : u);
        return { ...res, value: res.value.map((p) => ({ ...(p as object), User: shown((p as { User: unknown }).User) })) } as never;
      },
    };
    const { evidence } = await t.run(takeEvidence, { exchange: byDisplayName });
    assert.ok(evidence, 'the snapshot was taken');
    const outcome = await t.run(grantMailboxAccess, { exchange: byDisplayName, evidence, ...decide({ delegateUntil: '2026-03-31' }) });
    assert.equal((outcome as { changed?: boolean }).changed, false, 'not counted as this case\'s grant, so its end date does not take it away');
    assert.match(outcome.detail, /alexw@contoso\.com had FullAccess before this offboarding; it is left as it is/);
  });

  it('says it cannot tell whether access found in place predates the case when the snapshot could not read the mailbox permissions', async () => {
    t.sim.faults.add({ method: 'POST', path: /InvokeCommand\/Get-MailboxPermission$/, status: 403, code: 'AccessDenied', message: 'Access denied.' });
    const { evidence } = await t.run(takeEvidence);
    await t.ctx.exchange.invoke('Add-MailboxPermission', { Identity: SEED_IDS.jane, User: 'alexw@contoso.com', AccessRights: ['FullAccess'] });
    const outcome = await t.run(grantMailboxAccess, { evidence, ...decide({ delegateUntil: '2026-03-31' }) });
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.equal((outcome as { changed?: boolean }).changed, false, 'not counted as this case\'s grant');
    assert.match(outcome.detail, /Could not tell whether alexw@contoso\.com had FullAccess before this offboarding: the evidence snapshot could not read the mailbox permissions \(Get-MailboxPermission failed: Access denied\.\)/);
    assert.match(outcome.detail, /keeps access until 2026-03-31; then a follow-up of this case asks a person to check, and to remove it if this case gave it/);
    assert.doesNotMatch(outcome.detail, /had FullAccess before this offboarding; it is left as it is/);

    const resumed = await t.run(grantMailboxAccess, { evidence, earlierRunChanged: true, ...decide({ delegateUntil: '2026-03-31' }) });
    assert.equal((resumed as { changed?: boolean }).changed, true, 'an earlier run of the step sent the grant, so it is this case\'s');
    assert.match(resumed.detail, /alexw@contoso\.com already has the FullAccess this case gave/);
  });

  it('fails with Exchange\'s own message when the delegate does not exist', async () => {
    const outcome = await t.run(grantMailboxAccess, decide({ delegate: 'nobody@contoso.com' }));
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.detail, /object 'nobody@contoso\.com' couldn't be found .*ManagementObjectNotFoundException/);
  });

  const html = (text: string) => `<html>\n<body>\n${text}\n</body>\n</html>\n`;
  const defaultReply = 'Jane Doe no longer works here. For anything Jane Doe was handling, please contact Alex Wilber.';

  it('turns on the auto-reply with the default text, or with the request\'s, kept as HTML as Exchange does', async () => {
    assert.equal((await t.run(setAutoReply)).status, 'succeeded');
    assert.equal(mailbox().autoReply.internalMessage, html(defaultReply));
    const custom = await t.run(setAutoReply, decide({ autoReplyInternal: 'Ask Alex.', autoReplyExternal: 'Write to sales@contoso.com.' }));
    assert.equal(custom.status, 'succeeded', custom.detail);
    assert.deepEqual([mailbox().autoReply.state, mailbox().autoReply.internalMessage, mailbox().autoReply.externalMessage], ['Enabled', html('Ask Alex.'), html('Write to sales@contoso.com.')]);
  });

  it('verifies the auto-reply through the HTML Exchange reads back, and writes nothing the second time', async () => {
    const outcome = await t.run(setAutoReply);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /\(verified\)/);
    assert.deepEqual(t.writes().map((w) => w.cmdlet), ['Set-MailboxAutoReplyConfiguration']);
    const before = t.sim.calls.length;
    const again = await t.run(setAutoReply);
    assert.equal(again.status, 'succeeded', again.detail);
    assert.match(again.detail, /^Nothing to change: the auto-reply is already on with the chosen text/);
    assert.deepEqual(t.writes(before), []);
  });

  it('recognises a reply Outlook already wrote with the same text in its own HTML as done', async () => {
    const outlook =
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>p { margin: 0 }</style></head>' +
      '<body dir="ltr"><p>Jane Doe no longer works here.</p><p>For anything Jane Doe was handling, please contact&nbsp;<b>Alex Wilber</b>.</p></body></html>';
    mailbox().autoReply = { state: 'Enabled', internalMessage: outlook, externalMessage: outlook, externalAudience: 'All' };
    const outcome = await t.run(setAutoReply);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.match(outcome.detail, /^Nothing to change: the auto-reply is already on/);
    assert.deepEqual(t.writes(), []);
    assert.equal(mailbox().autoReply.internalMessage, outlook);
  });

  it('sets the reply again when the same text is not sent to outside senders', async () => {
    mailbox().autoReply = { state: 'Enabled', internalMessage: html(defaultReply), externalMessage: html(defaultReply), externalAudience: 'Known' };
    const outcome = await t.run(setAutoReply);
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.deepEqual(t.writes().map((w) => w.cmdlet), ['Set-MailboxAutoReplyConfiguration']);
    assert.equal(mailbox().autoReply.externalAudience, 'All');
  });

  it('sends typed text that looks like markup escaped, so the reply says what was typed', async () => {
    const typed = 'Write to Alex <alexw@contoso.com> & Megan.\nThank you.';
    const outcome = await t.run(setAutoReply, decide({ autoReplyInternal: typed }));
    assert.equal(outcome.status, 'succeeded', outcome.detail);
    assert.equal(mailbox().autoReply.internalMessage, html('Write to Alex &lt;alexw@contoso.com&gt; &amp; Megan.<br>\nThank you.'));
    const before = t.sim.calls.length;
    assert.match((await t.run(setAutoReply, decide({ autoReplyInternal: typed }))).detail, /^Nothing to change/);
    assert.deepEqual(t.writes(before), []);
  });

  it('places a litigation hold only when chosen', async () => {
    assert.equal((await t.run(setLitigationHold)).status, 'skipped');
    assert.equal(mailbox().litigationHoldEnabled, false);
    assert.equal((await t.run(setLitigationHold, decide({ litigationHold: true }))).status, 'succeeded');
    assert.equal(mailbox().litigationHoldEnabled, true);
  });

  it('leaves the step to a person when the app is not connected to Exchange', async () => {
    const outcome = await t.run(convertToShared, { exchange: exchangeNotConnected });
    assert.equal(outcome.status, 'manual');
    assert.match(outcome.detail, /not connected to Exchange Online.*Exchange admin center/);
  });
});
