import type { ApprovalSlot, DepartureType, OffboardingCase, Person, RequiredApprovals } from './case';
import type { DirectoryUser } from '../m365/directory';

/** Entra's built-in Global Administrator role (its template id, which is also its definition id). */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = '62e90394-69f5-4237-9190-012177145e10';

/** How approvals work; loaded from the environment and validated at start (src/config.ts). */
export interface ApprovalSettings {
  /** Hours after the request at which approvers are reminded and the escalation group told. */
  reminderHours: number;
  /** Hours after the request at which an undecided case is cancelled as expired. */
  expiryHours: number;
  /** Directory role ids whose holder needs two different security approvers. */
  privilegedRoleIds: string[];
  escalationGroupId?: string;
  /** Members give the extra approval a Global Administrator's offboarding needs; unset: refused. */
  globalAdminApproverGroupId?: string;
}

export interface PolicySettings {
  securityGroupId: string;
  itGroupId: string;
  hrGroupId?: string;
  protectedUserIds: string[];
  /** UPNs or mail addresses (exact), or app ids (anywhere in the UPN or mail), never offboarded. */
  protectedAccountNames?: string[];
  /** Absent only in older callers; the defaults then ask one security approver and nothing else. */
  approval?: ApprovalSettings;
}

export const DEFAULT_APPROVAL_SETTINGS: ApprovalSettings = {
  reminderHours: 24,
  expiryHours: 72,
  privilegedRoleIds: [GLOBAL_ADMINISTRATOR_ROLE_ID],
};

export const approvalSettingsOf = (settings: PolicySettings): ApprovalSettings => settings.approval ?? DEFAULT_APPROVAL_SETTINGS;

/** Group membership, answered from the directory (Graph), never from card data. */
export interface MembershipCheck {
  isMemberOf(userId: string, groupId: string): Promise<boolean>;
}

/**
 * Membership and account status, both read live: Teams keeps a token working for a while after an
 * account is disabled (someone offboarded an hour ago), so a card click or a command alone does
 * not prove the person may still act.
 */
export interface DirectoryCheck extends MembershipCheck {
  /** false for a disabled or deleted account. */
  isAccountEnabled(userId: string): Promise<boolean>;
}

export const DISABLED_REQUESTER = 'Your account is disabled in the directory, so you cannot request offboardings.';
export const DISABLED_APPROVER = 'Your account is disabled in the directory, so you cannot approve or reject offboardings.';
export const DISABLED_OPERATOR = 'Your account is disabled in the directory, so you cannot change offboardings.';
export const DISABLED_VIEWER = 'Your account is disabled in the directory, so you cannot see offboarding cases.';

/**
 * A policy read made beside the account-status read, so the check adds no round trip. A disabled
 * or deleted account is refused as such even when the policy read failed: Graph answers 404 for
 * the memberships of a deleted account.
 */
export async function withAccountStatus<T>(policyRead: Promise<T>, enabled: Promise<boolean>): Promise<{ enabled: false } | { enabled: true; answer: T }> {
  const [answer, account] = await Promise.allSettled([policyRead, enabled]);
  if (account.status === 'rejected') throw account.reason;
  if (!account.value) return { enabled: false };
  if (answer.status === 'rejected') throw answer.reason;
  return { enabled: true, answer: answer.value };
}

export type PolicyAnswer = { allowed: true } | { allowed: false; reason: string };

const allow: PolicyAnswer = { allowed: true };
const deny = (reason: string): PolicyAnswer => ({ allowed: false, reason });

export const same = (a: string, b: string | undefined) => !!b && a.toLowerCase() === b.toLowerCase();

/** Who may ask for this target to be offboarded: their manager, HR or IT, never themself, and only with an enabled account. */
export async function mayRequest(
  requester: Person,
  target: DirectoryUser,
  settings: PolicySettings,
  directory: DirectoryCheck,
): Promise<PolicyAnswer> {
  if (same(requester.id, target.id)) return deny('You cannot offboard yourself. Ask your manager or IT.');
  if (isProtectedAccount(target, settings)) {
    return deny(`${target.displayName} is a protected account (for example break-glass or the app's own account) and cannot be offboarded here.`);
  }
  const read = await withAccountStatus(mayAskFor(requester, target, settings, directory), directory.isAccountEnabled(requester.id));
  if (!read.enabled) return deny(DISABLED_REQUESTER);
  return read.answer ? allow : deny(`Only ${target.displayName}'s manager, HR or IT can request this offboarding.`);
}

async function mayAskFor(requester: Person, target: DirectoryUser, settings: PolicySettings, groups: MembershipCheck): Promise<boolean> {
  if (same(requester.id, target.manager?.id)) return true;
  if (await groups.isMemberOf(requester.id, settings.itGroupId)) return true;
  return !!settings.hrGroupId && (await groups.isMemberOf(requester.id, settings.hrGroupId));
}

/** Configured break-glass accounts and the app's own identities. */
export function isProtectedAccount(target: Pick<DirectoryUser, 'id' | 'userPrincipalName' | 'mail'>, settings: PolicySettings): boolean {
  if (settings.protectedUserIds.some((id) => same(id, target.id))) return true;
  const addresses = [target.userPrincipalName, target.mail].filter((a): a is string => !!a).map((a) => a.toLowerCase());
  return (settings.protectedAccountNames ?? []).some((raw) => {
    const name = raw.toLowerCase();
    // An address must match exactly; an app id anywhere in the address marks an app's own account.
    return name.includes('@') ? addresses.includes(name) : addresses.some((a) => a.includes(name));
  });
}

