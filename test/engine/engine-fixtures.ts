import assert from 'node:assert/strict';
import type { ActionName, FollowUp, OffboardingCase, PostedCard, Step, Target } from '../../src/cases/case';
import type { CaseNotifier, SignInNoticeStyle } from '../../src/cases/case-notifier';
import { randomUUID } from 'node:crypto';
import type { SimCall } from '../../src/sim/calls';
import { SEED_IDS } from '../../src/sim/seed';
import { staffId } from '../../src/sim/bulk-tenant';
import { ACTIONS } from '../../src/actions/catalogue';
import { CaseRunner } from '../../src/engine/case-runner';
import { silentLogger } from '../../src/log';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import type { CaseStore } from '../../src/store/case-store';

export class RecordingNotifier implements CaseNotifier {
  finished: OffboardingCase[] = [];
  /** The case as each card update would show it. */
  changed: OffboardingCase[] = [];
  async requestSecurityApproval(): Promise<PostedCard> {
    return { conversationId: 'security', activityId: '1' };
  }
  async caseChanged(c: OffboardingCase): Promise<void> {
    this.changed.push(c);
  }
  async stepsChanged(): Promise<void> {}
  async caseFinished(c: OffboardingCase): Promise<PostedCard> {
    this.finished.push(c);
    return { conversationId: 'it', activityId: String(this.finished.length) };
  }
  /** What the security team was told each person downloaded, by case id. */
  downloadReports: { caseId: string; report: string }[] = [];
  async reportDownloads(c: OffboardingCase, report: string): Promise<void> {
    this.downloadReports.push({ caseId: c._id, report });
  }
  /** What the security team was told of sign-ins after the block, by case id. */
  signInReports: { caseId: string; report: string; style: SignInNoticeStyle }[] = [];
  async reportSignIns(c: OffboardingCase, report: string, style: SignInNoticeStyle): Promise<void> {
    this.signInReports.push({ caseId: c._id, report, style });
  }
}

/** Also records the follow-ups that failed for good, as IT would hear of them. */
export class FailureNotifier extends RecordingNotifier {
  failedFollowUps: string[] = [];
  async followUpFailed(_c: OffboardingCase, f: FollowUp): Promise<void> {
    this.failedFollowUps.push(`${f.action}: ${f.detail}`);
  }
}

/** `who`'s case with evidence taken and sign-in blocked, approved at `at` and run to its close. */
/**
 * A case runner on the simulated tenant at `simUrl`, on the test clock, that tries a failing step
 * `maxAttempts` times; the app's token lacks the `withheld` permissions.
 */
export function followUpRunner(o: { store: CaseStore; simUrl: string; notifier: CaseNotifier; clock: TestClock; maxAttempts: number; withheld?: string[] }): CaseRunner {
  const graph = Graph.connect({ baseUrl: o.simUrl, tokens: simulatedTenantTokens(o.withheld ?? []).graph, maxRetries: 0 });
  return new CaseRunner({
    store: o.store, graph, notifier: o.notifier, actions: ACTIONS, log: silentLogger, now: o.clock.now,
    retry: { maxAttempts: o.maxAttempts, baseDelayMs: 1_000, maxDelayMs: 5_000 },
  });
}

export async function closedBlockedCase(store: CaseStore, r: CaseRunner, who: Target, at: Date): Promise<OffboardingCase> {
  const c = approvedCase(who, at);
  c.steps = (['takeEvidence', 'blockSignIn'] as const).map((action) => ({ action, status: 'pending', requestIds: [] }));
  await store.createCase(c);
  const closed = (await r.execute(c._id))!;
  assert.equal(closed.state, 'completed');
  return closed;
}

export function staffTarget(i: number): Target {
  return { id: staffId(i), displayName: `Staff Member ${i}`, userPrincipalName: `staff${i}@contoso.com` };
}

/**
 * The directory steps, in their safe order. Fixed here so these engine tests do not depend on
 * which further steps (Exchange, follow-ups) the plan gains.
 */
const DIRECTORY_STEPS: ActionName[] = [
  'takeEvidence', 'removeDirectoryRoles', 'blockSignIn', 'revokeSessions', 'resetPassword',
  'removeAuthMethods', 'deleteForwardingRules', 'removeGroupMemberships', 'revokeAppConsents', 'removeLicences',
];

export function directorySteps(): Step[] {
  return DIRECTORY_STEPS.map((action) => ({ action, status: 'pending', requestIds: [] }));
}

/** An approved case for `target`, due at `notBefore` (now by default). */
export function approvedCase(target: Target, notBefore = new Date()): OffboardingCase {
  const at = notBefore.toISOString();
  return {
    _id: randomUUID(),
    version: 1,
    state: 'approved',
    target,
    requester: { id: SEED_IDS.alex, displayName: 'Alex Wilber' },
    request: { departureType: 'voluntary', cutoff: 'now', timeZone: 'UTC' },
    notBefore: at,
    decisions: [{ by: { id: SEED_IDS.megan, displayName: 'Megan Bowen' }, decision: 'approved', at }],
    steps: directorySteps(),
    cards: {},
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The writes the tenant accepted (2xx), each as "METHOD path body", for spotting one applied twice.
 * A $batch is only the carrier of its sub-requests, which the sim logs on their own.
 */
export function appliedWrites(calls: readonly SimCall[]): string[] {
  return calls
    .filter((c) => c.method !== 'GET' && c.path !== '/v1.0/$batch' && !isExchangeRead(c) && c.status >= 200 && c.status < 300)
    .map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body ?? null)}`);
}

/** Exchange's admin API takes every cmdlet as a POST; the Get- ones only read. */
function isExchangeRead(call: SimCall): boolean {
  const name = (call.body as { CmdletInput?: { CmdletName?: unknown } } | undefined)?.CmdletInput?.CmdletName;
  return call.path.endsWith('/InvokeCommand') && typeof name === 'string' && name.startsWith('Get-');
}

/** Writes that appear more than once in `writes`. */
export function repeated(writes: readonly string[]): string[] {
  const seen = new Set<string>();
  return writes.filter((w) => (seen.has(w) ? true : (seen.add(w), false)));
}

/** A clock tests move by hand. */
export class TestClock {
  constructor(private at = Date.parse('2025-03-03T08:00:00.000Z')) {}
  now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}
