import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import type { CardActions } from '../../src/bot/card-actions';
import type { ConversationRefs } from '../../src/bot/conversation-refs';
import { HELP_TEXT } from '../../src/bot/commands';
import { OffboardingBot } from '../../src/bot/offboarding-bot';
import type { OffboardingRequests } from '../../src/cases/offboarding-requests';
import { silentLogger } from '../../src/log';
import { texts } from '../cards/card-checks';

/** The bot's answers to typed text that starts no offboarding; nothing here reaches the directory. */
describe('what the bot answers to help, unknown text and a bare "offboard"', () => {
  const lookUps: string[] = [];
  const bot = new OffboardingBot({
    requests: { lookUp: async (_who: unknown, name: string) => { lookUps.push(name); throw new Error('no look-up expected'); } } as unknown as OffboardingRequests,
    cardActions: {} as CardActions,
    refs: { capture: async () => {} } as unknown as ConversationRefs,
    log: silentLogger,
    appId: '',
  });

  async function answersTo(text: string): Promise<Partial<Activity>[]> {
    const replies: Partial<Activity>[] = [];
    const adapter = new TestAdapter((context) => bot.run(context));
    const personal = { conversation: { id: 'personal-1', conversationType: 'personal' }, from: { id: 'user-1', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-000000000011' } };
    await adapter.send({ type: 'message', text, ...personal } as Partial<Activity>).assertReply((reply) => { replies.push(reply); }).startTest();
    return replies;
  }

  afterEach(() => assert.deepEqual(lookUps.splice(0), [], 'nobody was looked up'));

  it('help gets the help, and says nothing about not understanding', async () => {
    const [reply] = await answersTo('help');
    assert.equal(reply.text, HELP_TEXT);
  });

  it('text it does not know says so, then gives the help', async () => {
    for (const typed of ['hello', 'offboarding Jane', 'please remove Jane']) {
      const [reply] = await answersTo(typed);
      assert.match(String(reply.text), /^Sorry, I didn't understand that\./, typed);
      assert.ok(String(reply.text).endsWith(HELP_TEXT), typed);
    }
  });

  it('"offboard" with no name is a neutral hint on how to use it, not an error', async () => {
    for (const typed of ['offboard', 'OFFBOARD   ']) {
      const [reply] = await answersTo(typed);
      const card = reply.attachments?.[0]?.content as { body: { text?: string; color?: string }[] };
      assert.match(texts(card).join('\n'), /Say who is leaving, for example: offboard Jane Doe/);
      assert.ok(!texts(card).some((t) => /cannot/i.test(t)), 'not worded as a refusal');
      for (const block of card.body) assert.ok(block.color === undefined || block.color === 'default', `${block.text} is in ${block.color}`);
    }
  });
});
