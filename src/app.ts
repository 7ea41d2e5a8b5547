import { ACTIONS } from './actions/catalogue';
import { checkReadiness, logReadiness } from './actions/permission-readiness';
import { AnswersFirst } from './answers-first';
import { createAdapter } from './bot/adapter';
import { CardActions } from './bot/card-actions';
import { ConversationRefs } from './bot/conversation-refs';
import { OffboardingBot } from './bot/offboarding-bot';
import { TeamsNotifier } from './bot/teams-notifier';
import type { OffboardingCase } from './cases/case';
import { CaseOperations } from './cases/case-operations';
import { OffboardingRequests } from './cases/offboarding-requests';
import { previewPlan } from './cases/plan-preview';
import { rememberCard } from './cases/posted-cards';
import { SecurityApprovals } from './cases/security-approvals';
import type { AppConfig } from './config';
import { CaseRunner } from './engine/case-runner';
import { ServicePacers } from './engine/service-pacers';
import type { Logger } from './log';
import { entraAppToken, entraExchangeToken, simulatedTenantTokens } from './m365/access-token';
import { appDirectoryRoles } from './m365/app-directory-roles';
import { Exchange } from './m365/exchange';
import { Directory } from './m365/directory';
import { Graph } from './m365/graph';
import { createServer, listen } from './server';
import { SEED_IDS } from './sim/seed';
import { startSimTenant, type SimTenant } from './sim/server';
import { registerDashboardRoutes } from './tab/dashboard-routes';
import { TeamsTokenValidator } from './tab/tab-auth';
import type { CaseStore } from './store/case-store';
import { openCaseStore } from './store/open-store';

