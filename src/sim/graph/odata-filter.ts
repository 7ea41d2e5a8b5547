/**
 * The $filter subset the directory supports for the offboarding bot: eq/ne/in, startswith,
 * and/or/not and parentheses, the lambda `collection/any(x:x/property eq ...)` over a collection
 * of objects, with OData string literals ('' is an escaped quote), and ge/gt/le/lt against a
 * DateTimeOffset literal, written unquoted as the logs want it (`createdDateTime ge
 * 2025-11-01T00:00:00Z`; Graph answers a quoted date with Invalid filter clause). Anything the
 * parser cannot read is rejected the way Graph does, so an unescaped quote in a name typed in
 * Teams shows up as a 400 in tests, not as a silently wrong match.
 */
import { badRequest, GraphHttpError, unknownProperty } from './errors';

export interface EntitySchema {
  typeName: string;
  resourceName: string;
  properties: readonly string[];
  filterable: readonly string[];
  /** Collection-of-objects properties that `any` may range over, with their items' schema. */
  collections?: Record<string, EntitySchema>;
  /** Properties of nested objects the service filters on, as paths ('initiatedBy/user/id'). */
  paths?: readonly string[];
}

type Literal = string | number | boolean | null;

type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'eq' | 'ne'; property: string; value: Literal }
  | { kind: 'in'; property: string; values: Literal[] }
  | { kind: 'startswith'; property: string; prefix: string }
  | { kind: 'ge' | 'gt' | 'le' | 'lt'; property: string; at: number }
  | { kind: 'any'; property: string; body: FilterNode };

interface Token {
  type: 'word' | 'string' | 'number' | 'dateTime' | 'punct';
  text: string;
  value: Literal;
  at: number;
}

export interface CompiledFilter {
  matches(entity: Record<string, unknown>): boolean;
  /** ne and not are "advanced queries": Graph wants ConsistencyLevel: eventual and $count=true. */
  advanced: boolean;
}

function syntaxError(filter: string, at: number): GraphHttpError {
  return badRequest(`Invalid filter clause: Syntax error at position ${at} in '${filter}'.`);
}

