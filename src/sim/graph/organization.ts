/** The tenant itself: GET /organization, for its verified domains (who is "inside the company"). */
import type { TenantState } from '../state';
import { plainList } from './plain-list';
import type { Route } from './router';

/**
 * The sim keeps no domain list: the domains its member accounts sign in with are the verified
 * ones, the most used being the default, plus the initial <name>.onmicrosoft.com every tenant has.
 */
function verifiedDomains(state: TenantState) {
  const counts = new Map<string, number>();
  for (const user of state.users.values()) {
    const domain = user.userPrincipalName.split('@')[1]?.toLowerCase();
    if (user.userType !== 'Member' || !domain || domain.endsWith('.onmicrosoft.com')) continue;
    counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  const custom = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const initial = `${(custom[0] ?? 'tenant').split('.')[0]}.onmicrosoft.com`;
  return [
    ...custom.map((name, i) => ({ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: i === 0, isInitial: false, name, type: 'Managed' })),
    { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: custom.length === 0, isInitial: true, name: initial, type: 'Managed' },
  ];
}

export const organizationRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'organization',
    handle: (req, _params, state) => {
      const domains = verifiedDomains(state);
      const name = domains[0].name.split('.')[0];
      const organization = {
        id: state.tenantId,
        displayName: name.charAt(0).toUpperCase() + name.slice(1),
        tenantType: 'AAD',
        verifiedDomains: domains,
      };
      return plainList(req, 'organization', 'microsoft.graph.organization', [organization]);
    },
  },
];
