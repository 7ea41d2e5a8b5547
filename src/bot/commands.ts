/** What a person typed to the bot, once any @mention of the bot is removed. */
export type Command = { kind: 'offboard'; name: string } | { kind: 'help' };

export function parseCommand(text: string | undefined): Command {
  const cleaned = (text ?? '').replace(/\s+/g, ' ').trim();
  const match = /^offboard(?:\s+(.*))?$/i.exec(cleaned);
  if (match) return { kind: 'offboard', name: (match[1] ?? '').trim() };
  return { kind: 'help' };
}

export const HELP_TEXT = [
  '**Offboarding** helps you remove a leaver\'s access to Microsoft 365 safely, with security approval.',
  '',
  '- `offboard <name>`: start a request for someone who is leaving (name, email or user principal name).',
  '- `help`: this message.',
  '',
  'The target\'s manager, HR or IT can request; a member of the security approvers group approves in the Security channel; the completion summary goes to the IT channel.',
].join('\n');
