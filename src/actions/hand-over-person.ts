/** Who takes over something the departing user owned: the person named on the request, or the manager. */
import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import type { ActionContext } from './offboarding-action';

export interface Successor {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
}

export type SuccessorLookup = Successor | { missing: string };

const SELECT = '$select=id,displayName,userPrincipalName,mail';

/**
 * The named person (a UPN or address typed on the card, so it is escaped into the path), or the
 * target's manager when nobody is named. `missing` says in words why there is nobody.
 */
export async function successorFor(ctx: ActionContext, named: string | undefined): Promise<SuccessorLookup> {
  if (named === undefined && !ctx.target.manager) return { missing: 'The user has no manager and the request names nobody.' };
  const path = named === undefined ? `/users/${guidSegment(ctx.target.manager!.id)}?${SELECT}` : `/users/${encodeURIComponent(named)}?${SELECT}`;
  try {
    return (await ctx.graph.get<Successor>(path)).body;
  } catch (err) {
    if (err instanceof M365Error && err.status === 404) return { missing: `${named ?? ctx.target.manager!.displayName} is not a user in this tenant.` };
    throw err;
  }
}

export const isMissing = (s: SuccessorLookup): s is { missing: string } => 'missing' in s;
