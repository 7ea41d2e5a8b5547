/** Cmdlets about what hangs off a mailbox: mobile devices, inbox rules, distribution lists. */
import { refreshLicences } from '../workplace';
import { ExchangeHttpError, objectNotFound } from './exchange-errors';
import { findDistributionGroup, findMailbox, findRecipientUser } from './recipients';
import { bool, str, type Cmdlet } from './cmdlet';

const getMobileDevice: Cmdlet = {
  parameters: ['Mailbox', 'Identity', 'ResultSize'],
  run: (p, state) => {
    const owner = p.Mailbox === undefined ? undefined : findMailbox(state, str(p, 'Mailbox')).user;
    return state.mobileDevices
      .filter((d) => !owner || d.userId === owner.id)
      .filter((d) => p.Identity === undefined || d.guid === str(p, 'Identity'))
      .map((d) => {
        const user = state.users.get(d.userId)!;
        return {
          Identity: `${user.displayName}\\ExchangeActiveSyncDevices\\${d.deviceType}§${d.deviceId}`,
          Guid: d.guid,
          DeviceId: d.deviceId,
          FriendlyName: d.friendlyName,
          DeviceModel: d.deviceModel,
          DeviceOS: d.deviceOS,
          DeviceType: d.deviceType,
          ClientType: d.clientType,
          DeviceAccessState: d.deviceAccessState,
          FirstSyncTime: d.firstSyncTime,
          UserDisplayName: user.displayName,
        };
      });
  },
};

const removeMobileDevice: Cmdlet = {
  parameters: ['Identity'],
  required: ['Identity'],
  run: (p, state) => {
    const identity = str(p, 'Identity');
    const device = state.mobileDevices.find((d) => d.guid === identity || identity.endsWith(`§${d.deviceId}`));
    if (!device) throw objectNotFound(identity);
    state.mobileDevices = state.mobileDevices.filter((d) => d !== device);
    return [];
  },
};

const addresses = (recipients: unknown): string[] =>
  Array.isArray(recipients) ? recipients.map((r) => `"${r.emailAddress?.name ?? ''}" [SMTP:${r.emailAddress?.address ?? ''}]`) : [];

const getInboxRule: Cmdlet = {
  parameters: ['Mailbox', 'Identity', 'IncludeHidden'],
  required: ['Mailbox'],
  run: (p, state) => {
    const { user } = findMailbox(state, str(p, 'Mailbox'));
    const withHidden = p.IncludeHidden !== undefined && bool(p, 'IncludeHidden');
    return state.messageRules
      .filter((r) => r.userId === user.id && (withHidden || !r.hidden))
      .map((r) => ({
        Identity: `${user.displayName}\\${r.id}`,
        RuleIdentity: r.id,
        Name: r.displayName,
        Enabled: r.isEnabled,
        Priority: r.sequence,
        ForwardTo: addresses(r.actions.forwardTo),
        ForwardAsAttachmentTo: addresses(r.actions.forwardAsAttachmentTo),
        RedirectTo: addresses(r.actions.redirectTo),
      }));
  },
};

const removeDistributionGroupMember: Cmdlet = {
  parameters: ['Identity', 'Member', 'BypassSecurityGroupManagerCheck'],
  required: ['Identity', 'Member'],
  run: (p, state) => {
    const group = findDistributionGroup(state, str(p, 'Identity'));
    const member = findRecipientUser(state, str(p, 'Member'));
    if (!group.memberIds.includes(member.id)) {
      throw new ExchangeHttpError(
        400,
        'Microsoft.Exchange.Management.Tasks.MemberNotFoundException',
        `The recipient "${member.userPrincipalName}" isn't a member of the group "${group.displayName}".`,
      );
    }
    group.memberIds = group.memberIds.filter((id) => id !== member.id);
    refreshLicences(state);
    return [];
  },
};

export const RECIPIENT_CMDLETS: Record<string, Cmdlet> = {
  'Get-MobileDevice': getMobileDevice,
  'Remove-MobileDevice': removeMobileDevice,
  'Get-InboxRule': getInboxRule,
  'Remove-DistributionGroupMember': removeDistributionGroupMember,
};
