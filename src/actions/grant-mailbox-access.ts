import { guidSegment } from '../m365/odata';
import { mailboxIdentity, noMailbox, notChosen, readMailbox } from './exchange-mailbox';
import { mailboxDecisions } from './mailbox-decisions';
import type { CaseEvidence } from '../cases/case';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';
import { parseSnapshot, recordedList } from './take-evidence';

interface MailboxPermission {
  User: string;
  AccessRights: string[];
}

/** The chosen delegate's sign-in name: typed on the card, or the manager's read from Graph. */
async function delegateOf(ctx: ActionContext): Promise<string | null | 'no manager'> {
  const chosen = mailboxDecisions(ctx.request).delegate;
  if (chosen !== undefined) return chosen;
  if (!ctx.target.manager) return 'no manager';
  return (await ctx.graph.get<{ userPrincipalName: string }>(`/users/${guidSegment(ctx.target.manager.id)}?$select=userPrincipalName`)).body.userPrincipalName;
}

/** The delegate's FullAccess entries on the mailbox, as Exchange names the delegate in them. */
const fullAccessOf = async (ctx: ActionContext, delegate: string) =>
  (await ctx.exchange.invoke<MailboxPermission>('Get-MailboxPermission', { Identity: mailboxIdentity(ctx), User: delegate })).value.filter((p) =>
    p.AccessRights.includes('FullAccess'),
  );

const hasFullAccess = async (ctx: ActionContext, delegate: string) => (await fullAccessOf(ctx, delegate)).length > 0;

/**
 * Whether the evidence snapshot, taken before any change, shows the delegate with FullAccess; unknown
 * when there is no snapshot or Exchange could not be read for it. The delegate is looked for under
 * the name Exchange gives them now (`shownAs`, from the same cmdlet) as well as the typed one, so a
 * tenant that shows users by another form than the sign-in name cannot make access from before the
 * case look like this case's grant, which its end date would then take away.
 */
function hadFullAccessBefore(ctx: ActionContext, delegate: string, shownAs: string[]): boolean | undefined {
  const permissions = recordedList<MailboxPermission>(parseSnapshot(ctx.evidence), 'mailboxPermissions');
  if (!permissions) return undefined;
  const names = new Set([delegate, ...shownAs].map((n) => n.toLowerCase()));
  return permissions.some((p) => typeof p.User === 'string' && names.has(p.User.toLowerCase()) && p.AccessRights?.includes('FullAccess'));
}

/**
 * Why the evidence snapshot cannot say who had FullAccess before the case: Exchange refused or
 * failed its read of the mailbox permissions (the section records the error). Undefined when the
 * snapshot read them, or when there is no snapshot.
 */
export function mailboxPermissionsUnread(evidence: CaseEvidence | undefined): string | undefined {
  const section = parseSnapshot(evidence)?.sections.mailboxPermissions;
  return section && 'error' in section ? section.error.message : undefined;
}

const endNote = (delegate: string, until: string | undefined) =>
  until ? `${delegate} keeps access until ${until}; a follow-up of this case removes it then.` : `${delegate} keeps access with no end date.`;

/** For access found in place that the snapshot cannot date: said as not known, and left to a person at the end date. */
const cannotTellNote = (delegate: string, until: string | undefined, why: string) =>
  `Could not tell whether ${delegate} had FullAccess before this offboarding: the evidence snapshot could not read the mailbox permissions (${why}). ` +
  (until
    ? `${delegate} keeps access until ${until}; then a follow-up of this case asks a person to check, and to remove it if this case gave it.`
    : `${delegate} keeps access with no end date either way.`);

/**
 * Gives the delegate (the manager unless the request names someone) FullAccess to the mailbox,
 * with Outlook auto-mapping, so the work in it is not lost. Exchange has no expiry on permissions:
 * when this step gave the access and the request sets an end date, a follow-up of the case removes
 * it then (src/engine/follow-ups/remove-delegate-access.ts); when the step cannot tell whether it
 * gave it, that follow-up leaves the decision to a person.
 * Exchange: Add-MailboxPermission -AccessRights FullAccess -AutoMapping $true.
 */
export const grantMailboxAccess: OffboardingAction<string> = {
  name: 'grantMailboxAccess',
  async plan(ctx): Promise<PlannedChange<string>> {
    const delegate = await delegateOf(ctx);
    if (delegate === null) return notChosen('The request gives nobody access to the mailbox.');
    if (delegate === 'no manager') {
      return { changes: [], found: 'no manager.', stop: { status: 'manual', reason: 'The user has no manager and the request names no delegate: decide who needs the mailbox and give them FullAccess.' } };
    }
    if (!(await readMailbox(ctx))) return noMailbox();
    const until = mailboxDecisions(ctx.request).delegateUntil;
    const current = await fullAccessOf(ctx, delegate);
    if (current.length > 0) {
      // The snapshot, taken before any change, tells a grant made by a run of this step that stopped
      // before it was recorded (its end date still applies) from access the delegate already had.
      // When it holds no answer, a recorded earlier run that sent the grant still shows it was this case's.
      const before = hadFullAccessBefore(ctx, delegate, current.map((p) => p.User)) ?? (ctx.earlierRunChanged ? false : undefined);
      if (before === false) {
        return { changes: [], changedByThisCase: true, notes: [endNote(delegate, until)], found: `${delegate} already has the FullAccess this case gave.` };
      }
      // Not counted as this case's change: the follow-up at the end date sees the same unread
      // snapshot (src/engine/follow-ups/follow-up-schedule.ts) and leaves the decision to a person.
      const unread = before === undefined ? mailboxPermissionsUnread(ctx.evidence) : undefined;
      if (unread !== undefined) return { changes: [], notes: [cannotTellNote(delegate, until, unread)], found: `${delegate} already has FullAccess.` };
      // Access the delegate had before this case is theirs: no end date of this case applies to it.
      return { changes: [], notes: [`${delegate} had FullAccess before this offboarding; it is left as it is.`], found: `${delegate} already has FullAccess.` };
    }
    return { changes: [delegate], notes: [endNote(delegate, until)], found: `${delegate} has no access yet.` };
  },
  async apply(ctx, plan) {
    await ctx.exchange.invoke('Add-MailboxPermission', { Identity: mailboxIdentity(ctx), User: plan.changes[0], AccessRights: ['FullAccess'], AutoMapping: true });
    return { detail: `Gave ${plan.changes[0]} FullAccess to the mailbox.`, failures: [] };
  },
  async verify(ctx, plan) {
    return (await hasFullAccess(ctx, plan.changes[0])) ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Exchange shows no FullAccess for ${plan.changes[0]}.` };
  },
};
