import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import type { OffboardingCase, Person, Target } from '../../src/cases/case';
import { loadConfig } from '../../src/config';
import { silentLogger, type Logger } from '../../src/log';
import { SEED_IDS } from '../../src/sim/seed';
import type { CaseStore } from '../../src/store/case-store';

export const PEOPLE = {
  alex: { id: SEED_IDS.alex, displayName: 'Alex Wilber' },
  megan: { id: SEED_IDS.megan, displayName: 'Megan Bowen' },
  isaiah: { id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' },
  jane: { id: SEED_IDS.jane, displayName: 'Jane Doe' },
} satisfies Record<string, Person>;

export interface RunningDashboard {
  app: RunningApp;
  store: CaseStore;
  /** Where the tab and its API are served. */
  url: string;
  close(): Promise<void>;
}

/**
 * The real app (simulated tenant, embedded store, engine) serving the dashboard tab and its API;
 * `env` adds settings (SIM_WITHHELD_PERMISSIONS, say), `log` receives its log lines.
 */
export async function startDashboard(options: { env?: NodeJS.ProcessEnv; log?: Logger } = {}): Promise<RunningDashboard> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'offboarding-tab-'));
  const app = await startApp(loadConfig({ ...options.env, PORT: '0', SIM_PORT: '0', DATA_DIR: dataDir }), options.log ?? silentLogger);
  return {
    app,
    store: app.store,
    url: app.url,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function targetFrom(id: string, app: RunningApp): Target {
  const user = app.sim!.state.users.get(id)!;
  return { id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, mail: user.mail ?? undefined };
}

let clock = Date.parse('2026-01-05T09:00:00.000Z');

/** A case as the request flow would store it, for a seeded person; two steps keep runs short. */
export function seededCase(app: RunningApp, targetId: string, overrides: Partial<OffboardingCase> = {}): OffboardingCase {
  const createdAt = new Date((clock += 60_000)).toISOString();
  return {
    _id: crypto.randomUUID(),
    version: 0,
    state: 'awaiting_approval',
    target: targetFrom(targetId, app),
    requester: PEOPLE.alex,
    request: { departureType: 'involuntary', cutoff: 'now', timeZone: 'Europe/Paris', ticket: 'HR-1042' },
    notBefore: createdAt,
    decisions: [],
    steps: [
      { action: 'blockSignIn', status: 'pending', requestIds: [] },
      { action: 'revokeSessions', status: 'pending', requestIds: [] },
    ],
    cards: {},
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/**
 * Jane's case, approved by Megan and run by the real engine against the simulated tenant with
 * revoking her sessions refused once: it ends completed with failures, with Graph's real error.
 */
export async function seedFailedCase(d: RunningDashboard): Promise<OffboardingCase> {
  const c = seededCase(d.app, SEED_IDS.jane, {
    state: 'approved',
    decisions: [{ by: PEOPLE.megan, decision: 'approved', at: new Date(clock).toISOString() }],
  });
  await d.store.createCase(c);
  d.app.sim!.faults.add({ path: /revokeSignInSessions/, status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', times: 1 });
  // The engine's own sweep may claim the case first; either way, wait for the run to end.
  await d.app.runner.execute(c._id);
  const ran = await settled(d.store, c._id);
  if (ran.state !== 'completed_with_failures') throw new Error(`expected a failed run, got ${ran.state}`);
  return ran;
}

/** The case once the engine has finished with it. */
export async function settled(store: CaseStore, caseId: string, timeoutMs = 10_000): Promise<OffboardingCase> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = (await store.getCase(caseId))!;
    if (c.state !== 'approved' && c.state !== 'running') return c;
    if (Date.now() > until) throw new Error(`case ${caseId} still ${c.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Jane's closed case with one follow-up of each kind: failed, pending and called off. */
export function caseWithFollowUps(app: RunningApp): OffboardingCase {
  return seededCase(app, SEED_IDS.jane, {
    state: 'completed',
    request: { departureType: 'voluntary', cutoff: 'now', timeZone: 'UTC', mailbox: { convertToShared: true, delegate: 'alexw@contoso.com', delegateUntil: '2025-06-30', autoReply: false, litigationHold: false } },
    steps: [{ action: 'blockSignIn', status: 'succeeded', requestIds: ['r-1'] }, { action: 'revokeSessions', status: 'succeeded', requestIds: ['r-2'] }],
    followUps: [
      { action: 'removeDelegateAccess', status: 'failed', notBefore: '2025-06-30T00:00:00.000Z', finishedAt: '2025-06-30T00:00:03.000Z', requestIds: ['r-3'], detail: 'Exchange refused: Access denied (HTTP 403)' },
      { action: 'deleteAccount', status: 'pending', notBefore: '2099-01-05T09:00:00.000Z', requestIds: [] },
      { action: 'reviewReminder', status: 'skipped', notBefore: '2025-07-01T09:00:00.000Z', finishedAt: '2025-06-02T10:00:00.000Z', requestIds: [], detail: 'Cancelled by Megan Bowen: Jane comes back.', cancelled: { at: '2025-06-02T10:00:00.000Z', by: PEOPLE.megan, reason: 'Jane comes back.' } },
    ],
    nextFollowUpAt: '2099-01-05T09:00:00.000Z',
  });
}

/** Jane's closed case whose delegate removal was left to a person; a reminder went out, the deletion was skipped. */
export function caseWithManualFollowUp(app: RunningApp, targetId: string = SEED_IDS.jane): OffboardingCase {
  return seededCase(app, targetId, {
    state: 'completed',
    steps: [{ action: 'blockSignIn', status: 'succeeded', requestIds: ['r-1'] }, { action: 'revokeSessions', status: 'succeeded', requestIds: ['r-2'] }],
    followUps: [
      { action: 'removeDelegateAccess', status: 'manual', notBefore: '2025-06-30T00:00:00.000Z', finishedAt: '2025-06-30T00:00:02.000Z', requestIds: [], detail: 'Alex has FullAccess through a group: remove it there.' },
      { action: 'reviewReminder', status: 'succeeded', notBefore: '2025-07-01T09:00:00.000Z', finishedAt: '2025-07-01T09:00:01.000Z', requestIds: [], detail: 'Reminded IT in its channel to review the offboarding.' },
      { action: 'deleteAccount', status: 'skipped', notBefore: '2025-09-01T09:00:00.000Z', finishedAt: '2025-09-01T09:00:01.000Z', requestIds: [], detail: 'Policy keeps accounts.' },
    ],
    nextFollowUpAt: null,
  });
}
