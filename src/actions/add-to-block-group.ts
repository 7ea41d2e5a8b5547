import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { readAll } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface BlockGroup {
  id: string;
  displayName: string;
}

const NO_BLOCK_GROUP = 'no Conditional Access block group is configured (CA_BLOCK_GROUP_ID).';

/** The configured block group, when there is one; removeGroupMemberships leaves it alone too. */
export const blockGroupOf = (ctx: ActionContext): string | undefined => (ctx.policy?.blockGroupId ? guidSegment(ctx.policy.blockGroupId) : undefined);

async function isMember(ctx: ActionContext, groupId: string): Promise<boolean> {
  const groups = await readAll<{ id: string }>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/memberOf?$select=id`);
  return groups.some((g) => g.id.toLowerCase() === groupId);
}

async function readGroup(ctx: ActionContext, groupId: string): Promise<BlockGroup> {
  try {
    return (await ctx.graph.get<BlockGroup>(`/groups/${groupId}?$select=id,displayName`)).body;
  } catch (err) {
    if (!(err instanceof M365Error && err.status === 404)) throw err;
    // A setting pointing nowhere must be fixed by a person, not read as "nothing to do".
    throw new M365Error(err.status, err.code, `The Conditional Access block group ${groupId} (CA_BLOCK_GROUP_ID) does not exist: ${err.message}`, err.requestId);
  }
}

/** Graph refuses to add a member twice; for a repeated run that refusal means the work is done. */
const alreadyMember = (err: unknown) => err instanceof M365Error && err.status === 400 && /already exist/i.test(err.message);

/**
 * Adds the user to the security group a Conditional Access policy blocks, when one is configured:
 * a second lock beside accountEnabled, which also stops sign-ins that an on-premises sync or a
 * person re-enabling the account would let through. Permission GroupMember.ReadWrite.All.
 */
export const addToBlockGroup: OffboardingAction<BlockGroup> = {
  name: 'addToBlockGroup',
  async plan(ctx) {
    const groupId = blockGroupOf(ctx);
    if (!groupId) return { changes: [], found: NO_BLOCK_GROUP, stop: { status: 'skipped', reason: NO_BLOCK_GROUP } };
    const group = await readGroup(ctx, groupId);
    return (await isMember(ctx, groupId))
      ? { changes: [], found: `already a member of '${group.displayName}', the Conditional Access block group.` }
      : { changes: [group], found: `not yet a member of '${group.displayName}', the Conditional Access block group.` };
  },
  async apply(ctx, plan) {
    const [group] = plan.changes;
    try {
      await ctx.graph.send('POST', `/groups/${guidSegment(group.id)}/members/$ref`, {
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${guidSegment(ctx.target.id)}`,
      });
    } catch (err) {
      if (!alreadyMember(err)) throw err;
    }
    return { detail: `Added to '${group.displayName}', the Conditional Access block group.`, failures: [] };
  },
  async verify(ctx, plan) {
    const [group] = plan.changes;
    return (await isMember(ctx, guidSegment(group.id)))
      ? { ok: true, detail: '(verified: member)' }
      : { ok: false, detail: `Graph accepted the change but the user is not a member of '${group.displayName}'.` };
  },
};
