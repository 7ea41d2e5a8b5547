/**
 * What a person typed to the bot, once any @mention of the bot is removed: `offboard` alone asks
 * how to use it, anything the bot does not know is `unknown` (answered with help, saying so).
 */
export type Command = { kind: 'offboard'; name: string } | { kind: 'usage' } | { kind: 'help' } | { kind: 'unknown' };

export function parseCommand(text: string | undefined): Command {
  const cleaned = (text ?? '').replace(/\s+/g, ' ').trim();
  const match = /^offboard(?:\s+(.*))?$/i.exec(cleaned);
  if (match) {
    const name = (match[1] ?? '').trim();
    return name ? { kind: 'offboard', name } : { kind: 'usage' };
  }
  // An empty message (an @mention alone) is a question too: what can this bot do?
  if (cleaned === '' || /^help$/i.test(cleaned)) return { kind: 'help' };
  return { kind: 'unknown' };
}

/**
 * Sent as markdown. The placeholder is written `\<name\>` outside any code span: Teams turns
 * markdown into HTML, where a bare `<name>` would be read as a tag and dropped, and the Agents
 * Playground turns a bare `<name>` into `&lt;name&gt;` before rendering, which a code span then
 * shows literally. A backslash escape reads as `<name>` in both.
 */
export const HELP_TEXT = [
  '**Offboarding** helps you remove a leaver\'s access to Microsoft 365 safely, with security approval.',
  '',
  '- **offboard \\<name\\>**: start a request for someone who is leaving (name, email or user principal name).',
  '- **help**: this message.',
  '',
  'The target\'s manager, HR or IT can request; a member of the security approvers group approves in the Security channel; the completion summary goes to the IT channel.',
].join('\n');

export const NOT_UNDERSTOOD_TEXT = `Sorry, I didn't understand that. Here is what I can do:\n\n${HELP_TEXT}`;

/** `offboard` with no name: a hint, not a refusal. Shown on a notice card, which escapes it. */
export const OFFBOARD_USAGE = { title: 'Who is leaving?', text: 'Say who is leaving, for example: offboard Jane Doe' };
