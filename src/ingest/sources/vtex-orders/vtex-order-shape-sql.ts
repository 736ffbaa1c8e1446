import type { JsonArrayShape, JsonObjectShape, JsonShape } from './vtex-order-shape.js';

/**
 * SQL generated from a `JsonShape`: the `json_transform` structure that parses a payload once,
 * and one expression that names the first rule the parsed value breaks.
 *
 * Every scalar is extracted as JSON text (`"abc"`, `12`, `true`), not as a typed value:
 * `json_transform` casts leniently (`"2"` becomes 2, `10.5` becomes 10), so the JSON type must stay
 * visible to be checked. DuckDB writes those texts canonically, which keeps the checks cheap
 * (the first character gives the type). Containers are structs and lists; the one thing they
 * cannot show, a container of the wrong kind (`"clientProfileData": "x"` reads as an empty
 * object), is looked up in the payload only for the rare row where all its fields came back empty.
 */

/** A step in a field path; `index` is a SQL expression for a 0-based array index. */
type PathPart = { readonly key: string } | { readonly index: string };

/** The code points `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator). */
export const JS_WHITESPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
  0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];
const TRIM_CHARS = String.fromCodePoint(...JS_WHITESPACE);

export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * The payload parsed once into a struct whose scalars are JSON texts typed VARCHAR (a JSON-typed
 * value would be compared and cast with JSON semantics: `CAST('"12"'::JSON AS DOUBLE)` is 12).
 * NULL when the payload is not a JSON object.
 *
 * Only text that starts with `{` and ends with `}` is parsed: TRY re-runs a failing chunk row by
 * row, several times slower, so text that cannot be an object (a truncated body, an HTML error
 * page) must not reach it. Malformed text between braces is rare enough to leave to TRY.
 */
export function parsePayloadSql(shape: JsonObjectShape, payload: string): string {
  const parse = `TRY(json_transform(${payload}, ${sqlString(JSON.stringify(structureOf(shape)))}))`;
  return `CAST(CASE WHEN ${bracedSql(payload)} THEN ${parse} END AS ${sqlTypeOf(shape)})`;
}

/** Text between `{` and `}`, ignoring JSON whitespace; the common shapes are checked without a regex. */
function bracedSql(payload: string): string {
  const opens = `(starts_with(${payload}, '{') OR regexp_matches(${payload}, '^[ \\t\\n\\r]*\\{'))`;
  const closes = `(ends_with(${payload}, '}') OR regexp_matches(${payload}, '\\}[ \\t\\n\\r]*$'))`;
  return `(${opens} AND ${closes})`;
}

function structureOf(shape: JsonShape): unknown {
  switch (shape.kind) {
    case 'object':
      return Object.fromEntries(Object.entries(shape.fields).map(([k, f]) => [k, structureOf(f)]));
    case 'array':
      return [structureOf(shape.element)];
    case 'string':
    case 'integer':
    case 'boolean':
      return 'JSON';
    default: {
      const _: never = shape;
      return _;
    }
  }
}

function sqlTypeOf(shape: JsonShape): string {
  switch (shape.kind) {
    case 'object':
      return `STRUCT(${Object.entries(shape.fields).map(([k, f]) => `"${k}" ${sqlTypeOf(f)}`).join(', ')})`;
    case 'array':
      return `${sqlTypeOf(shape.element)}[]`;
    case 'string':
    case 'integer':
    case 'boolean':
      return 'VARCHAR';
    default: {
      const _: never = shape;
      return _;
    }
  }
}

/** The string a JSON string text stands for. */
export function jsonStringValue(x: string): string {
  return `json_extract_string(${x}, '$')`;
}

/**
 * A JSON string text as trimmed text (JavaScript's `trim`), NULL when empty or absent. Few values
 * need trimming and `trim(x, <chars>)` is costly per call, so it runs only when the first or last
 * character is one of the whitespace characters.
 */
export function jsonTrimmedText(x: string): string {
  const s = jsonStringValue(x);
  const chars = sqlString(TRIM_CHARS);
  return `CASE WHEN contains(${chars}, ${s}[1]) OR contains(${chars}, ${s}[-1]) THEN NULLIF(trim(${s}, ${chars}), '') ELSE NULLIF(${s}, '') END`;
}

/**
 * SQL naming the first rule `parsed` (the `json_transform` result of `payload`) breaks, as
 * `path: expected …, received …` in the style of zod reasons; NULL when the payload is valid.
 * Rules are checked depth first in schema order, so the reason is deterministic.
 *
 * Two expressions come from each rule: a cheap verdict evaluated for every row, and the reason,
 * evaluated only for rows the verdict rejects. Both are built side by side below from the same
 * shape node, and a rejected row without a named rule still gets a reason (it is never staged).
 */
