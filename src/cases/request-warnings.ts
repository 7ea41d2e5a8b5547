import type { CaseState, OffboardingCase } from './case';
import { approvalSettingsOf, type MembershipCheck, type PolicySettings } from './policy';
import type { DirectoryUser } from '../m365/directory';
import type { CaseStore } from '../store/case-store';
import type { Logger } from '../log';

/**
 * What the requester and the approvers should know about the person before anyone approves, which
 * no single step of the plan shows: that they were offboarded before (rehired and leaving again,
 * or a clean-up run), and that they could see this case's own cards (a tip-off in a hostile exit).
 * Read at request time only: an approval click reads nothing more for them.
 */
export interface WarningSources {
  store: Pick<CaseStore, 'listCasesOfTarget'>;
  groups: MembershipCheck;
  policy: PolicySettings;
  log: Logger;
}

/** A case that ran to its end: the person was offboarded, with or without exceptions left open. */
const CLOSED: readonly CaseState[] = ['completed', 'completed_with_failures'];

export async function requestWarnings(target: DirectoryUser, sources: WarningSources): Promise<string[]> {
  return [...(await tipOffRisks(target, sources)), ...(await reOffboardingNotices(target, sources))];
}

/** An earlier offboarding, and an account already blocked: a new case is allowed, but nobody should be surprised. */
export async function reOffboardingNotices(target: DirectoryUser, { store }: Pick<WarningSources, 'store'>): Promise<string[]> {
  const notices: string[] = [];
  if (target.accountEnabled === false) notices.push(`${target.displayName}'s account is already blocked from sign-in.`);
  const [last] = await store.listCasesOfTarget(target.id, CLOSED, 1);
  if (last) notices.push(`${target.displayName} was offboarded before: case ${shortCaseId(last)}, closed ${closedOn(last)}.`);
  return notices;
}

/**
 * Approval cards go to the Security channel, and Teams cannot hide one message from one member of
 * it: a person in an approvers group would see their own offboarding coming.
 */
export async function tipOffRisks(target: DirectoryUser, { groups, policy, log }: Omit<WarningSources, 'store'>): Promise<string[]> {
  const approverGroups = [
    { id: policy.securityGroupId, name: 'the security approvers group' },
    { id: approvalSettingsOf(policy).globalAdminApproverGroupId, name: 'the Global Administrator approvers group' },
  ].filter((g): g is { id: string; name: string } => !!g.id);
  const seats: string[] = [];
  for (const group of approverGroups) {
    try {
      if (await groups.isMemberOf(target.id, group.id)) seats.push(group.name);
    } catch (err) {
      // Not knowing is itself worth saying: the requester can check before a hostile exit.
      log.warn('tip_off.check_failed', { targetId: target.id, groupId: group.id, error: (err as Error).message });
      return [`Could not check whether ${target.displayName} is in ${group.name}, who see this case's cards in the Security channel. For a hostile exit, check that first.`];
    }
  }
  if (seats.length === 0) return [];
  const them = seats.length > 1 ? 'those groups' : 'the group';
  return [
    `${target.displayName} is in ${seats.join(' and ')}, so they can see this case's cards in the Security channel. For a hostile exit, take them out of ${them} and the team first.`,
  ];
}

/** The first part of the case id: enough to find the case on the dashboard, whose search matches any part of it. */
const shortCaseId = (c: OffboardingCase) => c._id.slice(0, 8);

/** The day the last step finished (the case closed then); the last update for a case without step times. */
function closedOn(c: OffboardingCase): string {
  const finished = c.steps.map((s) => s.finishedAt).filter((at): at is string => !!at).sort();
  return (finished.at(-1) ?? c.updatedAt).slice(0, 10);
}
