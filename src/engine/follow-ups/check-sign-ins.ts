import type { OffboardingCase } from '../../cases/case';
import type { CaseNotifier, SignInNoticeStyle } from '../../cases/case-notifier';
import type { OffboardingAction, PlannedChange } from '../../actions/offboarding-action';
import { readAll } from '../../actions/graph-pages';
import { odataString } from '../../m365/odata';

/** How long after the close the sign-in log is read: it shows a sign-in minutes, at times hours, later. */
export const SIGN_IN_CHECK_AFTER_HOURS = 24;
/** Entries read at most; a report past this says "at least". */
const MAX_ENTRIES = 1_000;

/** Graph's microsoft.graph.signIn, as far as this follow-up reads it. */
interface SignIn {
  createdDateTime: string;
  appDisplayName?: string | null;
  ipAddress?: string | null;
  status?: { errorCode?: number | null; failureReason?: string | null } | null;
  location?: { city?: string | null; countryOrRegion?: string | null } | null;
}

interface Finding {
  text: string;
  style: SignInNoticeStyle;
  /** A sign-in went through: a person must find out how and close it. */
  gotIn: boolean;
}

/**
 * When the person was shut out: the block step's end; for one left to a person (an on-premises
 * account), when that person said it was done; otherwise the case's cut-off.
 */
export function blockedSince(c: OffboardingCase): string {
  const block = c.steps.find((s) => s.action === 'blockSignIn');
  if (block?.status === 'succeeded' && block.finishedAt) return block.finishedAt;
  if (block?.status === 'manual' && block.resolution) return block.resolution.at;
  return c.notBefore;
}

function describe(s: SignIn): string {
  const where = [s.location?.city, s.location?.countryOrRegion].filter(Boolean).join(', ');
  const from = [s.ipAddress, where && `(${where})`].filter(Boolean).join(' ');
  return `${s.createdDateTime.replace('T', ' ').slice(0, 16)} UTC to ${s.appDisplayName ?? 'an app'}${from ? ` from ${from}` : ''}`;
}

/** What the log shows since the block, in words, or nothing when there was no sign-in at all. */
function finding(c: OffboardingCase, since: string, entries: SignIn[]): Finding | undefined {
  if (entries.length === 0) return undefined;
  const atLeast = entries.length >= MAX_ENTRIES ? 'at least ' : '';
  const got = entries.filter((s) => s.status?.errorCode === 0);
  const refused = entries.filter((s) => s.status?.errorCode !== 0);
  const who = c.target.displayName;
  const blocked = `since sign-in was blocked at ${since.replace('T', ' ').slice(0, 16)} UTC`;
  if (got.length > 0) {
    return {
      gotIn: true,
      style: 'attention',
      text:
        `${atLeast}${got.length} sign-in(s) as ${who} went through ${blocked}, the latest ${describe(got[0])}` +
        (refused.length > 0 ? `, and ${refused.length} were refused` : '') +
        '. Check whether the account was enabled again (on-premises sync, say), block it and revoke its sessions again, and find out who signed in.',
    };
  }
  const reason = refused[0].status?.failureReason;
  return {
    gotIn: false,
    style: 'warning',
    text: `${atLeast}${refused.length} attempt(s) to sign in as ${who} ${blocked}, all refused; the latest ${describe(refused[0])}${reason ? ` (${reason})` : ''}.`,
  };
}

/**
 * Follow-up a day after the close: reads the person's sign-ins since they were shut out. Attempts,
 * all refused, are news for the security team (someone still tries); one that went through means
 * the containment did not hold, which the team hears of at once and a person must settle. Nothing
 * is posted when nobody tried. Changes nothing in the tenant. Graph: GET /auditLogs/signIns with
 * AuditLog.Read.All (and Entra ID P1 for the sign-in log).
 */
export function checkSignIns(c: OffboardingCase, notifier: CaseNotifier): Omit<OffboardingAction<Finding>, 'name'> {
  const since = blockedSince(c);
  return {
    async plan(ctx): Promise<PlannedChange<Finding>> {
      const filter = `userId eq ${odataString(c.target.id)} and createdDateTime ge ${since}`;
      const entries = await readAll<SignIn>(ctx.graph, `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$top=999`, MAX_ENTRIES);
      const found = finding(c, since, entries);
      if (!found) return { changes: [], found: `no sign-in or attempt as ${c.target.displayName} since sign-in was blocked at ${since}.` };
      if (!notifier.reportSignIns) {
        return { changes: [], found: '', stop: { status: 'manual', reason: `Tell the security team: ${found.text} This app cannot post to its channel.` } };
      }
      return { changes: [found], found: found.text, manual: found.gotIn ? [found.text] : undefined };
    },
    async apply(_ctx, plan) {
      const found = plan.changes[0];
      await notifier.reportSignIns!(c, found.text, found.style);
      return { detail: `${found.gotIn ? '' : `${found.text} `}Posted to the Security channel.`, failures: [] };
    },
    // The notifier throws unless Teams confirmed the post.
    verify: async () => ({ ok: true, detail: '' }),
  };
}
