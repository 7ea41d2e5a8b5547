import type { ActionContext, ActionPolicy, GraphCalls, OffboardingAction } from '../actions/offboarding-action';
import type { ExchangeCalls } from '../m365/exchange';
import type { ActionName, OffboardingCase, PlanPreviewItem } from './case';
import { riskySignIns } from './risky-sign-ins';

export interface PreviewDeps {
  graph: GraphCalls;
  exchange: ExchangeCalls;
  actions: Record<ActionName, OffboardingAction>;
  now?: () => Date;
  actionPolicy?: ActionPolicy;
}

const MAX_LISTED = 12;

/**
 * The concrete plan, read from the tenant before anyone approves: each step's own `plan` (reads
 * only, never writes), the objects it would change, and the risks approvers should weigh.
 */
export async function previewPlan(deps: PreviewDeps, c: OffboardingCase): Promise<PlanPreviewItem[]> {
  const ctx: ActionContext = {
    graph: readOnly(deps.graph),
    exchange: deps.exchange,
    target: c.target,
    caseId: c._id,
    request: c.request,
    since: (deps.now ?? (() => new Date()))().toISOString(),
    policy: deps.actionPolicy,
  };
  const items: PlanPreviewItem[] = [];
  for (const step of c.steps) {
    if (step.action === 'takeEvidence') continue;
    try {
      const plan = await deps.actions[step.action].plan(ctx);
      const found = plan.stop ? plan.stop.reason : plan.found;
      const changes = plan.changes.map(describe).filter(Boolean).slice(0, MAX_LISTED);
      items.push({ action: step.action, found, changes, risks: risksOf(step.action, plan.changes.length, found, plan.manual ?? [], changes) });
    } catch (err) {
      items.push({ action: step.action, found: `Could not be read in advance: ${(err as Error).message}`, changes: [], risks: [] });
    }
  }
  // Risky sign-ins belong with revoking the sessions they may have opened.
  const sessions = items.find((i) => i.action === 'revokeSessions') ?? items[0];
  if (sessions) sessions.risks.push(...(await riskySignIns(ctx.graph, c.target.id)));
  return items;
}

/** Planning must never change the tenant: anything but a read is refused outright. */
function readOnly(graph: GraphCalls): GraphCalls {
  return {
    get: (path, headers) => graph.get(path, headers),
    send: async (method, path) => {
      throw new Error(`a plan preview must not ${method} ${path}`);
    },
    batch: async (calls) => {
      const write = calls.find((c) => c.method !== 'GET');
      if (write) throw new Error(`a plan preview must not ${write.method} ${write.path}`);
      return graph.batch(calls);
    },
  };
}

function describe(change: unknown): string {
  if (typeof change === 'string') return change;
  if (!change || typeof change !== 'object') return '';
  const o = change as Record<string, unknown>;
  const nested = (o.roleDefinition as { displayName?: string } | undefined)?.displayName;
  const name = o.displayName ?? o.name ?? nested ?? o.DisplayName ?? o.FriendlyName ?? o.DeviceModel ?? o.skuPartNumber;
  return typeof name === 'string' ? name : '';
}

/** `changes` are the listed names of what the step would change (at most MAX_LISTED). */
function risksOf(action: ActionName, changeCount: number, found: string, manual: string[], changes: string[]): string[] {
  const risks: string[] = [];
  // Any directory role is an admin right to take away first; the approval policy decides which
  // count as privileged (two approvers), and says so in the card's "why".
  const roles = (n: number) => (n === 1 ? 'a directory role' : `${n} directory roles`);
  if (action === 'removeDirectoryRoles' && changeCount > 0) risks.push(`Holds ${roles(changeCount)}: ${changes.join(', ')}.`);
  // Directory roles and group memberships or ownerships (PIM for Groups) alike, each named.
  if (action === 'removePimEligibility' && changeCount > 0) risks.push(`Can activate through PIM: ${changes.join(', ')}.`);
  if (action === 'removeScheduledAssignments' && changeCount > 0) risks.push(`Gets access later through PIM: ${changes.join(', ')}.`);
  if ((action === 'deleteForwardingRules' || action === 'clearMailboxForwarding') && /external/i.test(found)) {
    risks.push('Mail is forwarded outside the company.');
  }
  if (action === 'removeMobileDevices' && changeCount > 0) risks.push(`${changeCount} mobile device(s) still sync mail.`);
  if (action === 'blockSignIn' && /on-premises/i.test(found)) risks.push('Synced from on-premises Active Directory: disabling needs a person.');
  if (action === 'retireOrWipeDevices') for (const c of changes.filter((d) => d.endsWith(': wipe'))) risks.push(`Factory reset of ${c.slice(0, -': wipe'.length)}.`);
  // The step lists every owned group, "Name (sole owner: …)" for those nobody else owns.
  if (action === 'transferGroupOwnership') {
    for (const c of changes) {
      const sole = / \(sole owner: /.exec(c);
      if (sole) risks.push(`Sole owner of '${c.slice(0, sole.index)}'.`);
    }
  }
  if (action === 'grantOneDriveAccess' && /shared outside the company/i.test(found)) risks.push('OneDrive files are shared outside the company.');
  if (action === 'removeExternalSharing') {
    // The sharing step names each place 'the whole OneDrive' or "/path" (a quote cannot occur in a OneDrive name).
    const anyone = [found, ...changes].join('; ').matchAll(/(the whole OneDrive|"[^"]+"): anyone with the link/g);
    for (const place of new Set([...anyone].map((m) => m[1]))) risks.push(`Anyone with the link can open ${place}.`);
  }
  for (const m of manual) if (/sole owner/i.test(m)) risks.push(m);
  // A guest at their own address is blocked; any other they invited is for a person to weigh:
  // "Guest 'X' (address) they invited on DATE, member of …, is still enabled: what to do".
  if (action === 'containInvitedGuests') {
    for (const c of changes) risks.push(`Invited a guest at their own address: '${c}'.`);
    for (const m of manual) risks.push(upTo(m, ', is still enabled'));
  }
  // "'App': Entra does not close their account in it (why)…": the app, as a risk.
  if (action === 'flagAppAccounts') {
    for (const m of manual) risks.push(upTo(m, "': Entra does not close their account in it", (app) => `Keeps an account in ${app}' that Entra does not close.`));
  }
  // "Read the local administrator password of 'X' on DATE: what to do".
  if (action === 'flagDeviceSecretsRead') for (const m of manual) risks.push(m.startsWith('Read ') ? upTo(m, ': ') : m);
  // A secret or certificate lets the app sign in without the person: "'X' (their app) got a new
  // client secret … on DATE (key id …): what to do".
  if (action === 'removeAppOwnership') for (const m of manual) risks.push(upTo(m, ' (key id '));
  return risks;
}

/** What a person is asked to do, cut to its finding (before `marker`) for the approvers; the whole line when it has no marker. */
function upTo(line: string, marker: string, sentence = (finding: string) => `${finding}.`): string {
  const cut = line.indexOf(marker);
  return cut > 0 ? sentence(line.slice(0, cut)) : line;
}

