/** Mailbox cmdlets: Get/Set-Mailbox, its statistics, FullAccess permissions and the auto-reply. */
import type { SimUser, TenantState } from '../state';
import { invalidValue } from './exchange-errors';
import type { SimMailbox } from './mailbox-state';
import { getMailboxStatistics } from './mailbox-statistics';
import { findMailbox, findRecipientUser } from './recipients';
import { bool, str, type Cmdlet } from './cmdlet';

function showMailbox(user: SimUser, m: SimMailbox) {
  return {
    Identity: user.displayName,
    DisplayName: user.displayName,
    Alias: user.mailNickname,
    Guid: m.guid,
    ExternalDirectoryObjectId: user.id,
    UserPrincipalName: user.userPrincipalName,
    PrimarySmtpAddress: user.mail,
    RecipientTypeDetails: m.recipientTypeDetails,
    HiddenFromAddressListsEnabled: m.hiddenFromAddressListsEnabled,
    ForwardingSmtpAddress: m.forwardingSmtpAddress,
    ForwardingAddress: m.forwardingAddress,
    DeliverToMailboxAndForward: m.deliverToMailboxAndForward,
    LitigationHoldEnabled: m.litigationHoldEnabled,
    LitigationHoldDate: m.litigationHoldDate,
    ArchiveStatus: m.archiveStatus,
    // Synced from on-premises Active Directory (Entra Connect): some attributes are mastered there.
    IsDirSynced: user.onPremisesSyncEnabled === true,
  };
}

function showPermission(owner: SimUser, delegate: string, accessRights: string[]) {
  return { Identity: owner.displayName, User: delegate, AccessRights: accessRights, IsInherited: false, Deny: false, InheritanceType: 'All' };
}

const userLabel = (state: TenantState, id: string) => state.users.get(id)?.userPrincipalName ?? id;

const getMailbox: Cmdlet = {
  parameters: ['Identity', 'ResultSize', 'RecipientTypeDetails'],
  run: (p, state) => {
    if (p.Identity !== undefined) {
      const { user, mailbox } = findMailbox(state, str(p, 'Identity'));
      return [showMailbox(user, mailbox)];
    }
    const kind = p.RecipientTypeDetails === undefined ? undefined : str(p, 'RecipientTypeDetails');
    return state.mailboxes
      .filter((m) => !kind || m.recipientTypeDetails === kind)
      .map((m) => showMailbox(state.users.get(m.userId)!, m));
  },
};

const setMailbox: Cmdlet = {
  parameters: ['Identity', 'Type', 'HiddenFromAddressListsEnabled', 'ForwardingSmtpAddress', 'ForwardingAddress', 'DeliverToMailboxAndForward', 'LitigationHoldEnabled', 'LitigationHoldDuration'],
  required: ['Identity'],
  run: (p, state) => {
    const { mailbox } = findMailbox(state, str(p, 'Identity'));
    if (p.Type !== undefined) {
      const type = str(p, 'Type');
      if (!['Shared', 'Regular'].includes(type)) throw invalidValue('Type', type, 'Microsoft.Exchange.Data.Directory.Management.ConvertibleMailboxSubType');
      mailbox.recipientTypeDetails = type === 'Shared' ? 'SharedMailbox' : 'UserMailbox';
    }
    if (p.HiddenFromAddressListsEnabled !== undefined) mailbox.hiddenFromAddressListsEnabled = bool(p, 'HiddenFromAddressListsEnabled');
    if (p.ForwardingSmtpAddress !== undefined) {
      mailbox.forwardingSmtpAddress = p.ForwardingSmtpAddress === null ? null : `smtp:${str(p, 'ForwardingSmtpAddress').replace(/^smtp:/i, '')}`;
    }
    if (p.ForwardingAddress !== undefined) {
      mailbox.forwardingAddress = p.ForwardingAddress === null ? null : findRecipientUser(state, str(p, 'ForwardingAddress')).displayName;
    }
    if (p.DeliverToMailboxAndForward !== undefined) mailbox.deliverToMailboxAndForward = bool(p, 'DeliverToMailboxAndForward');
    if (p.LitigationHoldEnabled !== undefined) {
      mailbox.litigationHoldEnabled = bool(p, 'LitigationHoldEnabled');
      mailbox.litigationHoldDate = mailbox.litigationHoldEnabled ? new Date().toISOString() : null;
    }
    return [];
  },
};

const getMailboxPermission: Cmdlet = {
  parameters: ['Identity', 'User'],
  required: ['Identity'],
  run: (p, state) => {
    const { user, mailbox } = findMailbox(state, str(p, 'Identity'));
    const only = p.User === undefined ? undefined : findRecipientUser(state, str(p, 'User')).id;
    const self = only ? [] : [showPermission(user, 'NT AUTHORITY\\SELF', ['FullAccess', 'ReadPermission'])];
    return [...self, ...mailbox.permissions.filter((g) => !only || g.userId === only).map((g) => showPermission(user, userLabel(state, g.userId), g.accessRights))];
  },
};

