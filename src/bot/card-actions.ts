import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { DEPARTURE_TYPES, type OffboardingCase, type Person, type PostedCard } from '../cases/case';
import type { OffboardingRequests, LookupResult } from '../cases/offboarding-requests';
import type { SecurityApprovals } from '../cases/security-approvals';
import { approvalCard, noticeCard, requestCard, type AdaptiveCardJson, type RequestCardValues } from '../cards';
import type { CaseOperations } from '../cases/case-operations';
import { itProgressCard } from './case-cards';
import { requesterStatusCard } from './requester-status';

export interface CardActionDeps {
  requests: OffboardingRequests;
  approvals: SecurityApprovals;
  defaultTimeZone: string;
  /** Remembers where a card about the case was posted, to update it as the case moves. */
  rememberCard: (caseId: string, which: keyof OffboardingCase['cards'], posted: PostedCard) => Promise<void>;
  /** Cancel and retry, with the same server-side rules as the dashboard. */
  operations: CaseOperations;
}

const card = (value: AdaptiveCardJson): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: value as unknown as AdaptiveCardInvokeResponse['value'],
});

const error = (statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code, message } as unknown as AdaptiveCardInvokeResponse['value'],
});

/** Routes Action.Execute verbs. Card data only names things; who may do what is checked here. */
export class CardActions {
  constructor(private readonly deps: CardActionDeps) {}

  async handle(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const actor = actorOf(context);
    if (!actor) return card(noticeCard('Not allowed', 'Teams did not say who you are, so nothing was done.', 'attention'));
    const data = (invoke.action?.data ?? {}) as Record<string, unknown>;
    switch (invoke.action?.verb) {
      case 'pickTarget':
        return card(this.lookupCard(await this.deps.requests.pick(actor, data.targetId), conversationOf(context)));
      case 'cancelRequest':
        return card(noticeCard('Request cancelled', 'Nothing was changed.'));
      case 'submitRequest':
        return card(await this.submit(context, actor, data));
      case 'approve':
      case 'reject':
        return card(await this.decide(actor, data, invoke.action.verb === 'approve' ? 'approved' : 'rejected'));
      case 'refresh':
        return card(await this.viewApproval(actor, data.caseId));
      case 'cancelCase':
        return card(await this.operate(actor, data.caseId, 'cancel'));
      case 'retryFailedSteps':
        return card(await this.operate(actor, data.caseId, 'retry'));
      default:
        return this.unknownVerb(actor, data, invoke.action?.verb);
    }
  }

  /** Cancel (requester or IT, before execution) or retry failed steps (IT); the card shows the outcome. */
  private async operate(actor: Person, caseId: unknown, what: 'cancel' | 'retry'): Promise<AdaptiveCardJson> {
    if (typeof caseId !== 'string' || !/^[0-9a-f-]{36}$/i.test(caseId)) {
      return noticeCard('Unknown case', 'This card refers to an offboarding case that does not exist.', 'attention');
    }
    const ops = this.deps.operations;
    const result = what === 'cancel' ? await ops.cancel(actor, caseId, 'Cancelled from Teams.') : await ops.retryFailedSteps(actor, caseId);
    if (result.kind === 'not_found') return noticeCard('Unknown case', result.message, 'attention');
    if (result.kind === 'refused') return noticeCard(what === 'cancel' ? 'Cannot cancel' : 'Cannot retry', result.message, 'attention');
    const c = result.case;
    const view = what === 'cancel' ? requesterStatusCard(c) : itProgressCard(c);
    if (result.kind === 'done') return view;
    return { ...view, body: [...view.body, ...noticeCard('Nothing done', result.message, 'warning').body] };
  }

  /** `where` is the conversation the card lands in: a channel is read by everyone in the team. */
  lookupCard(result: LookupResult, where: Conversation): AdaptiveCardJson {
    if (result.kind === 'request') return requestCard(result.target, { defaultTimeZone: this.deps.defaultTimeZone, warnings: shownIn(where, result.warnings) });
    if (result.kind === 'refused') return noticeCard('Cannot offboard', result.message, 'attention');
    throw new Error('a pick list is answered by the bot edge, not by a card action');
  }

  private async submit(context: TurnContext, actor: Person, data: Record<string, unknown>): Promise<AdaptiveCardJson> {
    const { targetId, ...form } = data;
    const result = await this.deps.requests.submit(actor, targetId, form);
    if (result.kind === 'refused') return noticeCard('Cannot offboard', result.message, 'attention');
    if (result.kind === 'invalid') {
      return requestCard(result.target, { defaultTimeZone: this.deps.defaultTimeZone, errorMessage: result.problem, warnings: shownIn(conversationOf(context), result.warnings), values: formValues(form) });
    }
    const cardId = context.activity.replyToId;
    if (cardId) await this.deps.rememberCard(result.case._id, 'requesterStatus', { conversationId: context.activity.conversation.id, activityId: cardId });
    const status = requesterStatusCard(result.case);
    if (!result.deliveryProblem) return status;
    return { ...status, body: [...status.body, ...noticeCard('Approval card not posted', result.deliveryProblem, 'attention').body] };
  }

