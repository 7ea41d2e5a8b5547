/** Get-MailboxStatistics: a mailbox's item count and size, as Exchange Online's REST output shows them. */
import { findMailbox } from './recipients';
import { str, type Cmdlet } from './cmdlet';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/**
 * A ByteQuantifiedSize as its string: "1.234 GB (1,324,567,890 bytes)", in binary units (1 GB is
 * 1024³ bytes), which is how sizes come back through the REST endpoint.
 */
export function byteQuantifiedSize(bytes: number): string {
  let unit = 0;
  while (unit < UNITS.length - 1 && bytes >= 1024 ** (unit + 1)) unit += 1;
  const amount = Number((bytes / 1024 ** unit).toFixed(3));
  return `${amount} ${UNITS[unit]} (${bytes.toLocaleString('en-US')} bytes)`;
}

export const getMailboxStatistics: Cmdlet = {
  parameters: ['Identity'],
  required: ['Identity'],
  run: (p, state) => {
    const { user, mailbox } = findMailbox(state, str(p, 'Identity'));
    return [
      {
        DisplayName: user.displayName,
        MailboxGuid: mailbox.guid,
        MailboxTypeDetail: mailbox.recipientTypeDetails,
        IsArchiveMailbox: false,
        ItemCount: mailbox.itemCount,
        TotalItemSize: byteQuantifiedSize(mailbox.totalItemSizeBytes),
      },
    ];
  },
};