const addMailboxPermission: Cmdlet = {
  parameters: ['Identity', 'User', 'AccessRights', 'AutoMapping', 'InheritanceType'],
  required: ['Identity', 'User', 'AccessRights'],
  run: (p, state) => {
    const { user, mailbox } = findMailbox(state, str(p, 'Identity'));
    const delegate = findRecipientUser(state, str(p, 'User'));
    const rights = [p.AccessRights].flat().map(String);
    const existing = mailbox.permissions.find((g) => g.userId === delegate.id);
    if (existing) existing.accessRights = [...new Set([...existing.accessRights, ...rights])];
    else mailbox.permissions.push({ userId: delegate.id, accessRights: rights, autoMapping: p.AutoMapping === undefined ? true : bool(p, 'AutoMapping') });
    return [showPermission(user, delegate.userPrincipalName, rights)];
  },
};

const removeMailboxPermission: Cmdlet = {
  parameters: ['Identity', 'User', 'AccessRights', 'InheritanceType'],
  required: ['Identity', 'User', 'AccessRights'],
  run: (p, state) => {
    const { mailbox } = findMailbox(state, str(p, 'Identity'));
    const delegate = findRecipientUser(state, str(p, 'User'));
    const rights = [p.AccessRights].flat().map(String);
    // Exchange only warns when the entry is not there; the call still succeeds.
    mailbox.permissions = mailbox.permissions
      .map((g) => (g.userId === delegate.id ? { ...g, accessRights: g.accessRights.filter((r) => !rights.includes(r)) } : g))
      .filter((g) => g.accessRights.length > 0);
    return [];
  },
};

const AUTO_REPLY_STATES = ['Disabled', 'Enabled', 'Scheduled'] as const;
const AUDIENCES = ['None', 'Known', 'All'] as const;

/**
 * Exchange keeps the messages as HTML: plain text comes back wrapped, as
 * Get-MailboxAutoReplyConfiguration shows it; a message that is already an HTML document is kept.
 */
function asExchangeKeepsIt(message: string): string {
  if (message === '' || /^\s*<html[\s>]/i.test(message)) return message;
  return `<html>\n<body>\n${message}\n</body>\n</html>\n`;
}

const setAutoReply: Cmdlet = {
  parameters: ['Identity', 'AutoReplyState', 'InternalMessage', 'ExternalMessage', 'ExternalAudience', 'StartTime', 'EndTime'],
  required: ['Identity'],
  run: (p, state) => {
    const { mailbox } = findMailbox(state, str(p, 'Identity'));
    const reply = mailbox.autoReply;
    if (p.AutoReplyState !== undefined) {
      const value = str(p, 'AutoReplyState');
      const known = AUTO_REPLY_STATES.find((s) => s === value);
      if (!known) throw invalidValue('AutoReplyState', value, 'Microsoft.Exchange.Data.Storage.OofState');
      reply.state = known;
    }
    if (p.ExternalAudience !== undefined) {
      const value = str(p, 'ExternalAudience');
      const known = AUDIENCES.find((s) => s === value);
      if (!known) throw invalidValue('ExternalAudience', value, 'Microsoft.Exchange.Data.Storage.ExternalAudience');
      reply.externalAudience = known;
    }
    if (p.InternalMessage !== undefined) reply.internalMessage = p.InternalMessage === null ? '' : asExchangeKeepsIt(str(p, 'InternalMessage'));
    if (p.ExternalMessage !== undefined) reply.externalMessage = p.ExternalMessage === null ? '' : asExchangeKeepsIt(str(p, 'ExternalMessage'));
    return [];
  },
};

const getAutoReply: Cmdlet = {
  parameters: ['Identity'],
  required: ['Identity'],
  run: (p, state) => {
    const { user, mailbox } = findMailbox(state, str(p, 'Identity'));
    const r = mailbox.autoReply;
    return [{ Identity: user.displayName, MailboxOwnerId: user.displayName, AutoReplyState: r.state, InternalMessage: r.internalMessage, ExternalMessage: r.externalMessage, ExternalAudience: r.externalAudience }];
  },
};

export const MAILBOX_CMDLETS: Record<string, Cmdlet> = {
  'Get-Mailbox': getMailbox,
  'Set-Mailbox': setMailbox,
  'Get-MailboxStatistics': getMailboxStatistics,
  'Get-MailboxPermission': getMailboxPermission,
  'Add-MailboxPermission': addMailboxPermission,
  'Remove-MailboxPermission': removeMailboxPermission,
  'Set-MailboxAutoReplyConfiguration': setAutoReply,
  'Get-MailboxAutoReplyConfiguration': getAutoReply,
};
