import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { eachObject, readAll } from './graph-pages';
import { isMissing, successorFor, type Successor } from './hand-over-person';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

interface OwnedObject {
  '@odata.type': string;
  id: string;
  displayName: string;
  groupTypes?: string[];
  mailEnabled?: boolean;
}

interface Owner {
  id: string;
}

/** A group the user is the only owner of, and who takes it over; `displayName` is what the preview lists. */
interface OrphanedGroup {
  id: string;
  displayName: string;
  newOwner: Successor;
}

/** Distribution lists and mail-enabled security groups have their owners (ManagedBy) in Exchange. */
const inExchange = (g: OwnedObject) => !!g.mailEnabled && !g.groupTypes?.includes('Unified');

const readOwners = (ctx: ActionContext, groupId: string) => readAll<Owner>(ctx.graph, `/groups/${guidSegment(groupId)}/owners?$select=id`);

/** The groups whose only owner is the user: once the account is gone nobody could manage them. */
async function soleOwned(ctx: ActionContext): Promise<OwnedObject[]> {
  const owned = (await readAll<OwnedObject>(ctx.graph, `/users/${guidSegment(ctx.target.id)}/ownedObjects?$select=id,displayName,groupTypes,mailEnabled`)).filter(
    (o) => o['@odata.type'] === '#microsoft.graph.group',
  );
  const sole: OwnedObject[] = [];
  for (const g of owned) {
    const others = (await readOwners(ctx, g.id)).filter((o) => o.id.toLowerCase() !== ctx.target.id.toLowerCase());
    if (others.length === 0) sole.push(g);
  }
  return sole;
}

const alreadyOwner = (err: unknown) => err instanceof M365Error && err.status === 400 && /already exist/i.test(err.message);

/**
 * Makes the chosen person (the manager unless the request names someone) an owner of every group
 * and team the user is the only owner of, so they stay manageable. Runs before the memberships are
 * removed. The user stays listed as a co-owner: the account is blocked, and the evidence keeps the
 * history. Distribution lists are left to a person (Exchange's ManagedBy).
 * Permission Group.ReadWrite.All.
 */
export const transferGroupOwnership: OffboardingAction<OrphanedGroup> = {
  name: 'transferGroupOwnership',
  async plan(ctx): Promise<PlannedChange<OrphanedGroup>> {
    const sole = await soleOwned(ctx);
    if (sole.length === 0) return { changes: [], found: 'the user is not the only owner of any group.' };
    const successor = await successorFor(ctx, ctx.request.handOver?.groupsTo);
    if (isMissing(successor)) {
      return { changes: [], found: `sole owner of ${sole.length} group(s).`, manual: sole.map((g) => `Sole owner of '${g.displayName}': ${successor.missing} Add an owner in Entra or Teams.`) };
    }
    const manual = sole.filter(inExchange).map((g) => `Sole owner of '${g.displayName}', a distribution list: make ${successor.userPrincipalName} its owner in Exchange (Set-DistributionGroup -ManagedBy).`);
    const changes = sole.filter((g) => !inExchange(g)).map((g) => ({ id: g.id, displayName: g.displayName, newOwner: successor }));
    return { changes, manual, found: `sole owner of ${sole.map((g) => `'${g.displayName}'`).join(', ')}; ${successor.displayName} takes over.` };
  },
  async apply(ctx, plan) {
    const refused = new Set<string>();
    const failures = await eachObject(
      plan.changes,
      async (g) => {
        try {
          await ctx.graph.send('POST', `/groups/${guidSegment(g.id)}/owners/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${guidSegment(g.newOwner.id)}` });
        } catch (err) {
          // Already an owner is the wanted state (a resumed run).
          if (!alreadyOwner(err)) throw err;
        }
      },
      (g, err) => {
        refused.add(g.id);
        return `Could not make ${g.newOwner.displayName} an owner of '${g.displayName}': ${describeError(err)}`;
      },
    );
    const taken = plan.changes.filter((g) => !refused.has(g.id)).map((g) => `'${g.displayName}'`);
    return { detail: taken.length > 0 ? `Made ${plan.changes[0].newOwner.displayName} an owner of ${taken.join(', ')}.` : '', failures };
  },
  async verify(ctx, plan) {
    const missing: string[] = [];
    for (const g of plan.changes) {
      const owners = await readOwners(ctx, g.id);
      if (!owners.some((o) => o.id.toLowerCase() === g.newOwner.id.toLowerCase())) missing.push(g.displayName);
    }
    return missing.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Graph shows no new owner for: ${missing.join(', ')}.` };
  },
};
