import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { ConversationRefs } from '../../src/bot/conversation-refs';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { channelMention, personalMessage, type TeamsUser } from '../support/teams-activities';

const megan: TeamsUser = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-000000000031' };
const SERVICE = 'https://smba.trafficmanager.net/emea/';

describe('conversation references', () => {
  let dir: string;
  let store: EmbeddedCaseStore;
  let writes: string[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'refs-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    writes = [];
    const save = store.saveConversationRef.bind(store);
    store.saveConversationRef = (key, ref) => {
      writes.push(key);
      return save(key, ref);
    };
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores what a click in a channel teaches once, and does not write it again on the next click', async () => {
    const refs = new ConversationRefs(store);
    await refs.capture(channelMention(SERVICE, megan, '19:security@thread.tacv2', 'approve') as unknown as Activity);
    assert.deepEqual(writes.sort(), ['channel:19:security@thread.tacv2', `mri:${megan.aadObjectId}`, 'tenant:latest']);
    writes = [];
    // Another activity in the same channel: a new activity id, nothing else new.
    await refs.capture(channelMention(SERVICE, megan, '19:security@thread.tacv2', 'approve again') as unknown as Activity);
    assert.deepEqual(writes, []);
    assert.equal((await refs.forChannel('19:security@thread.tacv2'))?.conversation?.id, '19:security@thread.tacv2', 'the channel is still reachable');
  });

  it('writes again what changed: the service URL Teams gives', async () => {
    const refs = new ConversationRefs(store);
    await refs.capture(personalMessage(SERVICE, megan, 'hello') as unknown as Activity);
    writes = [];
    await refs.capture(personalMessage('https://smba.trafficmanager.net/amer/', megan, 'hello') as unknown as Activity);
    assert.ok(writes.includes(`user:${megan.aadObjectId}`) && writes.includes('tenant:latest'), writes.join());
    const stored = await store.getConversationRef(`user:${megan.aadObjectId}`);
    assert.equal(stored!.reference.serviceUrl, 'https://smba.trafficmanager.net/amer/');
  });
});
