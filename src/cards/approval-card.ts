import type { Decision, OffboardingCase } from '../cases/case';
import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';
import { DEPARTURE_LABELS, STATE_LABELS, STEP_LABELS, caseRisks, decisionSummary, formatCutoff, formatUtc, previewLine } from './wording';

/** What this particular viewer may do, decided by the bot from stored state and group membership. */
export interface ApprovalViewer {
  canDecide: boolean;
  /** Why this viewer sees no buttons, e.g. "You requested this case, so another security approver must decide". */
  notice?: string;
}

// Teams ignores refresh userIds beyond the first 60.
const MAX_REFRESH_USERS = 60;

const esc = escapeCardText;

/**
 * The approval card: posted in the Security channel, and to the target's manager in their chat
 * (`forManager`). Approve/Reject appear only for a viewer who may decide while the case awaits
 * approval; `refreshUserIds` (Teams MRIs, `29:…`) get a viewer-specific copy on open.
 */
export function approvalCard(
  c: OffboardingCase,
  viewer: ApprovalViewer,
  refreshUserIds: readonly string[],
  options: { forManager?: boolean } = {},
): AdaptiveCardJson {
  return renderCard('approval', {
    caseId: c._id,
    version: c.version,
    refreshUserIds: refreshUserIds.slice(0, MAX_REFRESH_USERS),
    title: `${options.forManager ? 'Manager approval' : 'Security approval'}: offboard ${esc(c.target.displayName)}`,
    targetName: esc(c.target.displayName),
    targetUpn: esc(c.target.userPrincipalName),
    managerName: esc(c.target.manager?.displayName ?? ''),
    requesterName: esc(c.requester.displayName),
    requestedAt: formatUtc(c.createdAt),
    departureType: DEPARTURE_LABELS[c.request.departureType],
    highRisk: c.request.departureType === 'high-risk',
    // Validated by the departure form (a date and an IANA zone), not free text.
    cutoff: formatCutoff(c.request, c.notBefore),
    ticket: esc(c.request.ticket ?? ''),
    notes: esc(c.request.notes ?? ''),
    stateLabel: STATE_LABELS[c.state],
    progress: c.state === 'awaiting_approval' ? approvalProgress(c).map((line) => ({ line: esc(line) })) : [],
    cancellation: esc(c.cancellation?.reason ?? ''),
    plannedSteps: planLines(c),
    risks: caseRisks(c).map((text) => ({ text: esc(text) })),
    decisions: c.decisions.map((d) => ({
      summary: escapedSummary(d),
      color: d.decision === 'approved' ? 'good' : 'attention',
      reason: esc(d.reason ?? ''),
    })),
    notice: esc(viewer.notice ?? ''),
    canDecide: viewer.canDecide && c.state === 'awaiting_approval',
  });
}

/** Each step with what it found in the tenant at request time (the plan preview), if read. */
function planLines(c: OffboardingCase): { label: string; detail: string }[] {
  const preview = new Map((c.planPreview ?? []).map((p) => [p.action, p]));
  return c.steps.map((s) => {
    const p = preview.get(s.action);
    return { label: STEP_LABELS[s.action], detail: p ? escapeCardText(previewLine(p)) : '' };
  });
}

/**
 * Which approvals the case needs and which are in, in words (not yet escaped for a card):
 * shown on the approval cards, the requester's status card and reminders.
 */
export function approvalProgress(c: OffboardingCase): string[] {
  const required = c.requiredApprovals ?? { security: 1, globalAdmin: false, why: [] };
  const given = c.approvals ?? { security: [] };
  const lines: string[] = [];
  if (required.manager) {
    const manager = required.manager.displayName;
    if (given.manager) lines.push(`Manager: approved by ${given.manager.by.displayName}`);
    else if (c.managerUnreachable) lines.push(`Manager: waiting for ${manager}, who cannot be reached in Teams yet. ${c.managerUnreachable}`);
    else lines.push(`Manager: waiting for ${manager} (card sent in their chat with the bot)`);
  }
  const because = required.security > 1 && required.why.length > 0 ? ` (${required.why.join(', ')})` : '';
  const by = given.security.map((d) => d.by.displayName).join(', ');
  lines.push(`Security: ${given.security.length} of ${required.security} different approvers${because}${by ? `, approved by ${by}` : ''}`);
  if (required.globalAdmin) {
    lines.push(given.globalAdmin ? `Global Administrator approver: approved by ${given.globalAdmin.by.displayName}` : 'Global Administrator approver: waiting');
  }
  return lines;
}

function escapedSummary(d: Decision): string {
  return decisionSummary({ ...d, by: { ...d.by, displayName: esc(d.by.displayName) } });
}
