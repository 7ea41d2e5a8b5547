import type { DepartureRequest, LicenceDecision, MailboxDecisions } from '../cases/case';

/** For cases requested before the card asked: the usual hand-over, no hold. */
const DEFAULT_MAILBOX: MailboxDecisions = { convertToShared: true, autoReply: true, litigationHold: false };

export const mailboxDecisions = (request: DepartureRequest): MailboxDecisions => request.mailbox ?? DEFAULT_MAILBOX;

export const licenceDecision = (request: DepartureRequest): LicenceDecision => request.licences ?? 'remove-after-conversion';
