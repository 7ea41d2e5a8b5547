/**
 * What Exchange Online holds for a user beyond the directory: the mailbox's settings, who else may
 * open it, its auto-reply and the phones syncing it. Plain records; the cmdlets change them.
 */

export interface SimMailboxPermission {
  /** The delegate's user id. */
  userId: string;
  accessRights: string[];
  autoMapping: boolean;
}

export interface SimAutoReply {
  state: 'Disabled' | 'Enabled' | 'Scheduled';
  /** HTML, as Exchange keeps it ('' when none); Set-MailboxAutoReplyConfiguration wraps plain text. */
  internalMessage: string;
  externalMessage: string;
  externalAudience: 'None' | 'Known' | 'All';
}

export interface SimMailbox {
  /** The owner's Entra object id (Exchange's ExternalDirectoryObjectId). */
  userId: string;
  /** Exchange's own GUID for the mailbox. */
  guid: string;
  recipientTypeDetails: 'UserMailbox' | 'SharedMailbox';
  hiddenFromAddressListsEnabled: boolean;
  /** "smtp:someone@example.com", as Get-Mailbox shows it; null when not forwarding. */
  forwardingSmtpAddress: string | null;
  /** An internal recipient's identity; null when not forwarding. */
  forwardingAddress: string | null;
  deliverToMailboxAndForward: boolean;
  litigationHoldEnabled: boolean;
  litigationHoldDate: string | null;
  /** "Active" once an archive mailbox is enabled (Enable-Mailbox -Archive), as Get-Mailbox shows it. */
  archiveStatus: 'None' | 'Active';
  /** The primary mailbox's items (Get-MailboxStatistics TotalItemSize and ItemCount). */
  totalItemSizeBytes: number;
  itemCount: number;
  permissions: SimMailboxPermission[];
  autoReply: SimAutoReply;
}

export interface SimMobileDevice {
  guid: string;
  userId: string;
  deviceId: string;
  friendlyName: string;
  deviceModel: string;
  deviceOS: string;
  deviceType: string;
  clientType: 'EAS' | 'Outlook';
  deviceAccessState: 'Allowed' | 'Blocked' | 'Quarantined';
  firstSyncTime: string;
}

export function userMailbox(userId: string, guid: string, overrides: Partial<SimMailbox> = {}): SimMailbox {
  return {
    userId,
    guid,
    recipientTypeDetails: 'UserMailbox',
    hiddenFromAddressListsEnabled: false,
    forwardingSmtpAddress: null,
    forwardingAddress: null,
    deliverToMailboxAndForward: false,
    litigationHoldEnabled: false,
    litigationHoldDate: null,
    archiveStatus: 'None',
    // A few years of ordinary mail: far below the 50 GB a shared mailbox may hold without a licence.
    totalItemSizeBytes: 1_324_567_890,
    itemCount: 18_342,
    permissions: [],
    autoReply: { state: 'Disabled', internalMessage: '', externalMessage: '', externalAudience: 'All' },
    ...overrides,
  };
}
