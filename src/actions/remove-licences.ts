import { guidSegment } from '../m365/odata';
import { licenceDecision } from './mailbox-decisions';
import { mailboxNeedsLicence, readLicences, type LicenceDetail, type LicenceState, type UserLicences } from './mailbox-licence';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { parseSnapshot } from './take-evidence';

interface Licence {
  skuId: string;
  name: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** What the evidence snapshot recorded before the run: group-inherited licences and SKU names. */
function before(ctx: ActionContext): { inherited: LicenceState[]; names: Map<string, string>; groups: Map<string, string> } {
  const sections = parseSnapshot(ctx.evidence)?.sections;
  const value = <T>(name: string): T | undefined => {
    const section = sections?.[name];
    return section && 'value' in section ? (section.value as T) : undefined;
  };
  const states = value<UserLicences>('profile')?.licenseAssignmentStates ?? [];
  return {
    inherited: states.filter((s) => s.assignedByGroup !== null),
    names: new Map((value<LicenceDetail[]>('licences') ?? []).map((d) => [d.skuId.toLowerCase(), d.skuPartNumber])),
    groups: new Map((value<Array<{ id: string; displayName: string }>>('memberOf') ?? []).map((g) => [g.id.toLowerCase(), g.displayName])),
  };
}

/**
 * Removes the licences assigned to the user directly (assignLicense). Group-inherited licences
 * cannot be removed that way (Graph refuses): they leave with the group membership, which the
 * membership step removed before this one; any still inherited are left for a person. A licence
 * that carries the mailbox is removed only once Exchange reads the mailbox back as shared, with no
 * hold, no archive and at most 50 GB; otherwise it stays and the step says why.
 * Permission LicenseAssignment.ReadWrite.All; Exchange (Get-Mailbox, Get-MailboxStatistics) for the check.
 */
export const removeLicences: OffboardingAction<Licence> = {
  name: 'removeLicences',
  async plan(ctx) {
    if (licenceDecision(ctx.request) === 'keep') return { changes: [], found: 'licences are kept.', stop: { status: 'skipped', reason: 'The request keeps the licences.' } };
    const now = await readLicences(ctx);
    const earlier = before(ctx);
    const name = (skuId: string) => now.names.get(skuId.toLowerCase()) ?? earlier.names.get(skuId.toLowerCase()) ?? skuId;
    const group = (id: string) => earlier.groups.get(id.toLowerCase()) ?? id;
    const assigned = now.states.filter((s) => s.assignedByGroup === null).map((s) => ({ skuId: s.skuId, name: name(s.skuId) }));
    const carriesMailbox = assigned.filter((l) => now.mailboxPlans.has(l.skuId.toLowerCase()));
    const heldBack = carriesMailbox.length > 0 ? await mailboxNeedsLicence(ctx) : undefined;
    const direct = heldBack ? assigned.filter((l) => !carriesMailbox.includes(l)) : assigned;
    const keptForMailbox = heldBack ? carriesMailbox.map((l) => `${l.name} carries the mailbox (${now.mailboxPlans.get(l.skuId.toLowerCase())}) and ${heldBack}`) : [];
    const stillInherited = now.states.filter((s) => s.assignedByGroup !== null);
    const goneWithGroup = earlier.inherited.filter((e) => !stillInherited.some((s) => same(s.skuId, e.skuId) && same(s.assignedByGroup!, e.assignedByGroup!)));
    const notes = goneWithGroup.map((s) => `${name(s.skuId)} (inherited from '${group(s.assignedByGroup!)}') was removed with that group membership.`);
    const manual = [
      ...keptForMailbox,
      ...stillInherited.map((s) => `${name(s.skuId)} is still inherited from group '${group(s.assignedByGroup!)}': remove the user from that group.`),
    ];
    return {
      changes: direct,
      manual,
      notes,
      found:
        direct.length > 0
          ? `directly assigned: ${direct.map((l) => l.name).join(', ')}.`
          : assigned.length > 0
            ? 'the only licence assigned directly carries the mailbox, which still needs it.'
            : 'no licences are assigned directly.',
    };
  },
  async apply({ graph, target }, plan) {
    await graph.send('POST', `/users/${guidSegment(target.id)}/assignLicense`, { addLicenses: [], removeLicenses: plan.changes.map((l) => l.skuId) });
    return { detail: `Removed ${plan.changes.map((l) => l.name).join(', ')}.`, failures: [] };
  },
  async verify(ctx, plan) {
    const left = (await readLicences(ctx)).states.filter((s) => s.assignedByGroup === null && plan.changes.some((l) => same(l.skuId, s.skuId)));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still assigned: ${left.map((s) => s.skuId).join(', ')}.` };
  },
};
