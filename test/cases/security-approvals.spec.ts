import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyChain } from '../../src/audit/audit-chain';
import type { OffboardingCase, Person, RequiredApprovals } from '../../src/cases/case';
import type { CaseNotifier } from '../../src/cases/case-notifier';
import { AnswersFirst } from '../../src/answers-first';
import { SecurityApprovals } from '../../src/cases/security-approvals';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { newCase } from '../store/case-fixtures';

const policy = loadConfig({}).policy;
const SECURITY = policy.securityGroupId;
const GA_APPROVERS = policy.approval!.globalAdminApproverGroupId!;
const person = (n: number, displayName: string): Person => ({ id: `00000000-0000-0000-0000-0000000000${n}`, displayName });
const alex = person(20, 'Alex Wilber');
const megan = person(21, 'Megan Bowen');
const adele = person(22, 'Adele Vance');
const isaiah = person(23, 'Isaiah Langer');
const patti = person(24, 'Patti Fernandez');
const diego = person(26, 'Diego Siciliani');

const recordingNotifier = (changed: OffboardingCase[]): CaseNotifier => ({
  requestSecurityApproval: async () => ({ conversationId: 's', activityId: '1' }),
  caseChanged: async (c) => void changed.push(c),
  stepsChanged: async () => {},
  caseFinished: async () => ({ conversationId: 'i', activityId: '2' }),
});

