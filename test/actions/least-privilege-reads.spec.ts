/**
 * The reads the app makes outside the steps (finding the person, deciding who may approve,
 * counting approvals, naming apps, its own roles...), held to a tenant that enforces permissions:
 * with each permission the app asks for withheld in turn, and each need the app declares withheld
 * whole (every permission that meets it, the broader ones too), the reads the tenant refuses must be
 * exactly the ones the readiness check named beforehand. The steps are held to the same in
 * least-privilege.spec.ts.
 */
import assert from 'node:assert/strict';
import { checkReadiness } from '../../src/actions/permission-readiness';
import { APP_READ_PERMISSIONS, FOLLOW_UP_PERMISSIONS, GRAPH_PERMISSIONS_TO_GRANT, STEP_PERMISSIONS, type AppReadName } from '../../src/actions/required-permissions';
import { riskySignIns } from '../../src/cases/risky-sign-ins';
import { simulatedTenantTokens } from '../../src/m365/access-token';
import { appDirectoryRoles } from '../../src/m365/app-directory-roles';
import { Directory } from '../../src/m365/directory';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

interface Reader {
  graph: Graph;
  directory: Directory;
}

/** Each read as the app makes it; a Record, so a new read cannot be left out of this test. */
const APP_READS: Record<AppReadName, (r: Reader) => Promise<unknown>> = {
  findPerson: async ({ directory }) => {
    await directory.findPeople('Jane');
    await directory.getUser(SEED_IDS.jane);
  },
  whoMayDecide: ({ directory }) => Promise.all([directory.isMemberOf(SEED_IDS.megan, SEED_IDS.securityGroup), directory.isAccountEnabled(SEED_IDS.megan)]),
  approvalsNeeded: ({ directory }) => directory.directoryRoleIdsOf(SEED_IDS.jane),
  approvalViewers: ({ directory }) => directory.groupMemberIds(SEED_IDS.securityGroup),
  // Swallows a refusal (the plan then shows no risk flag): the tenant's log tells.
  riskySignIns: ({ graph }) => riskySignIns(graph, SEED_IDS.jane),
  // The read revokeAppConsents makes to name an app (it too falls back to the id when refused).
  appNames: ({ graph }) => graph.get(`/servicePrincipals/${SEED_IDS.offboardingAppPrincipal}?$select=id,displayName`),
  ownRoles: ({ graph }) => appDirectoryRoles(graph, SEED_IDS.offboardingApp),
};

/** The reads the tenant refused (401 or 403 on any of their calls), each run on its own. */
async function refusedReads(sim: SimTenant, reader: Reader): Promise<string[]> {
  const refused: string[] = [];
  for (const [name, read] of Object.entries(APP_READS)) {
    const from = sim.calls.length;
    await read(reader).catch(() => undefined);
    if (sim.calls.slice(from).some((c) => c.status === 401 || c.status === 403)) refused.push(name);
  }
  return refused.sort();
}

describe("least privilege: the app's own reads, each permission withheld on a tenant that enforces permissions", function () {
  this.timeout(20_000);

  // Every need the app declares anywhere, withheld whole: a read that needs more than it declares is refused without being named.
  const everyNeed = [...Object.values(STEP_PERMISSIONS), ...Object.values(FOLLOW_UP_PERMISSIONS), ...Object.values(APP_READ_PERMISSIONS)];
  const withheldSets = [[], ...GRAPH_PERMISSIONS_TO_GRANT.map((p) => [p]), ...everyNeed.flatMap((need) => need.graph.map((anyOf) => [...anyOf]))];
  const distinct = [...new Map(withheldSets.map((set) => [set.join(', '), set])).values()];

  for (const withheld of distinct) {
    const title = withheld.length === 0 ? 'with everything granted, no read is refused' : `without ${withheld.join(', ')}: the reads refused are the ones the readiness check named`;
    it(title, async () => {
      const tokens = simulatedTenantTokens(withheld);
      const sim = await startSimTenant();
      try {
        const graph = Graph.connect({ baseUrl: sim.url, tokens: tokens.graph, maxRetries: 0 });
        const readiness = await checkReadiness({ graphTokens: tokens.graph, exchangeTokens: tokens.exchange, readAppRoles: (appId) => appDirectoryRoles(graph, appId) });
        const named = readiness.missing.filter((m) => m.kind === 'read').map((m) => m.step).sort();
        assert.deepEqual(await refusedReads(sim, { graph, directory: new Directory(graph) }), named);
      } finally {
        await sim.close();
      }
    });
  }
});
