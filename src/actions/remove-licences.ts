import { guidSegment } from '../m365/odata';
import type { ActionContext, OffboardingAction } from './offboarding-action';
import { parseSnapshot } from './take-evidence';

interface LicenceState {
  skuId: string;
  assignedByGroup: string | null;
}

interface UserLicences {
  licenseAssignmentStates?: LicenceState[];
}

interface LicenceDetail {
  skuId: string;
  skuPartNumber: string;
}

interface Licence {
  skuId: string;
  name: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function readLicences(ctx: ActionContext): Promise<{ states: LicenceState[]; names: Map<string, string> }> {
  const user = `/users/${guidSegment(ctx.target.id)}`;
  const states = (await ctx.graph.get<UserLicences>(`${user}?$select=licenseAssignmentStates`)).body.licenseAssignmentStates ?? [];
  const details = (await ctx.graph.get<{ value: LicenceDetail[] }>(`${user}/licenseDetails`)).body.value;
  return { states, names: new Map(details.map((d) => [d.skuId.toLowerCase(), d.skuPartNumber])) };
}

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
 * membership step removed before this one; any still inherited are left for a person.
 * Permission LicenseAssignment.ReadWrite.All.
 */
export const removeLicences: OffboardingAction<Licence> = {
  name: 'removeLicences',
  async plan(ctx) {
    const now = await readLicences(ctx);
    const earlier = before(ctx);
    const name = (skuId: string) => now.names.get(skuId.toLowerCase()) ?? earlier.names.get(skuId.toLowerCase()) ?? skuId;
    const group = (id: string) => earlier.groups.get(id.toLowerCase()) ?? id;
    const direct = now.states.filter((s) => s.assignedByGroup === null).map((s) => ({ skuId: s.skuId, name: name(s.skuId) }));
    const stillInherited = now.states.filter((s) => s.assignedByGroup !== null);
    const goneWithGroup = earlier.inherited.filter((e) => !stillInherited.some((s) => same(s.skuId, e.skuId) && same(s.assignedByGroup!, e.assignedByGroup!)));
    const notes = goneWithGroup.map((s) => `${name(s.skuId)} (inherited from '${group(s.assignedByGroup!)}') was removed with that group membership.`);
    const manual = stillInherited.map((s) => `${name(s.skuId)} is still inherited from group '${group(s.assignedByGroup!)}': remove the user from that group.`);
    return {
      changes: direct,
      manual,
      notes,
      found: direct.length === 0 ? 'no licences are assigned directly.' : `directly assigned: ${direct.map((l) => l.name).join(', ')}.`,
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
