import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { deleteEachIfPresent, readAll } from './graph-pages';
import type { ActionContext, GraphCalls, OffboardingAction } from './offboarding-action';

interface Consent {
  kind: 'delegated grant' | 'app role';
  id: string;
  label: string;
}

interface Grant {
  id: string;
  clientId: string;
  consentType: string;
  principalId: string | null;
  scope: string;
}

interface AppRoleAssignment {
  id: string;
  resourceDisplayName?: string;
  resourceId: string;
}

/** The app's name as the tenant knows it (its service principal), or its id when it cannot be read. */
async function appName(graph: GraphCalls, servicePrincipalId: string): Promise<string> {
  try {
    return (await graph.get<{ displayName?: string }>(`/servicePrincipals/${guidSegment(servicePrincipalId)}?$select=id,displayName`)).body.displayName ?? servicePrincipalId;
  } catch {
    return `app ${servicePrincipalId}`;
  }
}

async function readConsents({ graph, target }: ActionContext): Promise<Consent[]> {
  const user = guidSegment(target.id);
  const grants = (await readAll<Grant>(graph, `/users/${user}/oauth2PermissionGrants`)).filter(
    // Only the user's own consents; an admin consent for all users is not theirs to lose.
    (g) => g.consentType === 'Principal' && g.principalId?.toLowerCase() === user,
  );
  const roles = await readAll<AppRoleAssignment>(graph, `/users/${user}/appRoleAssignments`);
  const names = await Promise.all(grants.map((g) => appName(graph, g.clientId)));
  return [
    ...grants.map((g, i): Consent => ({ kind: 'delegated grant', id: g.id, label: `${names[i]} (${g.scope.trim()})` })),
    ...roles.map((r): Consent => ({ kind: 'app role', id: r.id, label: r.resourceDisplayName ?? r.resourceId })),
  ];
}

const pathOf = (ctx: ActionContext, c: Consent) =>
  c.kind === 'delegated grant'
    ? `/oauth2PermissionGrants/${encodeURIComponent(c.id)}`
    : `/users/${guidSegment(ctx.target.id)}/appRoleAssignments/${encodeURIComponent(c.id)}`;

/**
 * Revokes the delegated permissions the user granted to apps (which let those apps keep reading
 * mail or files with refresh tokens) and the user's app role assignments (access to enterprise apps).
 * Permissions DelegatedPermissionGrant.ReadWrite.All and AppRoleAssignment.ReadWrite.All.
 */
export const revokeAppConsents: OffboardingAction<Consent> = {
  name: 'revokeAppConsents',
  async plan(ctx) {
    const consents = await readConsents(ctx);
    return { changes: consents, found: consents.length === 0 ? 'no app consents or app role assignments.' : consents.map((c) => `${c.kind}: ${c.label}`).join('; ') };
  },
  async apply(ctx, plan) {
    // Each consent is revoked on its own, so all go through $batch; a 404 means already revoked.
    const failures = await deleteEachIfPresent(
      ctx.graph,
      plan.changes,
      (c) => pathOf(ctx, c),
      (c, err) => `Could not revoke ${c.kind} ${c.label}: ${describeError(err)}`,
    );
    return { detail: `Revoked ${plan.changes.length - failures.length} of ${plan.changes.length}: ${plan.changes.map((c) => `${c.kind} ${c.label}`).join('; ')}.`, failures };
  },
  async verify(ctx, plan) {
    const left = (await readConsents(ctx)).filter((c) => plan.changes.some((p) => p.id === c.id));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still present: ${left.map((c) => c.label).join('; ')}.` };
  },
};
