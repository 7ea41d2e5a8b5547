import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OffboardingCase } from '../../src/cases/case';
import type { CaseNotifier } from '../../src/cases/case-notifier';
import { ApprovalDeadlines } from '../../src/cases/approval-deadlines';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { newCase } from '../store/case-fixtures';

const HOUR = 3_600_000;
const requestedAt = Date.parse('2025-03-03T09:00:00.000Z');

describe('approval deadlines: reminder, escalation, expiry (time under test control)', () => {
  let dir: string;
  let store: EmbeddedCaseStore;
  let now: number;
  let reminders: { c: OffboardingCase; groupId?: string }[];
  let changed: OffboardingCase[];

  const deadlines = (env: NodeJS.ProcessEnv = { REMINDER_HOURS: '4', APPROVAL_EXPIRY_HOURS: '48' }) => {
    const notifier: CaseNotifier = {
      requestSecurityApproval: async () => ({ conversationId: 's', activityId: '1' }),
      caseChanged: async (c) => void changed.push(c),
      stepsChanged: async () => {},
      caseFinished: async () => ({ conversationId: 'i', activityId: '2' }),
      remindApprovers: async (c, escalation) => void reminders.push({ c, groupId: escalation.groupId }),
    };
    return new ApprovalDeadlines({ store, notifier, policy: loadConfig(env).policy, log: silentLogger, now: () => new Date(now) });
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'deadlines-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    reminders = [];
    changed = [];
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function waiting(): Promise<OffboardingCase> {
    const c = newCase({ version: 1, createdAt: new Date(requestedAt).toISOString() });
    await store.createCase(c);
    return c;
  }

  it('does nothing before REMINDER_HOURS, then reminds once and tells the escalation group', async () => {
    const c = await waiting();
    now = requestedAt + 4 * HOUR - 1;
    await deadlines().sweep();
    assert.equal(reminders.length, 0);

    now = requestedAt + 4 * HOUR;
    await deadlines().sweep();
    await deadlines().sweep();
    assert.equal(reminders.length, 1, 'one reminder, however often the sweep runs');
    assert.equal(reminders[0].groupId, loadConfig({}).policy.approval!.escalationGroupId);
    const stored = (await store.getCase(c._id))!;
    assert.equal(stored.state, 'awaiting_approval');
    assert.equal(stored.remindedAt, new Date(now).toISOString());
    const audit = await store.listAudit(c._id);
    assert.deepEqual(audit.map((e) => e.event), ['approval.reminded']);
    assert.equal(audit[0].detail?.escalatedTo, loadConfig({}).policy.approval!.escalationGroupId);
  });

  it('expires an undecided case after APPROVAL_EXPIRY_HOURS, says why, and frees the target', async () => {
    const c = await waiting();
    now = requestedAt + 48 * HOUR;
    await deadlines().sweep();
    const stored = (await store.getCase(c._id))!;
    assert.equal(stored.state, 'cancelled');
    assert.match(stored.cancellation!.reason, /No decision within 48 hours/);
    assert.equal(await store.findOpenCaseFor(c.target.id), null, 'the target can be requested again');
    assert.deepEqual((await store.listAudit(c._id)).map((e) => e.event), ['case.expired']);
    assert.equal(changed.length, 1, 'every posted card is updated to say so');
  });

  it('leaves decided cases alone', async () => {
    const c = newCase({ version: 1, state: 'approved', createdAt: new Date(requestedAt).toISOString() });
    await store.createCase(c);
    now = requestedAt + 100 * HOUR;
    await deadlines().sweep();
    assert.equal((await store.getCase(c._id))!.state, 'approved');
    assert.equal(reminders.length, 0);
  });

  it('refuses to start with a reminder that would come after the expiry', () => {
    assert.throws(() => loadConfig({ REMINDER_HOURS: '72', APPROVAL_EXPIRY_HOURS: '24' }), /REMINDER_HOURS: must be less than APPROVAL_EXPIRY_HOURS/);
    assert.throws(() => loadConfig({ APPROVAL_EXPIRY_HOURS: '-1' }), /APPROVAL_EXPIRY_HOURS: must be a positive number of hours/);
  });
});
