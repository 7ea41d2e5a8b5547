import { M365Error } from '../m365/m365-error';
import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteIfPresent, eachObject } from './graph-pages';
import type { ActionContext, OffboardingAction } from './offboarding-action';

interface Recipient {
  emailAddress?: { address?: string; name?: string };
}

interface MessageRule {
  id: string;
  displayName: string;
  actions?: { forwardTo?: Recipient[]; forwardAsAttachmentTo?: Recipient[]; redirectTo?: Recipient[] } | null;
}

const recipientsOf = (rule: MessageRule): string[] =>
  [...(rule.actions?.forwardTo ?? []), ...(rule.actions?.forwardAsAttachmentTo ?? []), ...(rule.actions?.redirectTo ?? [])]
    .map((r) => r.emailAddress?.address ?? '')
    .filter(Boolean);

const rulesPath = (ctx: ActionContext) => `/users/${guidSegment(ctx.target.id)}/mailFolders/inbox/messageRules`;

async function readRules(ctx: ActionContext): Promise<MessageRule[] | 'no mailbox'> {
  try {
    return (await ctx.graph.get<{ value: MessageRule[] }>(rulesPath(ctx))).body.value;
  } catch (err) {
    if (err instanceof M365Error && err.code === 'MailboxNotEnabledForRESTAPI') return 'no mailbox';
    throw err;
  }
}

/** The user's own domain counts as internal; anything else is flagged as leaving the company. */
function describe(rule: MessageRule, ctx: ActionContext): string {
  const domain = (ctx.target.mail ?? ctx.target.userPrincipalName).split('@')[1]?.toLowerCase();
  const to = recipientsOf(rule).map((a) => (a.toLowerCase().endsWith(`@${domain}`) ? a : `${a} (external)`));
  return `'${rule.displayName}' → ${to.join(', ')}`;
}

/**
 * Deletes inbox rules that forward or redirect mail, so nothing keeps leaving the mailbox after the
 * person has gone. The rules were recorded in full by the evidence snapshot before this step, and
 * each is named with its recipients in this step's result. Other rules are kept.
 * Permission MailboxSettings.ReadWrite.
 */
export const deleteForwardingRules: OffboardingAction<MessageRule> = {
  name: 'deleteForwardingRules',
  async plan(ctx) {
    const rules = await readRules(ctx);
    if (rules === 'no mailbox') return { changes: [], found: 'no mailbox.', stop: { status: 'skipped', reason: 'The user has no Exchange Online mailbox, so there are no inbox rules.' } };
    const forwarding = rules.filter((r) => recipientsOf(r).length > 0);
    return { changes: forwarding, found: forwarding.length === 0 ? `no inbox rule forwards mail (${rules.length} other rule(s) kept).` : forwarding.map((r) => describe(r, ctx)).join('; ') };
  },
  async apply(ctx, plan) {
    const failures = await eachObject(
      plan.changes,
      (rule) => deleteIfPresent(ctx.graph, `${rulesPath(ctx)}/${encodeURIComponent(rule.id)}`),
      (rule, err) => `Could not delete rule '${rule.displayName}': ${describeError(err)}`,
    );
    return { detail: `Deleted ${plan.changes.length - failures.length} forwarding rule(s): ${plan.changes.map((r) => describe(r, ctx)).join('; ')}.`, failures };
  },
  async verify(ctx, plan) {
    const rules = await readRules(ctx);
    const left = rules === 'no mailbox' ? [] : rules.filter((r) => plan.changes.some((p) => p.id === r.id));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still present: ${left.map((r) => r.displayName).join(', ')}.` };
  },
};
