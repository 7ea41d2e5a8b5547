import type { OffboardingCase, Person } from './case';
import type { DirectoryUser } from '../m365/directory';

export interface PolicySettings {
  securityGroupId: string;
  itGroupId: string;
  hrGroupId?: string;
  protectedUserIds: string[];
}

/** Group membership, answered from the directory (Graph), never from card data. */
export interface MembershipCheck {
  isMemberOf(userId: string, groupId: string): Promise<boolean>;
}

export type PolicyAnswer = { allowed: true } | { allowed: false; reason: string };

const allow: PolicyAnswer = { allowed: true };
const deny = (reason: string): PolicyAnswer => ({ allowed: false, reason });

const same = (a: string, b: string | undefined) => !!b && a.toLowerCase() === b.toLowerCase();

/** Who may ask for this target to be offboarded: their manager, HR or IT, never themself. */
export async function mayRequest(
  requester: Person,
  target: DirectoryUser,
  settings: PolicySettings,
  groups: MembershipCheck,
): Promise<PolicyAnswer> {
  if (same(requester.id, target.id)) return deny('You cannot offboard yourself. Ask your manager or IT.');
  if (settings.protectedUserIds.some((id) => same(id, target.id))) {
    return deny(`${target.displayName} is a protected account (for example break-glass) and cannot be offboarded here.`);
  }
  if (same(requester.id, target.manager?.id)) return allow;
  if (await groups.isMemberOf(requester.id, settings.itGroupId)) return allow;
  if (settings.hrGroupId && (await groups.isMemberOf(requester.id, settings.hrGroupId))) return allow;
  return deny(`Only ${target.displayName}'s manager, HR or IT can request this offboarding.`);
}

/** Who may approve or reject: a security approver who is neither the requester nor the target. */
export async function mayDecide(
  actor: Person,
  c: OffboardingCase,
  settings: PolicySettings,
  groups: MembershipCheck,
): Promise<PolicyAnswer> {
  if (same(actor.id, c.requester.id)) {
    return deny('You requested this offboarding, so another security approver must decide.');
  }
  if (same(actor.id, c.target.id)) return deny('You cannot decide on your own offboarding.');
  if (!(await groups.isMemberOf(actor.id, settings.securityGroupId))) {
    return deny('Only members of the security approvers group can approve or reject offboardings.');
  }
  return allow;
}