  private async decide(actor: Person, data: Record<string, unknown>, decision: 'approved' | 'rejected'): Promise<AdaptiveCardJson> {
    const result = await this.deps.approvals.decide(actor, { caseId: data.caseId, version: data.version, decision, reason: data.rejectReason });
    if (result.kind === 'not_found') return noticeCard('Unknown case', result.message, 'attention');
    // A decision that landed has just read the clicker's account as enabled.
    const view = await this.deps.approvals.viewFor(actor, result.case, result.kind === 'decided' || undefined);
    return approvalCard(result.case, result.kind === 'unchanged' ? { ...view, notice: result.message } : view, [], { forManager: isManagerOf(actor, result.case) });
  }

  private async viewApproval(actor: Person, caseId: unknown): Promise<AdaptiveCardJson> {
    const c = await this.deps.approvals.load(caseId);
    if (!c) return noticeCard('Unknown case', 'This card refers to an offboarding case that does not exist.', 'attention');
    return approvalCard(c, await this.deps.approvals.viewFor(actor, c), [], { forManager: isManagerOf(actor, c) });
  }

  /** A verb no card of ours carries: refused, and audited when it names a real case. */
  private async unknownVerb(actor: Person, data: Record<string, unknown>, verb: unknown): Promise<AdaptiveCardInvokeResponse> {
    const shown = String(verb).slice(0, 64);
    const c = await this.deps.approvals.load(data.caseId);
    // One reason for every invented verb, the verb kept in the detail: the audit cap counts by
    // reason, so a verb per click must not buy a fresh budget.
    if (c) await this.deps.approvals.auditRefusal(c, actor, 'This card action is not supported. Nothing was changed.', { verb: shown });
    return error(400, 'UnknownVerb', `This card action is not supported: ${shown}`);
  }
}

const isManagerOf = (actor: Person, c: OffboardingCase) => actor.id.toLowerCase() === c.requiredApprovals?.manager?.id.toLowerCase();

export function actorOf(context: TurnContext): Person | null {
  const from = context.activity.from;
  if (!from?.aadObjectId) return null;
  return { id: from.aadObjectId, displayName: from.name ?? from.aadObjectId };
}

function formValues(form: Record<string, unknown>): Partial<RequestCardValues> {
  const s = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
  const flag = (k: string) => (s(k) === undefined ? undefined : s(k) === 'true');
  const oneOf = <T extends string>(k: string, allowed: readonly T[]) => allowed.find((v) => v === s(k));
  return {
    departureType: oneOf('departureType', DEPARTURE_TYPES),
    cutoffNow: s('cutoffNow') === 'true',
    cutoffDate: s('cutoffDate'),
    cutoffTime: s('cutoffTime'),
    timeZone: s('timeZone'),
    ticket: s('ticket'),
    notes: s('notes'),
    convertToShared: flag('convertToShared'),
    delegate: s('delegate'),
    delegateUntil: s('delegateUntil'),
    autoReply: flag('autoReply'),
    autoReplyInternal: s('autoReplyInternal'),
    autoReplyExternal: s('autoReplyExternal'),
    litigationHold: flag('litigationHold'),
    meetings: oneOf('meetings', ['by-departure-type', 'cancel', 'keep'] as const),
    licences: oneOf('licences', ['remove-after-conversion', 'keep'] as const),
    devices: oneOf('devices', ['retire', 'wipe', 'leave'] as const),
    filesTo: s('filesTo'),
    groupsTo: s('groupsTo'),
    externalSharing: oneOf('externalSharing', ['by-departure-type', 'report', 'remove'] as const),
  };
}

/**
 * What is said about the person before submitting (an earlier offboarding, a seat among the
 * approvers) is for the requester, not for everyone in a channel where `offboard` was @mentioned:
 * there the form only says where to read it.
 */
function shownIn(where: Conversation, warnings: string[] | undefined): string[] | undefined {
  if (!warnings?.length || where === 'personal') return warnings;
  return [PERSONAL_CHAT_ONLY];
}

/** A personal chat with the bot, or a channel or group chat others read. */
export type Conversation = 'personal' | 'shared';

export const conversationOf = (context: TurnContext): Conversation => (context.activity.conversation?.conversationType === 'personal' ? 'personal' : 'shared');

export const PERSONAL_CHAT_ONLY = 'Approvers will be told something about this person that is not shown in a channel: type the same command in a personal chat with me to read it before you submit.';