describe('approvals: manager, two different security approvers, Global Administrator approver', () => {
  let dir: string;
  let store: EmbeddedCaseStore;
  let members: Map<string, Set<string>>;
  let approvedCases: OffboardingCase[];
  let changed: OffboardingCase[];
  let warnings: { event: string; fields?: Record<string, unknown> }[];
  let now: Date;
  let approvals: SecurityApprovals;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'approvals-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    members = new Map([
      [SECURITY, new Set([megan.id, adele.id, diego.id])],
      [GA_APPROVERS, new Set([isaiah.id, patti.id])],
    ]);
    approvedCases = [];
    changed = [];
    warnings = [];
    now = new Date('2026-11-25T10:00:00Z');
    approvals = new SecurityApprovals({
      store,
      notifier: recordingNotifier(changed),
      // Asked live on every click, so a member removed since the card was posted is refused.
      groups: { isMemberOf: async (userId, groupId) => members.get(groupId)?.has(userId) ?? false, isAccountEnabled: async () => true },
      policy,
      log: { ...silentLogger, warn: (event, fields) => void warnings.push({ event, fields }) },
      onApproved: (c) => approvedCases.push(c),
      now: () => now,
    });
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function stored(required: RequiredApprovals, overrides: Partial<OffboardingCase> = {}): Promise<OffboardingCase> {
    const c = newCase({ version: 1, requester: isaiah, target: { id: '00000000-0000-0000-0000-000000000030', displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', manager: alex }, requiredApprovals: required, approvals: { security: [] }, ...overrides });
    await store.createCase(c);
    return c;
  }
  const approve = (actor: Person, c: OffboardingCase, version: unknown = c.version) => approvals.decide(actor, { caseId: c._id, version, decision: 'approved' });
  const events = async (c: OffboardingCase) => (await store.listAudit(c._id)).map((e) => e.event);

  it('edits the other copies of the card only once the clicks waiting for an answer have it', async () => {
    const gate = new AnswersFirst(10_000);
    approvals = new SecurityApprovals({
      store,
      notifier: recordingNotifier(changed),
      groups: { isMemberOf: async (userId, groupId) => members.get(groupId)?.has(userId) ?? false, isAccountEnabled: async () => true },
      policy,
      log: silentLogger,
      onApproved: (c) => approvedCases.push(c),
      answersWaiting: () => gate.quiet(),
      now: () => now,
    });
    const c = await stored({ security: 1, globalAdmin: false, why: [] });
    let answerOtherClick!: () => void;
    const otherClick = gate.answer(() => new Promise<void>((r) => (answerOtherClick = r)));
    const decided = await gate.answer(() => approve(megan, c));
    assert.equal(decided.kind, 'decided');
    assert.equal(approvedCases.length, 1, 'execution is not held back');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(changed.length, 0, 'no card copy edited while another click waits for its answer');
    answerOtherClick();
    await otherClick;
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(changed.map((x) => x.state), ['approved']);
  });

  it('a privileged or high-risk case needs two different security approvers before it may run', async () => {
    const c = await stored({ security: 2, globalAdmin: false, why: ['high-risk departure'] });
    const first = await approve(megan, c);
    assert.equal(first.kind, 'decided');
    assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval', 'one approval is not enough');
    assert.equal(approvedCases.length, 0);

    const again = await approve(megan, c, c.version + 1);
    assert.equal(again.kind, 'unchanged');
    assert.match(again.kind === 'unchanged' ? again.message : '', /already approved.*different approver/i);

    const second = await approve(adele, c, c.version + 1);
    assert.equal(second.kind, 'decided');
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'approved');
    assert.deepEqual(done.approvals!.security.map((d) => d.by.displayName), ['Megan Bowen', 'Adele Vance']);
    assert.equal(approvedCases.length, 1, 'execution starts once, after the last approval');
    assert.deepEqual(await events(c), ['case.approval_recorded', 'approval.denied', 'case.approved']);
  });

  it('two approvers clicking at the same moment both count, once each; a double click counts once', async () => {
    const c = await stored({ security: 2, globalAdmin: false, why: ['holds a privileged directory role'] });
    const results = await Promise.all([approve(megan, c), approve(megan, c), approve(adele, c)]);
    assert.equal(results.filter((r) => r.kind === 'decided').length, 2);
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'approved');
    assert.deepEqual(done.approvals!.security.map((d) => d.by.id).sort(), [megan.id, adele.id].sort());
    assert.equal(done.decisions.length, 2);
    assert.equal(approvedCases.length, 1);
  });

  it('when IT requested, the manager must approve as well, and a security approver cannot stand in for them', async () => {
    const c = await stored({ manager: alex, security: 1, globalAdmin: false, why: [] });
    assert.equal((await approve(megan, c)).kind, 'decided');
    assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    const standIn = await approve(adele, c);
    assert.match(standIn.kind === 'unchanged' ? standIn.message : '', /Only Alex Wilber can give the approval still missing/);
    assert.equal((await approve(alex, c)).kind, 'decided');
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'approved');
    assert.equal(done.approvals!.manager!.by.id, alex.id);
    assert.equal(done.approvals!.manager!.as, 'manager');
  });

  it('the manager may reject with a reason, which ends the case and frees the target', async () => {
    const c = await stored({ manager: alex, security: 1, globalAdmin: false, why: [] });
    const rejected = await approvals.decide(alex, { caseId: c._id, version: c.version, decision: 'rejected', reason: 'She is staying' });
    assert.equal(rejected.kind, 'decided');
    assert.equal((await store.getCase(c._id))!.state, 'rejected');
    assert.equal(await store.findOpenCaseFor(c.target.id), null);
  });

  it('a Global Administrator needs an approver from the configured group on top of two security approvers', async () => {
    const c = await stored({ security: 2, globalAdmin: true, why: ['Global Administrator'] }, { requester: alex, target: { id: '00000000-0000-0000-0000-000000000036', displayName: 'Tenant Admin', userPrincipalName: 'admin@contoso.com' } });
    await approve(megan, c);
    await approve(adele, c);
    assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    const third = await approve(diego, c);
    assert.match(third.kind === 'unchanged' ? third.message : '', /Global Administrator approvers group/);
    assert.equal((await approve(patti, c)).kind, 'decided');
    assert.equal((await store.getCase(c._id))!.state, 'approved');
  });

  it('nobody approves their own request or their own offboarding', async () => {
    const c = await stored({ security: 1, globalAdmin: false, why: [] }, { requester: megan });
    const own = await approve(megan, c);
    assert.match(own.kind === 'unchanged' ? own.message : '', /You requested this offboarding/);
    const target = await stored({ security: 1, globalAdmin: false, why: [] }, { target: { ...megan, userPrincipalName: 'meganb@contoso.com' } });
    const self = await approve(megan, target);
    assert.match(self.kind === 'unchanged' ? self.message : '', /your own offboarding/);
    assert.equal((await store.getCase(c._id))!.decisions.length, 0);
  });

  it('a member removed from the group after the card was posted is refused, and it is audited', async () => {
    const c = await stored({ security: 1, globalAdmin: false, why: [] });
    members.get(SECURITY)!.delete(megan.id);
    const late = await approve(megan, c);
    assert.match(late.kind === 'unchanged' ? late.message : '', /Only members of the security approvers group/);
    assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    assert.deepEqual(await events(c), ['approval.denied']);
  });

  it('refuses a version the bot never rendered (tampered) and audits it', async () => {
    const c = await stored({ security: 1, globalAdmin: false, why: [] });
    for (const version of ['abc', 999, -1, 1.5, { $gt: 0 }, null]) {
      const answer = await approve(megan, c, version);
      assert.equal(answer.kind, 'unchanged', `version ${JSON.stringify(version)}`);
      assert.match(answer.kind === 'unchanged' ? answer.message : '', /not sent by the Offboarding bot/);
    }
    assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    assert.equal((await events(c)).filter((e) => e === 'approval.denied').length, 5, 'the sixth in ten minutes is only logged (see the refusal cap below)');
    assert.equal((await approve(megan, c, String(c.version))).kind, 'decided', 'the version as Teams sends it back (a string) is fine');
  });

  it('audits the first five refusals per person, case and reason in ten minutes, then only logs and still answers; audits again after the window', async () => {
    const c = await stored({ security: 1, globalAdmin: false, why: [] });
    const replay = () => approve(megan, c, 'forged');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await replay());
    for (const answer of answers) assert.match(answer.kind === 'unchanged' ? answer.message : '', /not sent by the Offboarding bot/, 'every replay gets the same refusal');
    assert.deepEqual(await events(c), Array(5).fill('approval.denied'), 'the sixth is not appended to the case trail');
    assert.deepEqual(warnings.filter((w) => w.event === 'approval.denied_unaudited').map((w) => [w.fields?.caseId, w.fields?.actorId]), [[c._id, megan.id]], 'but it is logged');

    const other = await approve(adele, c, 'forged');
    assert.equal(other.kind, 'unchanged');
    assert.equal((await events(c)).length, 6, "another person's refusal is still audited");
    members.get(SECURITY)!.delete(megan.id);
    const removed = await approve(megan, c);
    assert.match(removed.kind === 'unchanged' ? removed.message : '', /Only members of the security approvers group/);
    assert.equal((await events(c)).length, 7, 'and so is another reason for the same person: the replays did not use up its budget');
    members.get(SECURITY)!.add(megan.id);

    now = new Date(now.getTime() + 10 * 60_000);
    await replay();
    assert.equal((await events(c)).filter((e) => e === 'approval.denied').length, 8, 'audited again once the window has passed');
    assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    assert.deepEqual(verifyChain(await store.listAudit(c._id)), [], 'the trail stays one unbroken chain');
  });

  it('caps refusals per case: a sixth refusal on another case is still audited', async () => {
    const first = await stored({ security: 1, globalAdmin: false, why: [] });
    for (let i = 0; i < 6; i++) await approve(megan, first, 'forged');
    const second = await stored({ security: 1, globalAdmin: false, why: [] }, { target: { id: '00000000-0000-0000-0000-000000000032', displayName: 'Daniel Brown', userPrincipalName: 'danielb@contoso.com', manager: alex } });
    await approve(megan, second, 'forged');
    assert.deepEqual(await events(second), ['approval.denied']);
  });
});
