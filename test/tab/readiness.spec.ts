import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { UnsecuredJWT } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import restify from 'restify';
import { checkReadiness } from '../../src/actions/permission-readiness';
import { CaseOperations } from '../../src/cases/case-operations';
import { createLogger, silentLogger } from '../../src/log';
import { listen } from '../../src/server';
import { SEED_IDS } from '../../src/sim/seed';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { registerDashboardRoutes } from '../../src/tab/dashboard-routes';
import { DEMO_USER_HEADER } from '../../src/tab/tab-sign-in';
import { startDashboard, type RunningDashboard } from './dashboard-fixture';

const PIM_WRITES = 'RoleEligibilitySchedule.ReadWrite.Directory,PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results', 'tab');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function readiness(d: RunningDashboard, as?: string) {
  const res = await fetch(`${d.url}/api/readiness`, { headers: as ? { [DEMO_USER_HEADER]: as } : {} });
  return { status: res.status, body: await res.json() };
}

/** The app's log lines, parsed; the readiness line comes after start-up, without holding it up. */
async function startLogged(env: NodeJS.ProcessEnv = {}) {
  const lines: Record<string, unknown>[] = [];
  const d = await startDashboard({ env, log: createLogger('info', (l) => lines.push(JSON.parse(l))) });
  const readinessLine = async () => {
    for (let i = 0; i < 100; i++) {
      const line = lines.find((l) => String(l.event).startsWith('readiness.'));
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no readiness line logged');
  };
  return { d, readinessLine };
}

describe('permission readiness on the dashboard (real app, simulated tenant)', () => {
  let d: RunningDashboard | undefined;
  afterEach(async () => {
    await d?.close();
    d = undefined;
  });

  it('every permission granted: the start-up log and the API say the app is ready', async () => {
    const started = await startLogged();
    d = started.d;
    assert.equal((await started.readinessLine()).event, 'readiness.ok');
    const { status, body } = await readiness(d, SEED_IDS.isaiah);
    assert.equal(status, 200);
    assert.equal(body.ok, true);
    assert.deepEqual(body.missing, []);
    assert.equal(body.exchange.read, true);
    assert.ok(!Number.isNaN(Date.parse(body.checkedAt)));
  });

  it('PIM write permissions withheld: the log and the API name the step and what to grant; only IT may ask', async () => {
    const started = await startLogged({ SIM_WITHHELD_PERMISSIONS: PIM_WRITES });
    d = started.d;
    const line = await started.readinessLine();
    assert.equal(line.level, 'warn');
    assert.equal(line.event, 'readiness.missing_permissions');
    assert.deepEqual(line.steps, ['Remove PIM eligibilities (roles and groups)']);

    const { status, body } = await readiness(d, SEED_IDS.isaiah);
    assert.equal(status, 200);
    assert.equal(body.ok, false);
    // RoleManagement.ReadWrite.Directory, granted for the role removal, covers PIM for roles too.
    assert.deepEqual(body.missing, [
      { kind: 'step', step: 'removePimEligibility', label: 'Remove PIM eligibilities (roles and groups)', permissions: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'] },
    ]);

    for (const notIt of [SEED_IDS.megan, SEED_IDS.lynne, SEED_IDS.jane]) {
      const refused = await readiness(d, notIt);
      assert.equal(refused.status, 403, notIt);
      assert.equal(refused.body.missing, undefined);
    }
    assert.equal((await readiness(d)).status, 401);
  });

  it("an admin took the app's User Administrator role away: the API names the steps that would fail and the role, read afresh", async () => {
    d = await startDashboard();
    assert.equal((await readiness(d, SEED_IDS.isaiah)).body.ok, true);
    const tenant = d.app.sim!.state;
    tenant.roleAssignments = tenant.roleAssignments.filter((a) => !(a.principalId === SEED_IDS.offboardingAppPrincipal && a.roleDefinitionId === SEED_IDS.userAdministrator));
    const { body } = await readiness(d, SEED_IDS.isaiah);
    assert.equal(body.ok, false);
    assert.deepEqual(
      body.missing.map((m: { label: string; permissions: string[]; roles?: string[] }) => `${m.label}: grant [${m.permissions.join(', ')}], assign [${(m.roles ?? []).join(', ')}]`),
      ["Block sign-in: grant [], assign [User Administrator role (or one at least as high as the person's)]", "Reset password: grant [], assign [User Administrator role (or one at least as high as the person's)]",
        "Block their own guest accounts, flag guests they invited: grant [], assign [User Administrator role (or one at least as high as the person's)]"],
    );
    assert.deepEqual(body.alsoCheck, []);
  });

  it('names both PIM permissions once nothing else covers the role part', async () => {
    d = await startDashboard({ env: { SIM_WITHHELD_PERMISSIONS: `${PIM_WRITES},RoleManagement.ReadWrite.Directory` } });
    const { body } = await readiness(d, SEED_IDS.patti);
    assert.deepEqual(body.missing.find((m: { step: string }) => m.step === 'removePimEligibility').permissions, PIM_WRITES.split(','));
  });
});

/**
 * The dashboard's routes alone, in demo mode, with a delegated token, as if the app had been set
 * up with a user's sign-in instead of its own: Isaiah is in IT, nobody else in any group.
 */
async function dashboardWithDelegatedToken(): Promise<{ url: string; close(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tab-readiness-'));
  const store = await EmbeddedCaseStore.open(dir);
  const server = restify.createServer();
  const policy = { securityGroupId: SEED_IDS.securityGroup, itGroupId: SEED_IDS.itOperationsGroup, protectedUserIds: [] };
  const groups = { isMemberOf: async (userId: string, groupId: string) => userId === SEED_IDS.isaiah && groupId === policy.itGroupId, isAccountEnabled: async () => true };
  const delegated = { getToken: async () => new UnsecuredJWT({ scp: 'User.Read.All' }).encode() };
  registerDashboardRoutes(server, {
    mode: 'demo',
    store,
    groups,
    policy,
    log: silentLogger,
    operations: new CaseOperations({ store, groups, policy, log: silentLogger }),
    readiness: () => checkReadiness({ graphTokens: delegated }),
  });
  const url = await listen(server, 0, '127.0.0.1');
  return {
    url,
    async close() {
      server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('permission readiness when the token shows no permissions', () => {
  it('answers that the granted permissions could not be read, not a 500 and not every step failing', async () => {
    const tab = await dashboardWithDelegatedToken();
    try {
      const res = await fetch(`${tab.url}/api/readiness`, { headers: { [DEMO_USER_HEADER]: SEED_IDS.isaiah } });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.ok, false);
      assert.deepEqual(body.missing, []);
      assert.match(body.graph.problem, /^Could not read the granted permissions from the Microsoft Graph token: the token is a delegated \(user\) token/);
    } finally {
      await tab.close();
    }
  });
});

describe('the readiness banner in headless Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  /** The app, or the dashboard's routes alone: what the page is served from. */
  let tab: { url: string; close(): Promise<void> } | undefined;

  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(() => browser?.close());
  beforeEach(async () => (page = await browser.newPage({ viewport: { width: 1280, height: 900 } })));
  afterEach(async () => {
    await page.close();
    await tab?.close();
    tab = undefined;
  });

  async function signInAs(userId: string) {
    await page.goto(`${tab!.url}/tab/index.html`);
    await page.getByLabel('Sign in as').selectOption(userId);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForFunction(() => /Signed in as/.test(document.getElementById('who')!.textContent!));
    await page.locator('#no-cases').waitFor({ state: 'visible' });
  }

  it('IT sees which steps would fail and what to grant; a security approver does not', async () => {
    const dashboard = await startDashboard({ env: { SIM_WITHHELD_PERMISSIONS: `${PIM_WRITES},Exchange.ManageAsApp` } });
    tab = dashboard;
    // An admin also took the app's User Administrator role away.
    const tenant = dashboard.app.sim!.state;
    tenant.roleAssignments = tenant.roleAssignments.filter((a) => !(a.principalId === SEED_IDS.offboardingAppPrincipal && a.roleDefinitionId === SEED_IDS.userAdministrator));
    await signInAs(SEED_IDS.isaiah);
    const banner = page.getByRole('region', { name: 'The app is missing permissions: these offboarding steps would fail' });
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /Remove PIM eligibilities \(roles and groups\): grant PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup/);
    assert.match(text, /Convert to shared mailbox and hide: grant Exchange\.ManageAsApp/);
    assert.match(text, /Block sign-in: assign the User Administrator role/);
    assert.match(text, /Grant admin consent/);
    assert.match(text, /Assign a role under Roles and administrators/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'readiness-banner.png'), fullPage: true });

    await signInAs(SEED_IDS.megan);
    assert.equal(await page.locator('#readiness').isVisible(), false);
  });

  it('says when the permissions could not be read at all', async () => {
    tab = await dashboardWithDelegatedToken();
    await signInAs(SEED_IDS.isaiah);
    const banner = page.getByRole('region', { name: "Could not check the app's permissions" });
    await banner.waitFor();
    assert.match(await banner.innerText(), /Could not read the granted permissions from the Microsoft Graph token: the token is a delegated \(user\) token/);
  });

  it('no banner when every permission is granted', async () => {
    tab = await startDashboard();
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/readiness'));
    await signInAs(SEED_IDS.isaiah);
    assert.equal((await (await answered).json()).ok, true);
    // One frame for the page to act on the answer.
    await page.evaluate(() => new Promise(requestAnimationFrame));
    assert.equal(await page.locator('#readiness').isVisible(), false);
  });
});
