import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger, type Logger } from '../../src/log';
import { SEED_IDS } from '../../src/sim/seed';
import { ConnectorRecorder } from './connector-recorder';
import { installInTeam, postActivity, type TeamsUser } from './teams-activities';

/** The Playground team's channels: General is the IT channel, plus Security. */
export const SECURITY = '19:security@thread.tacv2';
export const IT = '19:it-operations@thread.tacv2';

/** Playground people (Teams ids as the Playground sends them) with their Entra ids in the simulated tenant. */
export const alex: TeamsUser = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: SEED_IDS.alex };
export const megan: TeamsUser = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: SEED_IDS.megan };
export const adele: TeamsUser = { id: 'user-id-2', name: 'Adele Vance', aadObjectId: SEED_IDS.adele };
export const isaiah: TeamsUser = { id: 'user-id-3', name: 'Isaiah Langer', aadObjectId: SEED_IDS.isaiah };
export const lynne: TeamsUser = { id: 'user-id-5', name: 'Lynne Robbins', aadObjectId: SEED_IDS.lynne };

export const personal = (u: TeamsUser) => ({ id: `a:personal-${u.id}`, conversationType: 'personal' });
export const securityThread = { id: SECURITY, conversationType: 'channel' };

export interface BotUnderTest {
  app: RunningApp;
  connector: ConnectorRecorder;
  stop(): Promise<void>;
}

/**
 * The real app (restify + CloudAdapter, simulated tenant, embedded store in a temp folder) with a
 * recording Bot Connector, installed in the team the way Teams announces it.
 */
export async function startBotUnderTest(log: Logger = silentLogger): Promise<BotUnderTest> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'offboarding-bot-'));
  const connector = await new ConnectorRecorder([
    { id: IT, name: 'General' },
    { id: SECURITY, name: 'Security' },
  ]).start();
  const app = await startApp(loadConfig({ PORT: '0', SIM_PORT: '0', DATA_DIR: dataDir }), log);
  const installed = await postActivity(app.url, installInTeam(connector.url, alex));
  if (installed.status !== 200) throw new Error(`installing the app in the team answered ${installed.status}`);
  return {
    app,
    connector,
    async stop() {
      await app.close();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
