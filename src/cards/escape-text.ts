/**
 * Text typed by people (names, notes, tickets, reasons) goes into TextBlocks and facts, which
 * Teams renders as markdown: "**Jane**", "[click](https://evil)" or "# big" would be formatted,
 * and a link could be disguised. Every card builder passes such text through here, so it shows
 * exactly as typed. Backslash escapes are CommonMark's; Teams and the Adaptive Cards renderers
 * honour them.
 */

// Characters that start or end markdown constructs anywhere in a line (emphasis, links, images,
// code, strikethrough, HTML tags and entities, tables).
const INLINE = /[\\`*_{}[\]()#<>!~|&]/g;
// Line starts that make a heading, quote, list item or rule: "# ", "> ", "- ", "+ ", "1. ".
const LINE_START = /^(\s*)([-+=]|\d+(?=[.)]))/gm;

export function escapeCardText(text: string): string {
  return text.replace(INLINE, '\\$&').replace(LINE_START, (_m, space: string, mark: string) =>
    /^\d+$/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}
