import type { JsonArrayShape, JsonObjectShape, JsonShape } from './vtex-order-shape.js';
import { JS_WHITESPACE } from './vtex-order-shape-sql.js';

/**
 * The BigQuery form of `vtex-order-shape-sql.ts`: SQL generated from a `JsonShape` over a payload
 * parsed once into a JSON value (`SAFE.PARSE_JSON`). There is no struct to parse into, so each
 * rule reads its value with `JSON_QUERY` (a JSON null stays a JSON `null`, an absent key is SQL
 * NULL) and asks `JSON_TYPE` ('object', 'array', 'string', 'number', 'boolean', 'null') what it is;
 * arrays are walked with `UNNEST(JSON_QUERY_ARRAY(…)) WITH OFFSET`. Only functions of the shared
 * BigQuery list are used (see src/warehouse/bigquery/CONTEXT.md), so a DuckDB-backed emulator can
 * run the text. Reasons read as the DuckDB ones: `path: expected …, received …`.
 */

/** A JSON value: `base` (a JSON expression) at the relative key path `keys` (none: `base` itself). */
interface JsonAt {
  readonly base: string;
  readonly keys: readonly string[];
}

/** A step in a field path; `index` is a SQL expression for a 0-based array offset. */
type PathPart = { readonly key: string } | { readonly index: string };

/**
 * A BigQuery string literal. BigQuery escapes with a backslash (a doubled quote is two literals),
 * and a quoted literal may not hold a raw line break.
 */
export function bqString(s: string): string {
  const escaped = s.replace(/[\\'"\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string);
  return `'${escaped}'`;
}

/**
 * A JavaScript regex as a BigQuery raw string for RE2 (DuckDB's regex engine too). `?` is spelt
 * `{0,1}` (and `(?:` as a plain group) so that the only `?` in a statement are its parameters. A
 * source that a raw literal cannot hold, or with syntax RE2 lacks, is refused when the SQL is built.
 */
export function bqRegex(re: RegExp): string {
  const refuse = (why: string) => new Error(`regex ${String(re)} cannot be sent to BigQuery as RE2: ${why}`);
  const src = re.source;
  if (re.flags !== '') throw refuse('flags');
  if (/['\n\r]/.test(src)) throw refuse('a quote or line break');
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const next = src[i + 1] ?? '';
      if (/[1-9]/.test(next)) throw refuse('a back reference');
      out += next === '?' ? '\\x{3F}' : c + next;
      i++;
    } else if (inClass) {
      out += c === '?' ? '\\x{3F}' : c;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === ']') throw refuse('an empty class');
    } else if (c === '?') {
      const prev = src[i - 1] ?? '';
      if (prev === '(') {
        if (src[i + 1] !== ':') throw refuse('a lookaround or named group');
        i++; // `(?:x)` → `(x)`: the groups are never read
      } else if (/[*+?}]/.test(prev)) throw refuse('a lazy quantifier');
      else out += '{0,1}';
    } else out += c;
  }
  return `r'${out}'`;
}

/** The code points `String.prototype.trim` removes, as an RE2 class. */
const TRIM_CLASS = `[${codePointRanges(JS_WHITESPACE).map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}]`;

function hex(c: number): string {
  return `\\x{${c.toString(16).toUpperCase()}}`;
}

/** Sorted code points as [first, last] runs of consecutive ones. */
function codePointRanges(points: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const c of [...points].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && c === last[1] + 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs;
}

/** A STRING trimmed as JavaScript's `trim` does, NULL when empty or absent. */
export function bqTrimmedText(s: string): string {
  return `NULLIF(REGEXP_REPLACE(${s}, r'^${TRIM_CLASS}+|${TRIM_CLASS}+$', ''), '')`;
}

/** `JSON_QUERY(j, '$.a.b')`: the JSON value at a key path, SQL NULL when absent. */
export function bqJsonQuery(base: string, keys: readonly string[]): string {
  return keys.length === 0 ? base : `JSON_QUERY(${base}, '$.${keys.join('.')}')`;
}

/** `JSON_VALUE(j, '$.a.b')`: a scalar's value as STRING (a JSON string unescaped), NULL when absent or JSON null. */
export function bqJsonValue(base: string, keys: readonly string[]): string {
  return `JSON_VALUE(${base}, '$${keys.map((k) => `.${k}`).join('')}')`;
}

/**
 * SQL naming the first rule the parsed payload `parsed` (JSON, NULL when `payload` is not JSON)
 * breaks, in schema order, depth first; NULL when the payload is valid. Unlike DuckDB's form there
 * is no separate cheap verdict: every row gets the reason expression, valid rows NULL.
 */
export function firstViolationSqlBigQuery(root: JsonObjectShape, parsed: string, payload: string): string {
  const gen = new BigQueryValidationSql();
  return `CASE
    WHEN ${payload} IS NULL THEN '(root): expected object, received nothing'
    WHEN ${parsed} IS NULL THEN '(root): not valid JSON'
    WHEN JSON_TYPE(${parsed}) <> 'object' THEN '(root): expected object, received ' || JSON_TYPE(${parsed})
    ELSE ${gen.fieldsReason(root, { base: parsed, keys: [] }, [])}
  END`;
}

class BigQueryValidationSql {
  private depth = 0;

