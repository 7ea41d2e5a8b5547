/** Inbox rules (Outlook): list and delete. A user without a mailbox gets Outlook's 404. */
import type { SimUser } from '../state';
import type { SimMessageRule } from '../workplace';
import { findUser } from './directory-objects';
import { GraphHttpError } from './errors';
import { plainList, sameId } from './plain-list';
import { noContent } from './request';
import type { Route } from './router';

/** Outlook's 404 for a user without a mailbox, as every mailbox route (rules, calendars) answers it. */
export function withMailbox(user: SimUser): SimUser {
  if (!user.mail) {
    throw new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
  return user;
}

function onlyInbox(folder: string): void {
  if (folder.toLowerCase() !== 'inbox') throw new GraphHttpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
}

const represent = (r: SimMessageRule) => ({
  id: r.id,
  displayName: r.displayName,
  sequence: r.sequence,
  isEnabled: r.isEnabled,
  hasError: false,
  isReadOnly: false,
  conditions: r.conditions,
  actions: r.actions,
});

export const mailboxRuleRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/mailFolders/:folder/messageRules',
    handle: (req, params, state) => {
      const user = withMailbox(findUser(state, params.id));
      onlyInbox(params.folder);
      const rules = state.messageRules.filter((r) => r.userId === user.id && !r.hidden).sort((a, b) => a.sequence - b.sequence);
      return plainList(req, `users('${user.id}')/mailFolders('inbox')/messageRules`, 'microsoft.graph.messageRule', rules.map(represent));
    },
  },
  {
    method: 'DELETE',
    pattern: 'users/:id/mailFolders/:folder/messageRules/:ruleId',
    handle: (_req, params, state) => {
      const user = withMailbox(findUser(state, params.id));
      onlyInbox(params.folder);
      const rule = state.messageRules.find((r) => r.userId === user.id && sameId(r.id, params.ruleId));
      if (!rule) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      state.messageRules = state.messageRules.filter((r) => r !== rule);
      return noContent();
    },
  },
];
