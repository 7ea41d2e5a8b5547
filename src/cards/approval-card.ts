import type { OffboardingCase } from '../cases/case';
import { renderCard, type AdaptiveCardJson } from './render';
import { DEPARTURE_LABELS, STATE_LABELS, STEP_LABELS, decisionSummary, formatCutoff, formatUtc } from './wording';

/** What this particular viewer may do, decided by the bot from stored state and group membership. */
export interface ApprovalViewer {
  canDecide: boolean;
  /** Why this viewer sees no buttons, e.g. "You requested this case, so another security approver must decide". */
  notice?: string;
}

// Teams ignores refresh userIds beyond the first 60.
const MAX_REFRESH_USERS = 60;

/**
 * The Security approval card. Approve/Reject appear only for a viewer who may decide while the case
 * awaits approval; `refreshUserIds` (Teams MRIs, `29:…`) get a viewer-specific copy on open.
 */
export function approvalCard(
  c: OffboardingCase,
  viewer: ApprovalViewer,
  refreshUserIds: readonly string[],
): AdaptiveCardJson {
  return renderCard('approval', {
    caseId: c._id,
    version: c.version,
    refreshUserIds: refreshUserIds.slice(0, MAX_REFRESH_USERS),
    targetName: c.target.displayName,
    targetUpn: c.target.userPrincipalName,
    managerName: c.target.manager?.displayName ?? '',
    requesterName: c.requester.displayName,
    requestedAt: formatUtc(c.createdAt),
    departureType: DEPARTURE_LABELS[c.request.departureType],
    highRisk: c.request.departureType === 'high-risk',
    cutoff: formatCutoff(c.request, c.notBefore),
    ticket: c.request.ticket ?? '',
    notes: c.request.notes ?? '',
    stateLabel: STATE_LABELS[c.state],
    plannedSteps: c.steps.map((s) => ({ label: STEP_LABELS[s.action] })),
    decisions: c.decisions.map((d) => ({
      summary: decisionSummary(d),
      color: d.decision === 'approved' ? 'good' : 'attention',
      reason: d.reason ?? '',
    })),
    notice: viewer.notice ?? '',
    canDecide: viewer.canDecide && c.state === 'awaiting_approval',
  });
}