export interface RunningApp {
  url: string;
  store: CaseStore;
  /** The simulated tenant, in demo mode unless it runs elsewhere (SIM_URL). */
  sim?: SimTenant;
  /** Where the simulated tenant answers, in demo mode. */
  simUrl?: string;
  runner: CaseRunner;
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 5_000;
/** The longest the other copies of a card, and the start of an approved case, wait for clicks still being answered (src/answers-first.ts). */
const ANSWERS_FIRST_MAX_DELAY_MS = 3_000;
/**
 * On shutdown, how long running cases get to finish the step they are in: within the 30 s that App
 * Service and Kubernetes leave between SIGTERM and the kill.
 */
const SHUTDOWN_WAIT_MS = 20_000;

/** The composition root: config → store → Microsoft 365 → cases and engine → bot → server. */
export async function startApp(config: AppConfig, log: Logger): Promise<RunningApp> {
  const store = await openCaseStore({ mongodbUri: config.mongodb?.uri, mongodbDb: config.mongodb?.db, dataDir: config.dataDir });

  const sim = config.mode === 'demo' && !config.simUrl ? await startSimTenant({ port: config.simPort, host: '127.0.0.1' }) : undefined;
  const simUrl = config.mode === 'demo' ? (config.simUrl ?? sim!.url) : undefined;
  const tokens =
    config.mode === 'demo'
      ? simulatedTenantTokens(config.simWithheldPermissions)
      : { graph: entraAppToken({ ...config.m365, scope: 'https://graph.microsoft.com/.default' }), exchange: entraExchangeToken(config.m365) };
  const tenant = { baseUrl: config.mode === 'demo' ? simUrl! : config.m365.graphBaseUrl, tokens: tokens.graph };
  const graph = Graph.connect(tenant);
  // The engine's calls wait their turn per service; a 429 goes to those pacers, which slow that
  // service down for every case at once, rather than to each call's own retries.
  const engineGraph = Graph.connect({ ...tenant, retryThrottled: false });
  const exchange =
    config.mode === 'demo'
      ? new Exchange({ baseUrl: simUrl!, tenantId: SEED_IDS.tenant, tokens: tokens.exchange })
      : new Exchange({ baseUrl: 'https://outlook.office365.com', tenantId: config.m365.tenantId, tokens: tokens.exchange });
  const directory = new Directory(graph);

  const readiness = () =>
    checkReadiness({
      graphTokens: tokens.graph,
      exchangeTokens: tokens.exchange,
      // Steps this set-up skips need nothing granted.
      notInUse: [...(config.conditionalAccessBlockGroupId ? [] : ['addToBlockGroup']), ...(config.followUps.deleteAfterDays ? [] : ['deleteAccount'])],
      readAppRoles: (appId) => appDirectoryRoles(graph, appId),
    });

  const { adapter, appId } = createAdapter(config, log);
  const refs = new ConversationRefs(store);
  const notifier = new TeamsNotifier({
    adapter,
    appId,
    refs,
    channels: config.channels,
    // Who gets their own view of the approval card: requester, manager and security approvers.
    approvalViewers: async (c) => [c.requester.id, ...(c.target.manager ? [c.target.manager.id] : []), ...(await directory.groupMemberIds(config.policy.securityGroupId))],
    rememberCard: (caseId, which, posted) => rememberCard(store, log, caseId, which, posted),
    log,
  });
  const actionPolicy = { blockGroupId: config.conditionalAccessBlockGroupId };
  const runner = new CaseRunner({
    store,
    graph: engineGraph,
    pacers: new ServicePacers(),
    exchange,
    notifier,
    actions: ACTIONS,
    followUps: config.followUps,
    sweepConcurrency: config.casesAtOnce,
    actionPolicy,
    log,
  });
  const requests = new OffboardingRequests({
    directory,
    store,
    notifier,
    policy: config.policy,
    log,
    previewPlan: (c) => previewPlan({ graph, exchange, actions: ACTIONS, actionPolicy }, c),
  });
  const answersFirst = new AnswersFirst(ANSWERS_FIRST_MAX_DELAY_MS);
  const approvals = new SecurityApprovals({
    store,
    notifier,
    groups: directory,
    policy: config.policy,
    log,
    // Execution starts once the clicks waiting have their answers: Teams waits only ~15 s for a
    // card action, and under a burst the engine's first reads would otherwise delay the last ones.
    // After a crash in between, the engine's sweep starts the approved case instead.
    onApproved: (c) => void answersFirst.quiet().then(() => runCase(c)),
    answersWaiting: () => answersFirst.quiet(),
  });
  const runCase = (c: OffboardingCase) => void runner.execute(c._id).catch((err: Error) => log.error('case.run_failed', { caseId: c._id, error: err.message }));
  const operations = new CaseOperations({
    store,
    groups: directory,
    policy: config.policy,
    log,
    onRetried: runCase,
    onChanged: (c) => void notifier.caseChanged(c).catch((err: Error) => log.warn('card.update_failed', { caseId: c._id, error: err.message })),
  });
  const cardActions = new CardActions({
    operations,
    requests,
    approvals,
    defaultTimeZone: config.defaultTimeZone,
    rememberCard: (caseId, which, posted) => rememberCard(store, log, caseId, which, posted),
  });
  const bot = new OffboardingBot({ requests, cardActions, refs, log, appId });

  const server = createServer({
    messages: (req, res) => answersFirst.answer(() => adapter.process(req, res, (context) => bot.run(context))),
    health: async () => ({ mode: config.mode, store: config.mongodb ? 'mongodb' : 'embedded', tenant: config.mode === 'demo' ? 'simulated' : 'microsoft365' }),
    log,
  });
  registerDashboardRoutes(server, {
    mode: config.mode,
    store,
    groups: directory,
    policy: config.policy,
    tokens:
      config.mode === 'production'
        ? new TeamsTokenValidator({ tenantId: config.m365.tenantId, clientId: config.bot.appId, domain: config.botDomain })
        : undefined,
    log,
    operations,
    readiness,
  });
  const url = await listen(server, config.port, config.host);
  // Told once at start-up, without holding it up: a token from Entra ID can take a while.
  void readiness()
    .then((r) => logReadiness(r, log))
    .catch((err: Error) => log.error('readiness.check_failed', { error: err.message }));

  // One sweep at a time: under load a sweep can outlast the interval, and a second one beside it
  // only repeats its reads.
  let sweeping: Promise<unknown> | undefined;
  const sweep = () => {
    sweeping ??= Promise.all([runner.sweep(), requests.postMissingApprovalCards()])
      .catch((err: Error) => log.error('sweep.failed', { error: err.message }))
      .finally(() => (sweeping = undefined));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    url,
    store,
    sim,
    simUrl,
    runner,
    async close() {
      clearInterval(timer);
      server.close();
      await runner.stop(SHUTDOWN_WAIT_MS);
      await sweeping;
      await sim?.close();
      await store.close();
    },
  };
}
