/**
 * Set-DistributionGroup -ManagedBy: the owners of a distribution list or mail-enabled security
 * group, which Graph shows (as /groups/{g}/owners) but cannot change. The sim keeps them in the
 * group's ownerIds, so Graph's view follows at once.
 */
import type { TenantState } from '../state';
import { ExchangeHttpError, invalidValue } from './exchange-errors';
import { findDistributionGroup, findMailbox, findRecipientUser } from './recipients';
import { str, type Cmdlet, type Params } from './cmdlet';

const list = (value: unknown): string[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * The owners ManagedBy asks for: a plain list replaces them all; @{Add=…; Remove=…} changes only
 * those. Over REST a hashtable binds only when tagged '#Exchange.GenericHashTable' (as CIPP sends
 * it); an untagged object fails to bind, as it does in Exchange Online.
 */
function ownersAfter(state: TenantState, current: string[], value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return list(value).map((identity) => findMailbox(state, identity).user.id);
  }
  const edit = value as Record<string, unknown>;
  if (edit['@odata.type'] !== '#Exchange.GenericHashTable') throw invalidValue('ManagedBy', JSON.stringify(value), 'Microsoft.Exchange.Data.MultiValuedProperty');
  // An owner must be a mailbox or mail user (the docs' -ManagedBy); removing one that is not listed changes nothing.
  const added = list(edit.Add ?? edit.add).map((identity) => findMailbox(state, identity).user.id);
  const removed = new Set(list(edit.Remove ?? edit.remove).map((identity) => findRecipientUser(state, identity).id));
  return [...new Set([...current, ...added])].filter((id) => !removed.has(id));
}

const setDistributionGroup: Cmdlet = {
  parameters: ['Identity', 'ManagedBy', 'BypassSecurityGroupManagerCheck'],
  required: ['Identity'],
  run: (p: Params, state) => {
    const group = findDistributionGroup(state, str(p, 'Identity'));
    if (p.ManagedBy === undefined) return [];
    const owners = ownersAfter(state, group.ownerIds, p.ManagedBy);
    // Documented rule (Set-DistributionGroup, -ManagedBy): "A group must have at least one owner."
    // Exchange's exact wording of this refusal is not documented; this text is the sim's own.
    if (owners.length === 0) {
      throw new ExchangeHttpError(400, 'Microsoft.Exchange.Management.Tasks.RecipientTaskException', `The group "${group.displayName}" must have at least one owner.`);
    }
    group.ownerIds = owners;
    return [];
  },
};

export const DISTRIBUTION_GROUP_OWNER_CMDLETS: Record<string, Cmdlet> = {
  'Set-DistributionGroup': setDistributionGroup,
};
