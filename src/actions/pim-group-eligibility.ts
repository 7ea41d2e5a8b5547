/**
 * PIM for Groups eligibilities: a user eligible for membership or ownership of a group can make
 * themselves a member (or owner) at any moment, and with it take the group's access, including the
 * directory roles of a role-assignable group. Eligibility is not membership, so removing the
 * user's memberships leaves it. An active PIM membership is an ordinary one in /members, which the
 * membership step removes (Graph documents DELETE members/$ref for it).
 * Permission PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup.
 */
import { M365Error } from '../m365/m365-error';
import { guidSegment, odataString } from '../m365/odata';
import { unlessTenantLacksPim } from '../m365/pim-licence';
import { readAll } from './graph-pages';
import type { ActionContext } from './offboarding-action';

export interface GroupEligibility {
  id: string;
  groupId: string;
  accessId: 'member' | 'owner';
  /** 'Direct' (Graph's docs write it so; the enum is lower case) or 'Group': through a group the user is in. */
  memberType?: string | null;
  group?: { displayName?: string } | null;
}

const PERMISSION = 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup';

/**
 * The permission is new to the app; a tenant that has not granted it yet gets Graph's refusal with
 * what to grant, rather than a bare 403. Other PIM steps name their own permission.
 */
export function withPermissionHint(err: unknown, permission = PERMISSION, what = 'PIM for Groups'): unknown {
  if (!(err instanceof M365Error) || err.status !== 403) return err;
  return new M365Error(err.status, err.code, `${err.message} The app needs the ${permission} permission (${what}).`, err.requestId);
}

/**
 * Graph lists these only scoped to a principal (or a group); the group comes along for its name.
 * null when the tenant has no PIM (no Entra ID P2 licence), so none can exist.
 */
export async function readGroupEligibilities({ graph, target }: ActionContext): Promise<GroupEligibility[] | null> {
  const filter = encodeURIComponent(`principalId eq ${odataString(guidSegment(target.id))}`);
  try {
    return await unlessTenantLacksPim(readAll<GroupEligibility>(graph, `/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=${filter}&$expand=group`));
  } catch (err) {
    throw withPermissionHint(err);
  }
}

export const groupAccessName = (e: GroupEligibility) =>
  `${e.accessId === 'owner' ? 'ownership' : 'membership'} of ${e.group?.displayName ? `'${e.group.displayName}'` : `group ${e.groupId}`}`;

export async function removeGroupEligibility(ctx: ActionContext, e: GroupEligibility, justification: string): Promise<void> {
  await ctx.graph.send('POST', '/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests', {
    accessId: e.accessId,
    principalId: guidSegment(ctx.target.id),
    groupId: guidSegment(e.groupId),
    action: 'adminRemove',
    justification,
  });
}