export function firstViolationSql(root: JsonObjectShape, parsed: string, payload: string): string {
  const gen = new ValidationSql(payload);
  const valid = `${parsed} IS NOT NULL AND ${gen.fieldsOk(root, parsed)}`;
  const reason = `CASE
    WHEN ${payload} IS NULL THEN '(root): expected object, received nothing'
    WHEN ${parsed} IS NULL THEN CASE
      WHEN json_valid(${payload}) THEN '(root): expected object, received ' || ${jsonTypeKind(`json_type(${payload})`)}
      ELSE '(root): not valid JSON' END
    ELSE ${gen.fieldsReason(root, parsed, [])}
  END`;
  return `CASE WHEN ${valid} THEN NULL ELSE coalesce(${reason}, '(root): rejected without a named rule') END`;
}

class ValidationSql {
  private depth = 0;

  constructor(private readonly payload: string) {}

  /** TRUE when `v` satisfies `shape`; never NULL inside lists (list_bool_and skips NULLs). */
  ok(shape: JsonShape, v: string, path: readonly PathPart[]): string {
    const absent = shape.nullish ? `${v} IS NULL OR ` : '';
    switch (shape.kind) {
      case 'object':
        return `CASE WHEN ${v} IS NULL THEN ${shape.nullish}
          WHEN ${allFieldsAbsent(shape, v)} AND coalesce(${this.jsonType(path)}, '') <> 'OBJECT' THEN false
          ELSE ${this.fieldsOk(shape, v, path)} END`;
      case 'array': {
        const { e, i, element } = this.element(shape, path, (el, ev, ep) => this.ok(el, ev, ep));
        return `CASE WHEN ${v} IS NULL THEN ${shape.nullish ? `coalesce(${this.jsonType(path)}, 'NULL') = 'NULL'` : 'false'}
          ELSE coalesce(list_bool_and(list_transform(${v}, lambda ${e}, ${i}: coalesce(${element}, false))), true) END`;
      }
      case 'string': {
        const checks = [`starts_with(${v}, '"')`];
        if (shape.minLength) checks.push(`${v} <> '""'`);
        if (shape.pattern) checks.push(`regexp_full_match(${jsonStringValue(v)}, ${sqlString(shape.pattern.regex.source)})`);
        return `(${absent}(${checks.join(' AND ')}))`;
      }
      case 'integer':
        return `(${absent}${integerOk(v, shape.minimum)})`;
      case 'boolean':
        return `(${absent}${v} IN ('true', 'false'))`;
      default: {
        const _: never = shape;
        return _;
      }
    }
  }

  /** The first broken rule under `v` as `path: expected …, received …`, NULL when none is. */
  reason(shape: JsonShape, v: string, path: readonly PathPart[]): string {
    switch (shape.kind) {
      case 'object':
        return `CASE WHEN ${v} IS NULL THEN ${shape.nullish ? 'NULL' : this.message(path, 'object', this.absentKind(path))}
          WHEN ${allFieldsAbsent(shape, v)} AND coalesce(${this.jsonType(path)}, '') <> 'OBJECT' THEN ${this.message(path, 'object', jsonTypeKind(this.jsonType(path)))}
          ELSE ${this.fieldsReason(shape, v, path)} END`;
      case 'array': {
        // A value that is not an array reads as absent; a nullish array asks the payload which it was.
        const notArray = this.message(path, 'array', jsonTypeKind(this.jsonType(path)));
        const absent = shape.nullish ? `CASE WHEN coalesce(${this.jsonType(path)}, 'NULL') = 'NULL' THEN NULL ELSE ${notArray} END` : notArray;
        const { e, i, element } = this.element(shape, path, (el, ev, ep) => this.reason(el, ev, ep));
        return `CASE WHEN ${v} IS NULL THEN ${absent}
          ELSE list_any_value(list_transform(${v}, lambda ${e}, ${i}: ${element})) END`;
      }
      case 'string': {
        const expected = shape.pattern ? shape.pattern.message.replace(/^expected /, '') : shape.minLength ? 'non-empty string' : 'string';
        const checks = [`WHEN NOT starts_with(${v}, '"') THEN ${this.message(path, expected, this.kindOf(v))}`];
        if (shape.minLength) checks.push(`WHEN ${v} = '""' THEN ${this.message(path, expected, sqlString('""'))}`);
        if (shape.pattern) {
          checks.push(`WHEN NOT regexp_full_match(${jsonStringValue(v)}, ${sqlString(shape.pattern.regex.source)}) THEN ${this.message(path, expected, shown(v))}`);
        }
        return this.scalarReason(shape, v, path, expected, checks);
      }
      case 'integer': {
        const expected = shape.minimum === undefined ? 'integer' : `integer ≥ ${shape.minimum}`;
        const checks = [
          `WHEN TRY_CAST(${v} AS DOUBLE) IS NULL THEN ${this.message(path, expected, this.kindOf(v))}`,
          `WHEN NOT ${integerOk(v, shape.minimum)} THEN ${this.message(path, expected, shown(v))}`,
        ];
        return this.scalarReason(shape, v, path, expected, checks);
      }
      case 'boolean':
        return this.scalarReason(shape, v, path, 'boolean', [`WHEN ${v} NOT IN ('true', 'false') THEN ${this.message(path, 'boolean', this.kindOf(v))}`]);
      default: {
        const _: never = shape;
        return _;
      }
    }
  }

