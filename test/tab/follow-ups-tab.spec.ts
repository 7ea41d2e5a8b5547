import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SEED_IDS } from '../../src/sim/seed';
import { caseWithFollowUps, caseWithManualFollowUp, startDashboard, type RunningDashboard } from './dashboard-fixture';

const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results', 'tab');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('follow-ups on the dashboard tab in headless Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let d: RunningDashboard;
  let page: Page;

  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    d = await startDashboard();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await page?.close();
    await d?.close();
    await browser?.close();
  });

  it('IT sees when each follow-up is due, which failed and who called one off, and retries the failed one', async () => {
    await d.store.createCase(caseWithFollowUps(d.app));
    await page.goto(`${d.url}/tab/index.html`);
    await page.getByLabel('Sign in as').selectOption(SEED_IDS.isaiah);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Open the case of Jane Doe' }).click();
    await page.getByRole('heading', { name: 'Follow-ups' }).waitFor();

    const rows = page.locator('#follow-ups tbody tr');
    assert.match(await rows.nth(0).innerText(), /Remove the delegate's mailbox access\s+Failed\s+2025-06-30 00:00 UTC\s+2025-06-30 00:00 UTC\s+Exchange refused: Access denied/);
    assert.match(await rows.nth(1).innerText(), /Delete the account\s+Pending\s+2099-01-05 09:00 UTC/);
    assert.match(await rows.nth(2).innerText(), /Remind IT to review the case\s+Skipped\s+2025-07-01 09:00 UTC.*Cancelled by Megan Bowen at 2025-06-02 10:00 UTC: Jane comes back\./s);
    assert.match(await page.locator('#detail-summary').innerText(), /Exceptions\s+1/);
    await page.screenshot({ path: path.join(SCREENSHOTS, '9-follow-ups.png'), fullPage: true });

    await page.getByRole('button', { name: 'Retry failed steps' }).click();
    await page.getByRole('status').filter({ hasText: 'Retry started' }).waitFor();
    await rows.nth(0).getByText('Succeeded').waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#detail-summary').innerText(), /Exceptions\s+0/);
    assert.equal(await page.getByRole('button', { name: 'Retry failed steps' }).isVisible(), false);
  });

  it('IT marks a follow-up left to a person as handled: the row says who, when and what, and it no longer counts', async () => {
    const c = caseWithManualFollowUp(d.app, SEED_IDS.conor);
    await d.store.createCase(c);
    await page.goto(`${d.url}/tab/index.html`);
    await page.getByLabel('Sign in as').selectOption(SEED_IDS.isaiah);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: "Open the case of Conor O'Brien" }).click();
    await page.getByRole('heading', { name: 'Follow-ups' }).waitFor();
    assert.match(await page.locator('#detail-summary').innerText(), /Exceptions\s+1/);

    const row = page.locator('#follow-ups tbody tr').nth(0);
    await row.getByLabel('What was done for "Remove the delegate\'s mailbox access"').fill('Removed Alex from the mailbox group');
    await row.getByRole('button', { name: 'Mark handled' }).click();
    await page.getByRole('status').filter({ hasText: 'Exception marked as handled.' }).waitFor();
    await row.getByText(/Handled by Isaiah Langer at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: Removed Alex from the mailbox group/).waitFor();
    assert.match(await page.locator('#detail-summary').innerText(), /Exceptions\s+0/);
    assert.equal(await page.getByRole('button', { name: 'Mark handled' }).count(), 0, 'handled once');
    assert.match(await page.locator('#audit').innerText(), /exception\.resolved.*removeDelegateAccess/);
    await page.screenshot({ path: path.join(SCREENSHOTS, '10-follow-up-handled.png'), fullPage: true });
  });

  it('security sees the follow-up left to a person but is not offered to mark it handled', async () => {
    const c = caseWithManualFollowUp(d.app, SEED_IDS.danielBrown);
    await d.store.createCase(c);
    await page.goto(`${d.url}/tab/index.html`);
    await page.getByLabel('Sign in as').selectOption(SEED_IDS.megan);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Open the case of Daniel Brown' }).click();
    await page.getByRole('heading', { name: 'Follow-ups' }).waitFor();
    assert.match(await page.locator('#follow-ups tbody tr').nth(0).innerText(), /Manual action needed.*Alex has FullAccess through a group/s);
    assert.equal(await page.getByRole('button', { name: 'Mark handled' }).count(), 0);
  });
});
