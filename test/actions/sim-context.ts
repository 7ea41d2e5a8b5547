/** Test fixture: a fresh simulated tenant, the real Graph client pointed at it, and Jane's case context. */
import type { OffboardingAction, ActionContext, ActionOutcome } from '../../src/actions/offboarding-action';
import { runAction } from '../../src/actions/run-action';
import { simulatedExchangeToken, simulatedTenantToken, type AccessTokenSource } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant, type SimTenantOptions } from '../../src/sim/server';

export interface SimContext {
  sim: SimTenant;
  ctx: ActionContext;
  run(action: OffboardingAction, overrides?: Partial<ActionContext>): Promise<ActionOutcome>;
  /**
   * Calls that could have changed the tenant (Graph writes, Exchange cmdlets other than Get-*), since the test started or since `from`.
   * A $batch only carries its sub-requests, which the sim logs on their own: it is not listed.
   */
  writes(from?: number): Array<{ method: string; path: string; cmdlet?: string }>;
}

/** The app's tokens: by default with every permission it asks for; a test may withhold some (simulatedTenantTokens). */
export interface AppTokens {
  graph: AccessTokenSource;
  exchange: AccessTokenSource;
}

export async function janeInSim(options: SimTenantOptions = {}, tokens: AppTokens = { graph: simulatedTenantToken, exchange: simulatedExchangeToken }): Promise<SimContext> {
  const sim = await startSimTenant(options);
  const graph = Graph.connect({ baseUrl: sim.url, tokens: tokens.graph, retryDelaySeconds: 0.01 });
  const exchange = new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: tokens.exchange, sleep: async () => undefined });
  const ctx: ActionContext = {
    graph,
    exchange,
    target: { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', mail: 'janed@contoso.com', manager: { id: SEED_IDS.alex, displayName: 'Alex Wilber' } },
    caseId: 'case-jane-1',
    // As the form gives it for an involuntary exit (meetings cancelled), without the cards' other choices.
    request: {
      departureType: 'involuntary',
      cutoff: 'now',
      timeZone: 'Europe/Paris',
      ticket: 'HR-1042',
      mailbox: { convertToShared: true, autoReply: true, litigationHold: false, cancelMeetings: true },
    },
    since: new Date().toISOString(),
  };
  return {
    sim,
    ctx,
    run: (action, overrides = {}) => runAction(action, { ...ctx, ...overrides }),
    writes: (from = 0) =>
      sim.calls
        .slice(from)
        .map((c) => ({ method: c.method, path: c.path, cmdlet: (c.body as { CmdletInput?: { CmdletName?: string } } | undefined)?.CmdletInput?.CmdletName }))
        .filter((c) => c.method !== 'GET' && c.path !== '/v1.0/$batch' && !c.cmdlet?.startsWith('Get-'))
        .map((c) => (c.cmdlet ? c : { method: c.method, path: c.path })),
  };
}

export const jane = () => SEED_IDS.jane;
