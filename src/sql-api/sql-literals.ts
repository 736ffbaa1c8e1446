import type { A_Const, Node, TypeCast } from 'libpg-query';
import { nodeKind } from './sql-parser.js';
import { positionOf, SqlError, SQLSTATE } from './sql-error.js';

/** A constant of the statement or a bound parameter, as the text the engine's filters take. */
export interface LiteralValue {
  readonly value: string | null;
  readonly location: number | undefined;
}

/** Casts a literal may carry (`'2025-01-01'::date`, `DATE '2025-01-01'`, `$1::int`): they do not change the value's text. */
const TRANSPARENT_CASTS = new Set([
  'date', 'timestamp', 'timestamptz', 'text', 'varchar', 'bpchar', 'char', 'name', 'numeric', 'int2', 'int4', 'int8', 'float4', 'float8', 'bool', 'unknown',
]);

/** Parameter values of a Bind, `$1` first; `undefined` while a statement is only being described. */
export type BoundParams = readonly (string | null)[] | undefined;

/**
 * The literal `node` stands for, or `undefined` when it is not one (a column, a function). A
 * parameter the statement uses but the Bind did not supply is 08P01, as PostgreSQL answers it.
 */
export function literalOf(node: Node, params: BoundParams): LiteralValue | undefined {
  switch (nodeKind(node)) {
    case 'A_Const':
      return constValue((node as { A_Const: A_Const }).A_Const);
    case 'ParamRef': {
      const ref = (node as { ParamRef: { number?: number; location?: number } }).ParamRef;
      const n = ref.number ?? 0;
      // Describing a statement before Bind: the value does not change the columns or the route.
      if (params === undefined) return { value: '1', location: ref.location };
      if (n < 1 || n > params.length) {
        throw new SqlError(SQLSTATE.protocolViolation, `There is no parameter $${n}: ${params.length} were bound`, { position: positionOf(ref.location) });
      }
      return { value: params[n - 1] ?? null, location: ref.location };
    }
    case 'TypeCast': {
      const cast = (node as { TypeCast: TypeCast }).TypeCast;
      const inner = cast.arg ? literalOf(cast.arg, params) : undefined;
      if (!inner) return undefined;
      const type = typeNameOf(cast);
      if (!TRANSPARENT_CASTS.has(type)) {
        throw new SqlError(SQLSTATE.featureNotSupported, `A cast to ${type} cannot be translated to a semantic query`, { position: positionOf(cast.location) });
      }
      return inner;
    }
    default:
      return undefined;
  }
}

function constValue(c: A_Const): LiteralValue {
  const location = c.location;
  if (c.isnull) return { value: null, location };
  if (c.ival) return { value: String(c.ival.ival ?? 0), location };
  if (c.fval) return { value: c.fval.fval ?? '0', location };
  if (c.boolval) return { value: c.boolval.boolval ? 'true' : 'false', location };
  if (c.sval) return { value: c.sval.sval ?? '', location };
  throw new SqlError(SQLSTATE.featureNotSupported, 'A bit-string constant cannot be translated to a semantic query', { position: positionOf(location) });
}

/** The last name of a cast's type (`pg_catalog.int4` → `int4`), lower case. */
export function typeNameOf(cast: TypeCast): string {
  const names = cast.typeName?.names ?? [];
  const last = names[names.length - 1] as { String?: { sval?: string } } | undefined;
  return (last?.String?.sval ?? '').toLowerCase();
}

/** An integer literal for LIMIT/OFFSET; `null` for `LIMIT ALL` / `LIMIT NULL`. */
export function integerOf(node: Node, params: BoundParams, clause: string): number | null {
  const lit = literalOf(node, params);
  if (!lit) throw new SqlError(SQLSTATE.featureNotSupported, `${clause} must be a constant or a parameter`);
  if (lit.value === null) return null;
  const text = lit.value.trim();
  if (!/^\d{1,15}$/.test(text)) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `${clause} must be a non-negative integer; got ${JSON.stringify(lit.value.slice(0, 40))}`, { position: positionOf(lit.location) });
  }
  return Number(text);
}

const TIMESTAMP_LITERAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/**
 * A date or timestamp literal as the engine's local `YYYY-MM-DDTHH:mm:ss.SSS`: a date is its
 * midnight (PostgreSQL compares `order_date <= '2025-03-15'` with midnight, not the whole day).
 * Fractions beyond milliseconds are cut. An offset is refused: the engine reads every date in
 * the business timezone and would silently reinterpret it.
 */
export function localTimestampOf(lit: LiteralValue, column: string): string {
  const text = (lit.value ?? '').trim();
  const m = TIMESTAMP_LITERAL.exec(text);
  if (!m) {
    const offset = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(text) ? ' (a time zone offset is not accepted: give local time in the business time zone)' : '';
    throw new SqlError(SQLSTATE.invalidDatetimeFormat, `Invalid timestamp ${JSON.stringify(text.slice(0, 60))} for column "${column}"${offset}: expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS`, { position: positionOf(lit.location) });
  }
  const [, date, h = '00', mi = '00', s = '00', frac = ''] = m;
  return `${date}T${h}:${mi}:${s}.${frac.slice(0, 3).padEnd(3, '0')}`;
}

/** Moves a local `YYYY-MM-DDTHH:mm:ss.SSS` by `ms` milliseconds (wall clock, no zone involved). */
export function shiftLocalTimestamp(local: string, ms: number): string {
  const t = Date.parse(`${local}Z`);
  if (Number.isNaN(t)) throw new SqlError(SQLSTATE.invalidDatetimeFormat, `Invalid timestamp "${local}"`);
  return new Date(t + ms).toISOString().slice(0, 23);
}
