import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SEED_IDS } from '../../src/sim/seed';
import { seededCase, seedFailedCase, startDashboard, type RunningDashboard } from './dashboard-fixture';

const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results', 'tab');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the dashboard tab in headless Chromium (demo sign-in, real app)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let d: RunningDashboard;
  let page: Page;
  let janeCaseId: string;

  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(() => browser?.close());

  beforeEach(async () => {
    d = await startDashboard();
    janeCaseId = (await seedFailedCase(d))._id;
    await d.store.createCase(seededCase(d.app, SEED_IDS.danielBrown, {
      request: { departureType: 'voluntary', cutoff: '2099-01-01T17:00', timeZone: 'UTC', ticket: 'HR-2001' },
      notBefore: '2099-01-01T17:00:00.000Z',
    }));
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  });

  afterEach(async () => {
    await page.close();
    await d.close();
  });

  async function signInAs(userId: string) {
    await page.goto(`${d.url}/tab/index.html`);
    await page.getByRole('heading', { name: 'Demo sign-in (simulated tenant)' }).waitFor();
    await page.getByLabel('Sign in as').selectOption(userId);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  const caseRows = () => page.locator('#case-table tbody tr');
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('IT (Isaiah): list, filter, search, open a case, retry its failed step, export the evidence', async () => {
    await signInAs(SEED_IDS.isaiah);
    assert.match(await page.locator('#demo-reason').innerText(), /not running inside Microsoft Teams/);
    await page.getByText('Signed in as Isaiah Langer (demo sign-in, simulated tenant)').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 2);
    assert.match(await caseRows().nth(0).innerText(), /Daniel Brown\s+Alex Wilber\s+Voluntary\s+Awaiting security approval.*in \d+ days\s+0/s);
    // Her sessions were not revoked (the failed step): the deadline clock still runs.
    assert.match(await caseRows().nth(1).innerText(), /Jane Doe.*Completed with failures.*overdue by .*1$/s);
    await shot('1-list-it');

    await page.getByLabel('State').selectOption({ label: 'Completed with failures' });
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 1);
    assert.match(await caseRows().first().innerText(), /Jane Doe/);
    await page.getByLabel('State').selectOption({ label: 'All states' });
    await page.getByLabel('Search').fill('hr-2001');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 1 && /Daniel/.test(document.querySelector('#case-table tbody tr')!.textContent!));
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 2);

    await page.getByRole('button', { name: 'Open the case of Jane Doe' }).click();
    await page.getByRole('heading', { name: 'Offboarding of Jane Doe' }).waitFor();
    const steps = page.locator('#steps tbody');
    assert.match(await steps.innerText(), /Block sign-in\s+Succeeded/);
    assert.match(await steps.innerText(), /Revoke sessions\s+Failed\s+.*Authorization_RequestDenied/);
    assert.match(await page.locator('#decisions').innerText(), /Approved by Megan Bowen/);
    assert.match(await page.locator('#audit').innerText(), /case\.completed_with_failures/);
    const card = page.locator('#case-card .ac-adaptiveCard');
    await card.waitFor();
    assert.match(await card.innerText(), /Completed with failures/, 'the completion card is rendered by the Adaptive Cards SDK');
    await shot('2-case-failed');

    await page.getByRole('button', { name: 'Retry failed steps' }).click();
    await page.getByRole('status').filter({ hasText: 'Retry started' }).waitFor();
    await page.locator('#steps tbody').getByText(/Revoke sessions\s*Succeeded/).waitFor({ timeout: 15_000 });
    await page.locator('#detail-summary').getByText('Completed', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Retry failed steps' }).isVisible(), false, 'nothing left to retry');
    assert.match(await page.locator('#audit').innerText(), /case\.retry_requested.*case\.completed/s);
    assert.ok(d.app.sim!.state.users.get(SEED_IDS.jane)!.signInSessionsValidFromDateTime, 'the retried step reached the tenant');
    await shot('3-case-retried');

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download evidence (JSON)' }).click()]);
    assert.match(jsonDownload.suggestedFilename(), /^offboarding-janed-[0-9a-f]{8}\.json$/);
    const pack = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8'));
    assert.equal(pack.case._id, janeCaseId);
    assert.equal(pack.case.state, 'completed');
    assert.ok(pack.audit.some((e: { event: string }) => e.event === 'case.retry_requested'));

    const [htmlDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download evidence (printable HTML)' }).click()]);
    const html = await readFile((await htmlDownload.path())!, 'utf8');
    assert.match(html, /<h1>Offboarding evidence: Jane Doe<\/h1>/);
    const printable = await browser.newPage();
    await printable.setContent(html);
    await printable.screenshot({ path: path.join(SCREENSHOTS, '4-evidence-page.png'), fullPage: true });
    await printable.close();
  });

  it('IT records how a manual exception was handled', async () => {
    await d.store.createCase(seededCase(d.app, SEED_IDS.conor, {
      state: 'completed',
      steps: [
        { action: 'blockSignIn', status: 'manual', detail: 'Synced from on-premises AD: disable it there.', requestIds: [] },
        { action: 'revokeSessions', status: 'succeeded', detail: 'Sessions revoked.', requestIds: ['r-1'] },
      ],
    }));
    await signInAs(SEED_IDS.isaiah);
    await page.getByRole('button', { name: "Open the case of Conor O'Brien" }).click();
    await page.getByLabel('What was done for "Block sign-in"').fill('Disabled in AD; sync ran at 10:05');
    await page.getByRole('button', { name: 'Mark handled' }).click();
    await page.locator('#steps tbody').getByText(/Handled by Isaiah Langer .*Disabled in AD/).waitFor();
    assert.match(await page.locator('#audit').innerText(), /exception\.resolved/);
    assert.equal(await page.getByRole('button', { name: 'Mark handled' }).count(), 0, 'handled once');
    await shot('8-exception-handled');
  });

  it('works from the keyboard alone, with visible focus and labelled controls', async () => {
    await page.goto(`${d.url}/tab/index.html`);
    await page.getByLabel('Sign in as').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'demo-user');
    await page.getByLabel('Sign in as').selectOption(SEED_IDS.isaiah);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 2);

    for (const label of ['State', 'Search']) assert.equal(await page.getByLabel(label).count(), 1, `${label} has a label`);
    await page.getByLabel('Search').focus();
    await page.keyboard.press('Tab'); // Apply
    await page.keyboard.press('Tab'); // first case
    await page.keyboard.press('Tab'); // second case
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Open the case of Jane Doe');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'keyboard focus is visible');
    await shot('5-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Offboarding of Jane Doe' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-title', 'focus moves to the opened case');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'back');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'cases-title');
  });

  it('security (Megan) sees the case but no Retry button', async () => {
    await signInAs(SEED_IDS.megan);
    await page.getByRole('button', { name: 'Open the case of Jane Doe' }).click();
    await page.getByRole('heading', { name: 'Offboarding of Jane Doe' }).waitFor();
    assert.match(await page.locator('#steps tbody').innerText(), /Failed/);
    assert.equal(await page.getByRole('button', { name: 'Retry failed steps' }).isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Download evidence (JSON)' }).isVisible(), true);
    await shot('6-case-security');
  });

  it('Alex (no dashboard group) is told he cannot see cases; Jane, offboarded by now, that her account is disabled', async () => {
    await signInAs(SEED_IDS.alex);
    await page.getByRole('status').filter({ hasText: 'Only the security, IT and HR groups can see offboarding cases.' }).waitFor();
    assert.equal(await page.locator('#cases').isVisible(), false);
    await shot('7-forbidden');
    await signInAs(SEED_IDS.jane);
    await page.getByRole('status').filter({ hasText: 'Your account is disabled in the directory, so you cannot see offboarding cases.' }).waitFor();
    assert.equal(await page.locator('#cases').isVisible(), false);
  });
});
