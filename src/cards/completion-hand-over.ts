/**
 * Who owns what the user left, and what is kept and for how long, as the completion summary says
 * it. Only from what the case holds: the request's choices and each step's status and detail.
 * A step's detail names what it actually did; the request says only what was asked.
 */
import type { ActionName, OffboardingCase, Person, Step } from '../cases/case';
import { licenceDecision, mailboxDecisions } from '../actions/mailbox-decisions';
import { escapeCardText as esc } from './escape-text';
import { isOpenException } from './completion-exceptions';
import { readable, type SummaryLine } from './summary-line';
import { FOLLOW_UP_LABELS, STEP_STATUS_WORDING, formatUtc } from './wording';

/** The steps whose outcome the owners and retention sections report, detail included. */
export const HAND_OVER_ACTIONS: readonly ActionName[] = [
  'grantMailboxAccess',
  'grantOneDriveAccess',
  'transferGroupOwnership',
  'moveDirectReports',
  'cancelMeetings',
  'convertToShared',
  'setLitigationHold',
  'removeLicences',
];

/** "the manager, Patti Fernandez": who a request means when it names nobody. */
const theManager = (manager: Person | undefined): string => (manager ? `the manager, ${esc(manager.displayName)}` : 'the manager (none is recorded)');

/** "What was asked — ✅ Succeeded", with what the step did (or where its exception is) under it. */
function lineFor(c: OffboardingCase, action: ActionName, what: string): SummaryLine {
  const step: Step | undefined = c.steps.find((s) => s.action === action);
  if (!step) return { text: `${what} — not part of this case's steps`, color: 'default', detail: '' };
  const { icon, word, color } = STEP_STATUS_WORDING[step.status];
  if (step.resolution) {
    return { text: `${what} — ✔️ handled by ${esc(step.resolution.by.displayName)}`, color: 'default', detail: readable(step.resolution.note) };
  }
  if (isOpenException(step)) return { text: `${what} — ${icon} ${word}`, color, detail: 'See Exceptions still open.' };
  return { text: `${what} — ${icon} ${word}`, color: 'default', detail: readable(step.detail) };
}

/** Mailbox, OneDrive, solely owned groups and direct reports: who has them now. */
export function ownerLines(c: OffboardingCase): SummaryLine[] {
  const mailbox = mailboxDecisions(c.request);
  const handOver = c.request.handOver ?? {};
  const manager = c.target.manager;

  const delegate = mailbox.delegate === undefined ? theManager(manager) : mailbox.delegate === null ? null : esc(mailbox.delegate);
  const mailboxAccess =
    delegate === null
      ? 'Mailbox: nobody, the request gives no one FullAccess'
      : `Mailbox: FullAccess to ${delegate}, ${mailbox.delegateUntil ? `until ${esc(mailbox.delegateUntil)}` : 'with no end date'}`;

  const filesTo = handOver.filesTo === undefined ? theManager(manager) : handOver.filesTo === null ? null : esc(handOver.filesTo);
  const oneDrive = filesTo === null ? 'OneDrive: nobody, the request gives no one access' : `OneDrive: edit access for ${filesTo}`;

  const groupsTo = handOver.groupsTo === undefined ? theManager(manager) : esc(handOver.groupsTo);
  const reportsTo = manager ? `${esc(manager.displayName)}, ${esc(c.target.displayName)}'s manager` : "the user's manager, but none is recorded";

  return [
    lineFor(c, 'grantMailboxAccess', mailboxAccess),
    lineFor(c, 'grantOneDriveAccess', oneDrive),
    lineFor(c, 'transferGroupOwnership', `Groups and teams the user solely owned: new owner ${groupsTo}`),
    lineFor(c, 'moveDirectReports', `Direct reports: to ${reportsTo}`),
    // Cases planned before the step existed say nothing of meetings.
    ...(c.steps.some((s) => s.action === 'cancelMeetings')
      ? [lineFor(c, 'cancelMeetings', mailbox.cancelMeetings ? 'Meetings the user organized: cancelled, attendees notified' : 'Meetings the user organized: kept, as requested')]
      : []),
  ];
}

/** What is kept (mailbox, hold, licences) and whether the account is to be deleted. */
export function retentionLines(c: OffboardingCase): SummaryLine[] {
  const mailbox = mailboxDecisions(c.request);
  const deletion = (c.followUps ?? []).find((f) => f.action === 'deleteAccount');
  return [
    lineFor(c, 'convertToShared', mailbox.convertToShared ? 'Mailbox: kept as a shared mailbox, hidden from address lists' : 'Mailbox: kept as a user mailbox, not converted'),
    lineFor(c, 'setLitigationHold', mailbox.litigationHold ? 'Litigation hold: on, as requested' : 'Litigation hold: off, not requested'),
    lineFor(c, 'removeLicences', licenceDecision(c.request) === 'keep' ? 'Licences: kept, as requested' : 'Licences: removed once the mailbox is verified shared'),
    deletion
      ? { text: `Account deletion: scheduled for ${formatUtc(deletion.notBefore)}`, color: 'default', detail: '' }
      : { text: 'Account deletion: not scheduled by this offboarding', color: 'default', detail: '' },
  ];
}

/** The scheduled follow-ups in date order, each with its date and where it stands. */
export function followUpLines(c: OffboardingCase): SummaryLine[] {
  return [...(c.followUps ?? [])]
    .sort((a, b) => Date.parse(a.notBefore) - Date.parse(b.notBefore))
    .map((f) => {
      const { icon, word, color } = STEP_STATUS_WORDING[f.status];
      const handled = f.status === 'manual' && f.resolution;
      // A pending follow-up that has run once waits on Microsoft 365 or a retry: its detail says until when.
      const waiting = f.status === 'pending' && f.startedAt !== undefined;
      const state = f.cancelled ? 'Cancelled' : waiting ? 'Under way' : f.status === 'pending' ? 'Scheduled' : handled ? `Handled by ${esc(handled.by.displayName)}` : word;
      const open = isOpenException(f);
      return {
        text: `${f.cancelled ? '🚫' : handled ? '✔️' : icon} ${FOLLOW_UP_LABELS[f.action]}: ${formatUtc(f.notBefore)} — ${state}`,
        color: open ? color : 'default',
        detail: open ? 'See Exceptions still open.' : readable(f.detail),
      };
    });
}
