/** How Exchange finds a recipient from an -Identity value: object id, GUID, UPN, address or alias. */
import type { SimGroup, SimUser, TenantState } from '../state';
import type { SimMailbox } from './mailbox-state';
import { objectNotFound } from './exchange-errors';

const same = (a: string | null | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

export function findRecipientUser(state: TenantState, identity: string): SimUser {
  const plain = identity.replace(/^smtp:/i, '');
  for (const user of state.users.values()) {
    const mailbox = state.mailboxes.find((m) => m.userId === user.id);
    if ([user.id, user.userPrincipalName, user.mail, user.mailNickname, user.displayName, mailbox?.guid].some((v) => same(v, plain))) return user;
  }
  throw objectNotFound(identity);
}

export function findMailbox(state: TenantState, identity: string): { user: SimUser; mailbox: SimMailbox } {
  const user = findRecipientUser(state, identity);
  const mailbox = state.mailboxes.find((m) => m.userId === user.id);
  if (!mailbox) throw objectNotFound(identity);
  return { user, mailbox };
}

/** Distribution lists and mail-enabled security groups; Microsoft 365 groups are not DLs. */
export function findDistributionGroup(state: TenantState, identity: string): SimGroup {
  for (const group of state.groups.values()) {
    if (!group.mailEnabled || group.groupTypes.includes('Unified')) continue;
    if ([group.id, group.mail, group.mailNickname, group.displayName].some((v) => same(v, identity))) return group;
  }
  throw objectNotFound(identity);
}