  fieldsOk(shape: JsonObjectShape, v: string, path: readonly PathPart[] = []): string {
    const parts = Object.entries(shape.fields).map(([key, field]) => this.ok(field, `${v}.${key}`, [...path, { key }]));
    return parts.length === 0 ? 'true' : `(${parts.join('\n AND ')})`;
  }

  /** The first violation among an object's fields, in schema order. */
  fieldsReason(shape: JsonObjectShape, v: string, path: readonly PathPart[]): string {
    const parts = Object.entries(shape.fields).map(([key, field]) => this.reason(field, `${v}.${key}`, [...path, { key }]));
    return parts.length === 0 ? 'NULL' : parts.length === 1 ? (parts[0] as string) : `coalesce(${parts.join(',\n')})`;
  }

  /** An array's element expression, with lambda variables named by nesting depth. */
  private element(shape: JsonArrayShape, path: readonly PathPart[], of: (el: JsonShape, v: string, path: readonly PathPart[]) => string) {
    this.depth++;
    const e = `e${this.depth}`;
    const i = `i${this.depth}`;
    const element = of(shape.element, e, [...path, { index: `(${i} - 1)` }]);
    this.depth--;
    return { e, i, element };
  }

  private scalarReason(shape: JsonShape, v: string, path: readonly PathPart[], expected: string, checks: readonly string[]): string {
    const absent = shape.nullish ? 'NULL' : this.message(path, expected, this.absentKind(path));
    return `CASE WHEN ${v} IS NULL THEN ${absent} ${checks.join(' ')} END`;
  }

  private message(path: readonly PathPart[], expected: string, received: string): string {
    return `${pathTextSql(path)} || ${sqlString(`: expected ${expected}, received `)} || ${received}`;
  }

  private jsonType(path: readonly PathPart[]): string {
    return `json_type(${this.payload}, ${jsonPathSql(path)})`;
  }

  /** A present JSON text's type in zod's words. */
  private kindOf(v: string): string {
    return `CASE left(${v}, 1) WHEN '"' THEN 'string' WHEN '{' THEN 'object' WHEN '[' THEN 'array' WHEN 't' THEN 'boolean' WHEN 'f' THEN 'boolean' ELSE 'number' END`;
  }

  private absentKind(path: readonly PathPart[]): string {
    return `CASE WHEN ${this.jsonType(path)} = 'NULL' THEN 'null' ELSE 'nothing' END`;
  }
}

/** A non-object reads as an object whose fields are all absent; only then is the payload asked. */
function allFieldsAbsent(shape: JsonObjectShape, v: string): string {
  const keys = Object.keys(shape.fields);
  return keys.length === 0 ? 'true' : `(${keys.map((k) => `${v}.${k} IS NULL`).join(' AND ')})`;
}

/**
 * zod's safe-integer test. JavaScript reads every JSON number as a double, so the test on the
 * double value is exactly zod's (1.0 and 1e2 are integers; NaN and ±Infinity are not).
 */
function integerOk(v: string, minimum: number | undefined): string {
  const d = `TRY_CAST(${v} AS DOUBLE)`;
  const min = minimum === undefined ? '' : ` AND ${d} >= ${minimum}`;
  return `coalesce(${d} = trunc(${d}) AND abs(${d}) <= ${Number.MAX_SAFE_INTEGER}${min}, false)`;
}

/** The offending JSON text itself, shortened: enough to act on without copying the payload. */
function shown(v: string): string {
  return `CASE WHEN length(${v}) > 40 THEN left(${v}, 37) || '...' ELSE ${v} END`;
}

function jsonTypeKind(jsonType: string): string {
  return `CASE coalesce(${jsonType}, '') WHEN '' THEN 'nothing' WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' ELSE 'number' END`;
}

/** `items.0.quantity`, as zod prints paths. */
function pathTextSql(path: readonly PathPart[]): string {
  if (path.length === 0) return `'(root)'`;
  return joinSql(path.map((p, n) => ('key' in p ? { text: (n > 0 ? '.' : '') + p.key } : { sql: `${n > 0 ? `'.' || ` : ''}CAST(${p.index} AS VARCHAR)` })));
}

/** `$.items[0].quantity`, for `json_type`. */
function jsonPathSql(path: readonly PathPart[]): string {
  return joinSql([{ text: '$' }, ...path.map((p) => ('key' in p ? { text: `.${p.key}` } : { sql: `'[' || CAST(${p.index} AS VARCHAR) || ']'` }))]);
}

function joinSql(pieces: readonly ({ readonly text: string } | { readonly sql: string })[]): string {
  const out: string[] = [];
  let text = '';
  for (const p of pieces) {
    if ('text' in p) text += p.text;
    else {
      if (text) out.push(sqlString(text));
      text = '';
      out.push(p.sql);
    }
  }
  if (text) out.push(sqlString(text));
  return out.join(' || ');
}
