import type { OffboardingCase } from '../cases/case';
import { noticeCard, statusCard, type AdaptiveCardJson } from '../cards';
import { approvalProgress } from '../cards/approval-card';
import { withCancel } from './case-cards';

/**
 * The requester's status card: progress of the case, and while it waits, which approvals are
 * still missing, including a manager the bot cannot reach (so the requester can nudge them).
 */
export function requesterStatusCard(c: OffboardingCase): AdaptiveCardJson {
  const status = statusCard(c);
  const extra: object[] = [];
  if (c.state === 'awaiting_approval') {
    const style = c.managerUnreachable ? 'attention' : 'default';
    extra.push(...noticeCard('Approvals', approvalProgress(c).join('\n\n'), style).body);
  }
  if (c.cancellation) extra.push(...noticeCard('Cancelled', c.cancellation.reason, 'attention').body);
  return withCancel({ ...status, body: [...status.body, ...extra] }, c);
}
