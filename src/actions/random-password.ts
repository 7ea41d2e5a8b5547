import { randomInt } from 'node:crypto';

const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!#$%&*+-=?@^_~'];
const LENGTH = 32;

/**
 * A password nobody will ever know: 32 characters from the operating system's CSPRNG, with every
 * character class Entra's complexity rule can ask for. It is used once, in the reset request.
 */
export function randomPassword(): string {
  const all = CLASSES.join('');
  const chars = CLASSES.map((set) => set[randomInt(set.length)]);
  while (chars.length < LENGTH) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