/**
 * The approvals a case needs, fixed when it is requested (the stored case is then the rule):
 * the manager when someone else asked, one security approver, two for a high-risk exit or a holder
 * of a privileged role, and an extra Global Administrator approver for a Global Administrator.
 */
export function requiredApprovals(
  requester: Person,
  target: Pick<DirectoryUser, 'manager'>,
  departureType: DepartureType,
  roleIds: readonly string[],
  settings: PolicySettings,
): { ok: true; required: RequiredApprovals } | { ok: false; reason: string } {
  const approval = approvalSettingsOf(settings);
  const holds = (id: string) => roleIds.some((r) => same(r, id));
  const globalAdmin = holds(GLOBAL_ADMINISTRATOR_ROLE_ID);
  if (globalAdmin && !approval.globalAdminApproverGroupId) {
    return { ok: false, reason: 'This person is a Global Administrator. No Global Administrator approver group is configured, so they cannot be offboarded through the bot.' };
  }
  const privileged = roleIds.filter((r) => approval.privilegedRoleIds.some((p) => same(p, r)));
  const why: string[] = [];
  if (departureType === 'high-risk') why.push('high-risk departure');
  if (privileged.length > 0) why.push('holds, or can activate, a privileged directory role');
  const manager = target.manager && !same(requester.id, target.manager.id) ? target.manager : undefined;
  return {
    ok: true,
    required: {
      manager,
      security: why.length > 0 ? 2 : 1,
      globalAdmin,
      why: globalAdmin ? [...why, 'Global Administrator'] : why,
    },
  };
}

export const requiredOf = (c: OffboardingCase): RequiredApprovals => c.requiredApprovals ?? { security: 1, globalAdmin: false, why: [] };

/** What is still missing before the case may run; empty when it may. */
export function missingApprovals(c: OffboardingCase): ApprovalSlot[] {
  const required = requiredOf(c);
  const given = c.approvals ?? { security: [] };
  const missing: ApprovalSlot[] = [];
  if (required.manager && !given.manager) missing.push('manager');
  for (let i = given.security.length; i < required.security; i++) missing.push('security');
  if (required.globalAdmin && !given.globalAdmin) missing.push('globalAdmin');
  return missing;
}

/** Everyone who already approved this case, in any role: nobody approves twice. */
export function approversOf(c: OffboardingCase): Person[] {
  const given = c.approvals ?? { security: [] };
  return [given.manager, ...given.security, given.globalAdmin].filter((d) => d !== undefined).map((d) => d.by);
}

/**
 * Which approval this person may give now, decided from the stored case and live group
 * membership (a member removed since the card was posted is refused). The requester and the
 * target never decide; nobody fills two slots.
 */
export async function slotFor(
  actor: Person,
  c: OffboardingCase,
  settings: PolicySettings,
  groups: MembershipCheck,
): Promise<{ allowed: true; slot: ApprovalSlot } | { allowed: false; reason: string }> {
  if (same(actor.id, c.requester.id)) {
    return { allowed: false, reason: 'You requested this offboarding, so another security approver must decide.' };
  }
  if (same(actor.id, c.target.id)) return { allowed: false, reason: 'You cannot decide on your own offboarding.' };
  if (approversOf(c).some((p) => same(p.id, actor.id))) {
    return { allowed: false, reason: 'You already approved this offboarding; a different approver must give the remaining approval.' };
  }
  const missing = missingApprovals(c);
  const required = requiredOf(c);
  if (missing.includes('manager') && same(actor.id, required.manager?.id)) return { allowed: true, slot: 'manager' };
  if (missing.includes('security') && (await groups.isMemberOf(actor.id, settings.securityGroupId))) return { allowed: true, slot: 'security' };
  const gaGroup = approvalSettingsOf(settings).globalAdminApproverGroupId;
  if (missing.includes('globalAdmin') && gaGroup && (await groups.isMemberOf(actor.id, gaGroup))) return { allowed: true, slot: 'globalAdmin' };
  if (missing.length === 1 && missing[0] === 'manager') {
    return { allowed: false, reason: `Only ${required.manager?.displayName ?? 'the manager'} can give the approval still missing (the manager's).` };
  }
  if (missing.length === 1 && missing[0] === 'globalAdmin') {
    return { allowed: false, reason: 'Only a member of the Global Administrator approvers group can give the approval still missing.' };
  }
  return { allowed: false, reason: 'Only members of the security approvers group can approve or reject offboardings.' };
}

/** Who may reject: anyone whose approval the case asks for (the manager, security, GA approvers). */
export async function mayReject(actor: Person, c: OffboardingCase, settings: PolicySettings, groups: MembershipCheck): Promise<PolicyAnswer> {
  const slot = await slotFor(actor, c, settings, groups);
  if (slot.allowed) return allow;
  if (same(actor.id, c.requester.id) || same(actor.id, c.target.id)) return deny(slot.reason);
  // Someone who already approved may still stop the case: rejecting is the safe direction.
  if (approversOf(c).some((p) => same(p.id, actor.id))) return allow;
  if (same(actor.id, requiredOf(c).manager?.id)) return allow;
  if (await groups.isMemberOf(actor.id, settings.securityGroupId)) return allow;
  return deny(slot.reason);
}