/** An OData DateTimeOffset literal: date, time, optional fraction, and Z or an offset. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/i;

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      const start = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= filter.length) throw syntaxError(filter, start);
        if (filter[i] === "'") {
          if (filter[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += filter[i++];
      }
      // A literal glued to a word (as in 'O'Brien') means a quote was not doubled.
      if (i < filter.length && /[A-Za-z0-9_']/.test(filter[i])) throw syntaxError(filter, i);
      tokens.push({ type: 'string', text, value: text, at: start });
    } else if ('(),:'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch, value: ch, at: i++ });
    } else if (DATE_TIME.test(filter.slice(i))) {
      const text = DATE_TIME.exec(filter.slice(i))![0];
      tokens.push({ type: 'dateTime', text, value: text, at: i });
      i += text.length;
    } else if (/[-0-9]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?/.exec(filter.slice(i));
      if (!match) throw syntaxError(filter, i);
      tokens.push({ type: 'number', text: match[0], value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const text = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(filter.slice(i))![0];
      const lower = text.toLowerCase();
      const value = lower === 'true' ? true : lower === 'false' ? false : lower === 'null' ? null : text;
      tokens.push({ type: 'word', text, value, at: i });
      i += text.length;
    } else {
      throw syntaxError(filter, i);
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  advanced = false;
  /** Inside a lambda: its range variable; properties are then `variable/name` of the items' schema. */
  private range: string | undefined;

  constructor(
    private readonly filter: string,
    private readonly tokens: Token[],
    private schema: EntitySchema,
  ) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw syntaxError(this.filter, 0);
    const node = this.parseOr();
    if (this.pos < this.tokens.length) throw syntaxError(this.filter, this.tokens[this.pos].at);
    return node;
  }

  private peekWord(): string | undefined {
    const token = this.tokens[this.pos];
    return token?.type === 'word' ? token.text.toLowerCase() : undefined;
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw syntaxError(this.filter, this.filter.length);
    return token;
  }

  private expectPunct(text: string): void {
    const token = this.next();
    if (token.type !== 'punct' || token.text !== text) throw syntaxError(this.filter, token.at);
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.peekWord() === 'or') {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.peekWord() === 'and') {
      this.pos++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.peekWord() === 'not') {
      this.pos++;
      this.advanced = true;
      return { kind: 'not', operand: this.parseUnary() };
    }
    const token = this.tokens[this.pos];
    if (token?.type === 'punct' && token.text === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    if (this.peekWord() === 'startswith' && this.tokens[this.pos + 1]?.text === '(') {
      this.pos += 2;
      const property = this.parseProperty();
      this.expectPunct(',');
      const prefix = this.next();
      if (prefix.type !== 'string') throw syntaxError(this.filter, prefix.at);
      this.expectPunct(')');
      return { kind: 'startswith', property, prefix: prefix.text };
    }
    const lambda = this.parseLambda();
    if (lambda) return lambda;
    return this.parseComparison();
  }

  /** `targetResources/any(t:t/id eq '...')`: true when some item of the collection matches. */
  private parseLambda(): FilterNode | undefined {
    const token = this.tokens[this.pos];
    const collection = token?.type === 'word' && this.tokens[this.pos + 1]?.text === '(' ? /^(.+)\/any$/i.exec(token.text)?.[1] : undefined;
    if (!token || collection === undefined) return undefined;
    if (this.range !== undefined) throw syntaxError(this.filter, token.at);
    const property = Object.keys(this.schema.collections ?? {}).find((p) => p.toLowerCase() === collection.toLowerCase());
    if (!property) {
      if (this.schema.properties.some((p) => p.toLowerCase() === collection.toLowerCase())) {
        throw new GraphHttpError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${collection}' of resource '${this.schema.resourceName}'.`);
      }
      throw unknownProperty(collection, this.schema.typeName);
    }
    this.pos += 2;
    const variable = this.next();
    if (variable.type !== 'word' || variable.text.includes('/')) throw syntaxError(this.filter, variable.at);
    this.expectPunct(':');
    const outer = this.schema;
    this.schema = outer.collections![property];
    this.range = variable.text;
    const body = this.parseOr();
    this.schema = outer;
    this.range = undefined;
    this.expectPunct(')');
    return { kind: 'any', property, body };
  }

  private parseComparison(): FilterNode {
    const property = this.parseProperty();
    const operator = this.next();
    const op = operator.type === 'word' ? operator.text.toLowerCase() : '';
    if (op === 'eq' || op === 'ne') {
      if (op === 'ne') this.advanced = true;
      return { kind: op, property, value: this.parseLiteral() };
    }
    if (op === 'in') {
      this.expectPunct('(');
      const values = [this.parseLiteral()];
      while (this.tokens[this.pos]?.text === ',') {
        this.pos++;
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', property, values };
    }
    if (op === 'ge' || op === 'gt' || op === 'le' || op === 'lt') {
      const literal = this.next();
      if (literal.type !== 'dateTime' || Number.isNaN(Date.parse(literal.text))) throw syntaxError(this.filter, literal.at);
      return { kind: op, property, at: Date.parse(literal.text) };
    }
    throw syntaxError(this.filter, operator.at);
  }

  private parseLiteral(): Literal {
    const token = this.next();
    if (token.type === 'string' || token.type === 'number') return token.value;
    if (token.type === 'word' && typeof token.value !== 'string') return token.value;
    throw syntaxError(this.filter, token.at);
  }

  private parseProperty(): string {
    const token = this.next();
    if (token.type !== 'word' || typeof token.value !== 'string') throw syntaxError(this.filter, token.at);
    // Inside a lambda only the range variable's properties are known here.
    if (this.range !== undefined && !token.text.startsWith(`${this.range}/`)) throw syntaxError(this.filter, token.at);
    const wanted = (this.range === undefined ? token.text : token.text.slice(this.range.length + 1)).toLowerCase();
    const path = this.schema.paths?.find((p) => p.toLowerCase() === wanted);
    if (path) return path;
    const property = this.schema.properties.find((p) => p.toLowerCase() === wanted);
    if (!property) throw unknownProperty(token.text, this.schema.typeName);
    if (!this.schema.filterable.includes(property)) {
      throw new GraphHttpError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${property}' of resource '${this.schema.resourceName}'.`,
      );
    }
    return property;
  }
}

/** A property, or a nested one by its path ('initiatedBy/user/id'); a missing step is undefined. */
function valueAt(entity: Record<string, unknown>, property: string): unknown {
  let value: unknown = entity;
  for (const step of property.split('/')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[step] : undefined;
  return value;
}

/** Directory string comparisons ignore case, as Entra ID does. */
function equal(actual: unknown, expected: Literal): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    return actual.toLowerCase() === expected.toLowerCase();
  }
  return (actual ?? null) === expected;
}

function evaluate(node: FilterNode, entity: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, entity) && evaluate(node.right, entity);
    case 'or':
      return evaluate(node.left, entity) || evaluate(node.right, entity);
    case 'not':
      return !evaluate(node.operand, entity);
    case 'eq':
      return equal(valueAt(entity, node.property), node.value);
    case 'ne':
      return !equal(valueAt(entity, node.property), node.value);
    case 'in':
      return node.values.some((v) => equal(valueAt(entity, node.property), v));
    case 'startswith': {
      const actual = valueAt(entity, node.property);
      return typeof actual === 'string' && actual.toLowerCase().startsWith(node.prefix.toLowerCase());
    }
    case 'ge':
    case 'gt':
    case 'le':
    case 'lt': {
      const actual = valueAt(entity, node.property);
      const at = typeof actual === 'string' ? Date.parse(actual) : NaN;
      if (Number.isNaN(at)) return false;
      return node.kind === 'ge' ? at >= node.at : node.kind === 'gt' ? at > node.at : node.kind === 'le' ? at <= node.at : at < node.at;
    }
    case 'any': {
      const items = valueAt(entity, node.property);
      return Array.isArray(items) && items.some((item) => typeof item === 'object' && item !== null && evaluate(node.body, item as Record<string, unknown>));
    }
  }
}

export function compileFilter(filter: string, schema: EntitySchema): CompiledFilter {
  const parser = new Parser(filter, tokenize(filter), schema);
  const root = parser.parse();
  return { matches: (entity) => evaluate(root, entity), advanced: parser.advanced };
}
