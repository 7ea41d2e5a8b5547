/**
 * Exchange keeps an auto-reply as HTML: Set-MailboxAutoReplyConfiguration wraps plain text in
 * <html><body>…</body></html>, and Outlook stores a whole document with head and styles. Whether a
 * reply already says what the request wants is decided on the text a reader sees, not the markup.
 */

/** The request's plain text as Exchange reads it (as HTML): markup characters escaped, line breaks kept. */
export function autoReplyHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br>\n');
}

/** Runs of spaces, tabs, line breaks and non-breaking spaces read as one space. */
export const normaliseSpace = (text: string) => text.replace(/\s+/g, ' ').trim();

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  rsquo: '\u2019', lsquo: '\u2018', rdquo: '\u201d', ldquo: '\u201c', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026',
};

function decodeEntity(entity: string, name: string): string {
  if (name.startsWith('#')) {
    const code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  // An entity not listed stays as written: the texts then differ and the reply is simply set again.
  return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
}

/** Elements whose edges separate words when the message is shown. */
const BREAKING = /<\/?(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|hr)\b[^>]*>/gi;

/**
 * The text a reader sees in an auto-reply stored as HTML: comments, head, style and script dropped,
 * tags removed (block edges and line breaks read as a space), entities decoded, spaces normalised.
 */
export function autoReplyText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(BREAKING, ' ')
    .replace(/<\/?[a-z!?][^>]*>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, decodeEntity);
  return normaliseSpace(text);
}

/** Whether a stored (HTML) message says the wanted plain text. */
export const saysText = (stored: string | null | undefined, wanted: string) => autoReplyText(stored ?? '') === normaliseSpace(wanted);
