import assert from 'node:assert/strict';
import { parseCommand } from '../../src/bot/commands';

describe('commands typed to the bot', () => {
  it('reads offboard with a name, in any case and spacing', () => {
    assert.deepEqual(parseCommand('offboard Jane'), { kind: 'offboard', name: 'Jane' });
    assert.deepEqual(parseCommand('  OFFBOARD   Jane   Doe '), { kind: 'offboard', name: 'Jane Doe' });
    assert.deepEqual(parseCommand("offboard Conor O'Brien"), { kind: 'offboard', name: "Conor O'Brien" });
  });
  it('keeps an empty name so the bot can ask for one', () => {
    assert.deepEqual(parseCommand('offboard'), { kind: 'offboard', name: '' });
  });
  it('answers help for help and for anything else', () => {
    for (const text of ['help', 'hello', '', undefined, 'offboarding Jane']) assert.deepEqual(parseCommand(text), { kind: 'help' });
  });
});
