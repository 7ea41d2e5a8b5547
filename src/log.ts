/**
 * Structured logs: one JSON line per event. Callers pass ids and outcomes, never secrets; as a
 * second line of defence, values under secret-looking keys are redacted at any depth, and
 * secret-looking parts of strings (bearer tokens, client_secret=…) are masked.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export const REDACTED = '[redacted]';
const SECRET_KEY = /passw(or)?d|pwd|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|private[-_]?key|signature/i;
const SECRET_IN_TEXT: [RegExp, string][] = [
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b(client_secret|password|access_token|refresh_token|id_token|assertion)=[^&\s"']+/gi, `$1=${REDACTED}`],
];
const MAX_DEPTH = 8;

export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return SECRET_IN_TEXT.reduce((text, [pattern, mask]) => text.replace(pattern, mask), value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1, seen) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : redact(inner, depth + 1, seen);
  return out;
}

export function createLogger(minLevel: Level = 'info', write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const emit = (level: Level) => (event: string, fields: Record<string, unknown> = {}) => {
    if (order[level] < order[minLevel]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...(redact(fields) as Record<string, unknown>) }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
