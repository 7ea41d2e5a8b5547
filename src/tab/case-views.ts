import type { CaseState, OffboardingCase } from '../cases/case';
import { completionCard, statusCard } from '../cards';
import { isOpenException } from '../cards/completion-exceptions';
import { DEPARTURE_LABELS, FOLLOW_UP_LABELS, formatCutoff, previewLine, STATE_LABELS, STEP_LABELS, STEP_STATUS_WORDING } from '../cards/wording';
import type { AuditEvent } from '../store/case-store';

/** What the dashboard shows of a case in the list: the same words the cards use. */
export interface CaseRow {
  id: string;
  target: { id: string; displayName: string; userPrincipalName: string };
  requester: string;
  departureType: string;
  state: CaseState;
  stateLabel: string;
  cutoff: string;
  /** When access must be gone (notBefore), and how far away that is: negative once passed. */
  deadline: { at: string; msLeft: number; accessRemoved: boolean };
  /** What someone must act on, steps and follow-ups alike: failed, or waiting for a manual action. */
  exceptions: number;
  ticket?: string;
  updatedAt: string;
}

export interface CaseFilter {
  state?: string;
  q?: string;
}

export function toRow(c: OffboardingCase, now: Date): CaseRow {
  return {
    id: c._id,
    target: { id: c.target.id, displayName: c.target.displayName, userPrincipalName: c.target.userPrincipalName },
    requester: c.requester.displayName,
    departureType: DEPARTURE_LABELS[c.request.departureType],
    state: c.state,
    stateLabel: STATE_LABELS[c.state],
    cutoff: formatCutoff(c.request, c.notBefore),
    deadline: {
      at: c.notBefore,
      msLeft: Date.parse(c.notBefore) - now.getTime(),
      accessRemoved: accessRemoved(c),
    },
    exceptions: [...c.steps, ...(c.followUps ?? [])].filter(isOpenException).length,
    ticket: c.request.ticket,
    updatedAt: c.updatedAt,
  };
}

/** Contained steps, whatever else is left: no sign-in is possible and no session survives. */
const CONTAINMENT = ['blockSignIn', 'revokeSessions'] as const;

/**
 * Whether access is gone: the sign-in block and the session revocation each succeeded, or a person
 * recorded doing them (an on-premises account); never from the case's state alone.
 */
function accessRemoved(c: OffboardingCase): boolean {
  return CONTAINMENT.every((action) => c.steps.some((s) => s.action === action && (s.status === 'succeeded' || (s.status === 'manual' && !!s.resolution))));
}

/** State filter is exact; search text matches target, requester, ticket or case id, case-insensitively. */
export function matches(c: OffboardingCase, filter: CaseFilter): boolean {
  if (filter.state && c.state !== filter.state) return false;
  const q = filter.q?.trim().toLowerCase();
  if (!q) return true;
  const haystack = [c._id, c.target.displayName, c.target.userPrincipalName, c.target.mail, c.requester.displayName, c.request.ticket];
  return haystack.some((text) => text?.toLowerCase().includes(q));
}

/** The case detail: the case with its steps and decisions labelled, and the audit trail. */
export function toDetail(c: OffboardingCase, audit: AuditEvent[], now: Date) {
  return {
    ...toRow(c, now),
    request: c.request,
    notBefore: c.notBefore,
    createdAt: c.createdAt,
    steps: c.steps.map((s) => ({ ...s, label: STEP_LABELS[s.action], statusLabel: STEP_STATUS_WORDING[s.status].word })),
    // Scheduled after the close: when each is due (notBefore, UTC), how it ended, who called it off.
    followUps: (c.followUps ?? []).map((f) => ({ ...f, label: FOLLOW_UP_LABELS[f.action], statusLabel: STEP_STATUS_WORDING[f.status].word })),
    decisions: c.decisions,
    plan: (c.planPreview ?? []).map((p) => ({ label: STEP_LABELS[p.action], line: previewLine(p), risks: p.risks })),
    personRisks: c.personRisks ?? [],
    evidence: evidenceOf(c),
    audit,
    // The card the IT channel (or the requester) sees, for the SDK to render in the page.
    card: c.state === 'completed' || c.state === 'completed_with_failures' ? completionCard(c) : statusCard(c),
  };
}

/**
 * The evidence snapshot taken before any change, once the case model carries one; read
 * structurally so the dashboard works with cases from before and after that change.
 */
export function evidenceOf(c: OffboardingCase): unknown {
  return (c as OffboardingCase & { evidence?: unknown }).evidence ?? null;
}