  /** The first broken rule under the value `at`, NULL when none is. */
  reason(shape: JsonShape, at: JsonAt, path: readonly PathPart[]): string {
    const v = bqJsonQuery(at.base, at.keys);
    const type = `JSON_TYPE(${v})`;
    const missing = `${v} IS NULL OR ${type} = 'null'`;
    const absent = (expected: string) => (shape.nullish ? 'NULL' : message(path, expected, `IF(${v} IS NULL, 'nothing', 'null')`));
    switch (shape.kind) {
      case 'object':
        return `CASE WHEN ${missing} THEN ${absent('object')}
          WHEN ${type} <> 'object' THEN ${message(path, 'object', type)}
          ELSE ${this.fieldsReason(shape, at, path)} END`;
      case 'array':
        return `CASE WHEN ${missing} THEN ${absent('array')}
          WHEN ${type} <> 'array' THEN ${message(path, 'array', type)}
          ELSE ${this.firstElementReason(shape, v, path)} END`;
      case 'string': {
        const expected = shape.pattern ? shape.pattern.message.replace(/^expected /, '') : shape.minLength ? 'non-empty string' : 'string';
        const s = bqJsonValue(at.base, at.keys);
        const checks = [`WHEN ${type} <> 'string' THEN ${message(path, expected, type)}`];
        if (shape.minLength) checks.push(`WHEN ${s} = '' THEN ${message(path, expected, `TO_JSON_STRING(${v})`)}`);
        if (shape.pattern) checks.push(`WHEN NOT REGEXP_CONTAINS(${s}, ${bqRegex(shape.pattern.regex)}) THEN ${message(path, expected, shown(v))}`);
        return `CASE WHEN ${missing} THEN ${absent(expected)} ${checks.join(' ')} END`;
      }
      case 'integer': {
        const expected = shape.minimum === undefined ? 'integer' : `integer ≥ ${shape.minimum}`;
        return `CASE WHEN ${missing} THEN ${absent(expected)}
          WHEN ${type} <> 'number' THEN ${message(path, expected, type)}
          WHEN NOT ${bqIntegerOk(bqJsonValue(at.base, at.keys), shape.minimum)} THEN ${message(path, expected, shown(v))} END`;
      }
      case 'boolean':
        return `CASE WHEN ${missing} THEN ${absent('boolean')} WHEN ${type} <> 'boolean' THEN ${message(path, 'boolean', type)} END`;
      default: {
        const _: never = shape;
        return _;
      }
    }
  }

  /** The first violation among an object's fields, in schema order; fields are read from the same base. */
  fieldsReason(shape: JsonObjectShape, at: JsonAt, path: readonly PathPart[]): string {
    const parts = Object.entries(shape.fields).map(([key, field]) => this.reason(field, { base: at.base, keys: [...at.keys, key] }, [...path, { key }]));
    return parts.length === 0 ? 'NULL' : parts.length === 1 ? (parts[0] as string) : `COALESCE(${parts.join(',\n')})`;
  }

  /** The reason of the first element (by offset) that breaks a rule; element and offset named by depth. */
  private firstElementReason(shape: JsonArrayShape, array: string, path: readonly PathPart[]): string {
    this.depth++;
    const e = `e${this.depth}`;
    const o = `o${this.depth}`;
    const reason = this.reason(shape.element, { base: e, keys: [] }, [...path, { index: o }]);
    this.depth--;
    return `(SELECT r FROM (SELECT ${reason} AS r, ${o} FROM UNNEST(JSON_QUERY_ARRAY(${array}, '$')) AS ${e} WITH OFFSET AS ${o}) WHERE r IS NOT NULL ORDER BY ${o} LIMIT 1)`;
  }
}

/**
 * zod's safe-integer test on a JSON number's text: JavaScript reads every JSON number as a double,
 * so the test on the FLOAT64 value is exactly zod's (1.0 and 1e2 are integers). A FLOAT64 is an
 * integer when casting it to INT64 and back changes nothing (a cast that overflows is NULL).
 */
export function bqIntegerOk(text: string, minimum?: number): string {
  const d = `SAFE_CAST(${text} AS FLOAT64)`;
  const min = minimum === undefined ? '' : ` AND ${d} >= ${minimum}`;
  return `IFNULL(${d} = CAST(SAFE_CAST(${d} AS INT64) AS FLOAT64) AND ${d} BETWEEN -${Number.MAX_SAFE_INTEGER} AND ${Number.MAX_SAFE_INTEGER}${min}, false)`;
}

/** The offending JSON text itself, shortened: enough to act on without copying the payload. */
function shown(v: string): string {
  const t = `TO_JSON_STRING(${v})`;
  return `IF(LENGTH(${t}) > 40, SUBSTR(${t}, 1, 37) || '...', ${t})`;
}

function message(path: readonly PathPart[], expected: string, received: string): string {
  return `${pathTextSql(path, `: expected ${expected}, received `)} || ${received}`;
}

/** `items.0.quantity` as zod prints paths, followed by `suffix`: `'items.' || CAST(o1 AS STRING) || '.quantity…'`. */
function pathTextSql(path: readonly PathPart[], suffix: string): string {
  if (path.length === 0) return bqString(`(root)${suffix}`);
  const out: string[] = [];
  let text = '';
  path.forEach((p, n) => {
    const dot = n > 0 ? '.' : '';
    if ('key' in p) text += dot + p.key;
    else {
      text += dot;
      if (text) out.push(bqString(text));
      text = '';
      out.push(`CAST(${p.index} AS STRING)`);
    }
  });
  out.push(bqString(text + suffix));
  return out.join(' || ');
}
