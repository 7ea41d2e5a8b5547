import assert from 'node:assert/strict';
import { HELP_TEXT, NOT_UNDERSTOOD_TEXT, parseCommand } from '../../src/bot/commands';

describe('commands typed to the bot', () => {
  it('reads offboard with a name, in any case and spacing', () => {
    assert.deepEqual(parseCommand('offboard Jane'), { kind: 'offboard', name: 'Jane' });
    assert.deepEqual(parseCommand('  OFFBOARD   Jane   Doe '), { kind: 'offboard', name: 'Jane Doe' });
    assert.deepEqual(parseCommand("offboard Conor O'Brien"), { kind: 'offboard', name: "Conor O'Brien" });
  });
  it('reads offboard with no name as a question on how to use it', () => {
    assert.deepEqual(parseCommand('offboard'), { kind: 'usage' });
    assert.deepEqual(parseCommand(' offboard   '), { kind: 'usage' });
  });
  it('answers help for help and for an empty message (an @mention alone)', () => {
    for (const text of ['help', 'HELP', ' help ', '', undefined]) assert.deepEqual(parseCommand(text), { kind: 'help' }, String(text));
  });
  it('tells anything else apart from help, so the bot can say it did not understand', () => {
    for (const text of ['hello', 'offboarding Jane', 'help me', 'remove Jane']) assert.deepEqual(parseCommand(text), { kind: 'unknown' }, text);
    assert.match(NOT_UNDERSTOOD_TEXT, /didn't understand/);
    assert.ok(NOT_UNDERSTOOD_TEXT.includes(HELP_TEXT));
  });

  describe('the help, as markdown', () => {
    // What the Agents Playground does to a message before rendering its markdown: a tag it does
    // not know becomes `&lt;tag&gt;`, which a code span then shows as typed: `offboard &lt;name&gt;`.
    const playgroundPreRender = (text: string) =>
      text.replace(/<\s*(\/?)\s*([a-z][a-z0-9]*)\s*(\/?)\s*>/gi, (m) => m.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    // Backslash escapes, as CommonMark reads them outside code spans.
    const shown = (text: string) => text.replace(/`/g, '').replace(/\*\*/g, '').replace(/\\(.)/g, '$1');

    it('reads "offboard <name>"', () => {
      assert.match(shown(HELP_TEXT), /offboard <name>: start a request/);
    });
    it('has no bare angle bracket, which Teams would take for an HTML tag and the Playground would double-escape', () => {
      assert.equal(playgroundPreRender(HELP_TEXT), HELP_TEXT);
      assert.doesNotMatch(HELP_TEXT, /(^|[^\\])[<>]/);
      for (const span of HELP_TEXT.match(/`[^`]*`/g) ?? []) assert.doesNotMatch(span, /[<>&\\]/, `${span}: escapes do not work in a code span`);
    });
  });
});
