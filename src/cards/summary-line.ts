/** The line shape the completion summary's sections share, and how their text is kept readable. */
import { escapeCardText } from './escape-text';
import type { CardColor } from './wording';

/** One line of a section: what a person reads first, and under it (subtle) why or how. */
export interface SummaryLine {
  text: string;
  color: CardColor;
  detail: string;
}

/** About three lines on a laptop: enough for the reason and what to do. */
const READABLE_CHARS = 300;

/**
 * Step details can name dozens of groups or links. The card keeps the start, cut at a word, and
 * escaped for markdown; the case record and the evidence pack keep the whole text.
 */
export function readable(text: string | undefined, max = READABLE_CHARS): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return escapeCardText(flat);
  const cut = flat.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return escapeCardText(`${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`);
}

/** At most `max` lines; past that, one line saying how many more and where to read them. */
export function capped(lines: SummaryLine[], max: number, where: string): SummaryLine[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max - 1);
  return [...kept, { text: `and ${lines.length - kept.length} more: ${where}`, color: 'default', detail: '' }];
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
