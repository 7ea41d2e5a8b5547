/**
 * Directory $search as Graph documents it: `"property:text"` clauses joined by upper-case AND/OR
 * with parentheses. displayName and description are tokenized (words split on spaces, symbols,
 * digits and lower-to-upper case changes; each search token must be a prefix of some value
 * token); every other property falls back to a case-insensitive startsWith.
 */
import { badRequest, GraphHttpError, unknownProperty } from './errors';
import type { EntitySchema } from './odata-filter';

const TOKENIZED = new Set(['displayName', 'description']);

type SearchNode =
  | { kind: 'AND' | 'OR'; left: SearchNode; right: SearchNode }
  | { kind: 'clause'; property: string; text: string };

function searchSyntaxError(search: string, at: number): GraphHttpError {
  return badRequest(`Syntax error: character '${search[at] ?? ''}' is not valid at position ${at} in '${search}'.`);
}

/** Splits text into search tokens; words joined only by symbols also count as one token. */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const chunk of text.split(/\s+/).filter(Boolean)) {
    // Letter runs, digit runs and single symbols; letter runs then split only where a lower-case
    // letter is followed by an upper-case one (Graph keeps "HELLOworld" as one token).
    for (const run of chunk.match(/\p{L}+|\p{N}+|[^\p{L}\p{N}]/gu) ?? []) {
      tokens.push(...run.split(/(?<=\p{Ll})(?=\p{Lu})/u).map((p) => p.toLowerCase()));
    }
    const joined = chunk.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
    if (joined && !tokens.includes(joined)) tokens.push(joined);
  }
  return tokens;
}

class SearchParser {
  private pos = 0;

  constructor(
    private readonly search: string,
    private readonly schema: EntitySchema,
  ) {}

  parse(): SearchNode {
    const node = this.parseExpression();
    this.skipSpace();
    if (this.pos < this.search.length) throw searchSyntaxError(this.search, this.pos);
    return node;
  }

  private skipSpace(): void {
    while (this.search[this.pos] === ' ') this.pos++;
  }

  private parseExpression(): SearchNode {
    let left = this.parseTerm();
    for (;;) {
      this.skipSpace();
      const operator = /^(AND|OR)\s/.exec(this.search.slice(this.pos));
      if (!operator) return left;
      this.pos += operator[1].length;
      left = { kind: operator[1] as 'AND' | 'OR', left, right: this.parseTerm() };
    }
  }

  private parseTerm(): SearchNode {
    this.skipSpace();
    if (this.search[this.pos] === '(') {
      this.pos++;
      const inner = this.parseExpression();
      this.skipSpace();
      if (this.search[this.pos] !== ')') throw searchSyntaxError(this.search, this.pos);
      this.pos++;
      return inner;
    }
    if (this.search[this.pos] !== '"') throw searchSyntaxError(this.search, this.pos);
    const start = this.pos++;
    let body = '';
    while (this.search[this.pos] !== '"') {
      if (this.pos >= this.search.length) throw searchSyntaxError(this.search, start);
      if (this.search[this.pos] === '\\') this.pos++;
      body += this.search[this.pos++];
    }
    this.pos++;
    const colon = body.indexOf(':');
    if (colon <= 0) {
      throw new GraphHttpError(
        400,
        'Request_UnsupportedQuery',
        `Invalid $search clause '${body}': the property name must be specified as "property:text".`,
      );
    }
    const wanted = body.slice(0, colon).trim().toLowerCase();
    const property = this.schema.properties.find((p) => p.toLowerCase() === wanted);
    if (!property) throw unknownProperty(body.slice(0, colon).trim(), this.schema.typeName);
    return { kind: 'clause', property, text: body.slice(colon + 1) };
  }
}

function clauseMatches(property: string, text: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (!TOKENIZED.has(property)) return value.toLowerCase().startsWith(text.toLowerCase());
  const valueTokens = searchTokens(value);
  const wanted = searchTokens(text);
  return wanted.length > 0 && wanted.every((w) => valueTokens.some((v) => v.startsWith(w)));
}

function evaluate(node: SearchNode, entity: Record<string, unknown>): boolean {
  if (node.kind === 'clause') return clauseMatches(node.property, node.text, entity[node.property]);
  return node.kind === 'AND'
    ? evaluate(node.left, entity) && evaluate(node.right, entity)
    : evaluate(node.left, entity) || evaluate(node.right, entity);
}

export function compileSearch(search: string, schema: EntitySchema): (entity: Record<string, unknown>) => boolean {
  const root = new SearchParser(search.trim(), schema).parse();
  return (entity) => evaluate(root, entity);
}
