import assert from 'node:assert/strict';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { startMongoForTests } from '../support/ferretdb';
import { personalMessage } from '../support/teams-activities';

describe('with bot credentials configured (production mode, MongoDB store)', () => {
  let app: RunningApp;

  before(async () => {
    const mongo = await startMongoForTests();
    app = await startApp(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        BOT_ID: '00000000-0000-0000-0000-000000000011',
        BOT_PASSWORD: 'not-a-real-secret',
        BOT_TENANT_ID: '00000000-0000-0000-0000-000000000001',
        M365_TENANT_ID: '00000000-0000-0000-0000-000000000001',
        M365_CLIENT_ID: '00000000-0000-0000-0000-000000000012',
        M365_CLIENT_SECRET: 'not-a-real-secret',
        GRAPH_BASE_URL: 'http://127.0.0.1:9',
        SECURITY_GROUP_ID: '00000000-0000-0000-0000-000000000041',
        IT_GROUP_ID: '00000000-0000-0000-0000-000000000042',
        SECURITY_CHANNEL_ID: '19:security@thread.tacv2',
        IT_CHANNEL_ID: '19:it-operations@thread.tacv2',
        MONGODB_URI: mongo.uri,
        MONGODB_DB: `${mongo.dbName}_auth`,
      }),
      silentLogger,
    );
  });
  after(() => app?.close());

  const activity = () =>
    personalMessage('http://127.0.0.1:9/', { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-000000000020' }, 'offboard Jane');

  it('answers 401 to an activity without a Bot Framework token', async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity()) });
    assert.equal(res.status, 401);
  });

  // Offline, botbuilder cannot fetch the Bot Framework signing keys, so a forged token fails
  // closed with 500 rather than 401; either way the activity is never processed.
  it('refuses an unsigned (alg none) token', async () => {
    const forged = ['eyJhbGciOiJub25lIn0', Buffer.from(JSON.stringify({ aud: '00000000-0000-0000-0000-000000000011', iss: 'https://api.botframework.com' })).toString('base64url'), ''].join('.');
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
      body: JSON.stringify(activity()),
    });
    assert.ok(res.status === 401 || res.status === 500, `got ${res.status}`);
  });

  it('reports its mode and store on /healthz', async () => {
    const res = await fetch(`${app.url}/healthz`);
    assert.deepEqual(await res.json(), { status: 'ok', mode: 'production', store: 'mongodb', tenant: 'microsoft365' });
  });
});
