/**
 * Master Data v1's `_where` language, parsed into a tree: `field=value`, `field<>value`,
 * `field>value`, `field<value`, `field between A AND B`, `field is null`, `field is not null`,
 * combined with `AND` / `OR` (AND binds tighter) and parentheses. Values are bare
 * (`2025-03-14T13:22:05.1234567Z`, `Maria`, `*Maria*`) or quoted with `"` or `'`.
 *
 * Anything else (`>=`, `!=`, `NOT`, `like`, a value with an unquoted space) is refused with a
 * message, because VTEX documents nothing more and a client must not come to rely on it here.
 */

export type CompareOp = '=' | '<>' | '>' | '<';

export type WhereNode =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly WhereNode[] }
  | { readonly kind: 'compare'; readonly field: string; readonly op: CompareOp; readonly value: string }
  | { readonly kind: 'between'; readonly field: string; readonly low: string; readonly high: string }
  | { readonly kind: 'null'; readonly field: string; readonly negated: boolean };

export type WhereParse = { readonly ok: true; readonly node: WhereNode } | { readonly ok: false; readonly message: string };

type Token =
  | { readonly kind: 'open' | 'close' }
  | { readonly kind: 'op'; readonly op: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string };

/** A field name, optionally one level deep (`wishlistProduct.productName`), as the docs allow. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const SUPPORTED_OPS: ReadonlySet<string> = new Set(['=', '<>', '>', '<']);
const MAX_WHERE_CHARS = 4_096;

export function parseWhere(text: string): WhereParse {
  if (text.length > MAX_WHERE_CHARS) return fail(`_where is longer than ${MAX_WHERE_CHARS} characters`);
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return fail(tokens);
  if (tokens.length === 0) return fail('_where is empty');
  const parser = new Parser(tokens);
  try {
    const node = parser.or();
    if (!parser.done()) throw new WhereSyntaxError(`unexpected ${parser.describeNext()}`);
    return { ok: true, node };
  } catch (err) {
    if (err instanceof WhereSyntaxError) return fail(err.message);
    throw err;
  }
}

function fail(message: string): WhereParse {
  return { ok: false, message: `Invalid _where: ${message}` };
}

class WhereSyntaxError extends Error {}

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i++;
    } else if (c === '<' || c === '>' || c === '=' || c === '!') {
      const two = text.slice(i, i + 2);
      const op = two === '<>' || two === '>=' || two === '<=' || two === '!=' ? two : c;
      if (!SUPPORTED_OPS.has(op)) return `operator ${op} is not supported (use =, <>, >, < or between)`;
      tokens.push({ kind: 'op', op });
      i += op.length;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return `unterminated ${c}quoted${c} value`;
      tokens.push({ kind: 'quoted', text: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()<>=!"']/.test(text[j] as string)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    return this.position >= this.tokens.length;
  }

  describeNext(): string {
    const token = this.tokens[this.position];
    if (token === undefined) return 'end of _where';
    switch (token.kind) {
      case 'open':
        return '"("';
      case 'close':
        return '")"';
      case 'op':
        return `"${token.op}"`;
      case 'word':
      case 'quoted':
        return `"${token.text}"`;
      default: {
        const unreachable: never = token;
        return String(unreachable);
      }
    }
  }

  or(): WhereNode {
    const operands = [this.and()];
    while (this.keyword('or')) operands.push(this.and());
    return operands.length === 1 ? (operands[0] as WhereNode) : { kind: 'or', operands };
  }

  private and(): WhereNode {
    const operands = [this.unary()];
    while (this.keyword('and')) operands.push(this.unary());
    return operands.length === 1 ? (operands[0] as WhereNode) : { kind: 'and', operands };
  }

  private unary(): WhereNode {
    const token = this.tokens[this.position];
    if (token?.kind === 'open') {
      this.position++;
      const inner = this.or();
      if (this.tokens[this.position]?.kind !== 'close') throw new WhereSyntaxError(`expected ")" but found ${this.describeNext()}`);
      this.position++;
      return inner;
    }
    return this.condition();
  }

  private condition(): WhereNode {
    const token = this.tokens[this.position];
    if (token?.kind !== 'word' || !FIELD_NAME.test(token.text) || isKeyword(token.text)) {
      throw new WhereSyntaxError(`expected a field name but found ${this.describeNext()}`);
    }
    this.position++;
    const field = token.text;
    const next = this.tokens[this.position];
    if (next?.kind === 'op') {
      this.position++;
      return { kind: 'compare', field, op: next.op as CompareOp, value: this.value() };
    }
    if (this.keyword('between')) {
      const low = this.value();
      if (!this.keyword('and')) throw new WhereSyntaxError(`expected AND in "${field} between" but found ${this.describeNext()}`);
      return { kind: 'between', field, low, high: this.value() };
    }
    if (this.keyword('is')) {
      const negated = this.keyword('not');
      if (!this.keyword('null')) throw new WhereSyntaxError(`expected null after "${field} is" but found ${this.describeNext()}`);
      return { kind: 'null', field, negated };
    }
    throw new WhereSyntaxError(`expected an operator after ${field} but found ${this.describeNext()}`);
  }

  private value(): string {
    const token = this.tokens[this.position];
    if (token?.kind === 'quoted' || (token?.kind === 'word' && !isKeyword(token.text))) {
      this.position++;
      return token.text;
    }
    throw new WhereSyntaxError(`expected a value but found ${this.describeNext()}`);
  }

  private keyword(word: string): boolean {
    const token = this.tokens[this.position];
    if (token?.kind === 'word' && token.text.toLowerCase() === word) {
      this.position++;
      return true;
    }
    return false;
  }
}

const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'between', 'is', 'not', 'null']);

function isKeyword(text: string): boolean {
  return KEYWORDS.has(text.toLowerCase());
}
