import {
  CL_FIELD_NAMES,
  CL_FIELD_SPECS,
  isClField,
  type ClAccount,
  type ClDocument,
  type CustomerRecord,
  type FieldSpec,
  type FieldValue,
} from './master-data-cl-document.js';
import type { RecordSelection } from './master-data-customers.js';
import { parseWhere, type WhereNode } from './master-data-where.js';
import { compareInstants, type VtexInstant } from './vtex-time.js';

/**
 * The query part shared by `/search` and the first `/scroll` call: `_fields`, `_where`, `_sort`
 * and simple `field=value` filters, compiled once per request against the CL field table. A
 * field the entity does not have, a value of the wrong type or a sort it cannot do is a 400, as
 * Master Data answers for a field that is not filterable.
 */

export interface MasterDataQuery extends RecordSelection {
  readonly fields: readonly (keyof ClDocument)[];
}

export type QueryParse = { readonly ok: true; readonly query: MasterDataQuery } | { readonly ok: false; readonly message: string };

/** What comes back without `_fields`: the system fields the OpenAPI's examples show. */
export const DEFAULT_FIELDS: readonly (keyof ClDocument)[] = Object.freeze(['id', 'accountId', 'accountName', 'dataEntityId'] as const);
const QUERY_PARAMS: ReadonlySet<string> = new Set(['_fields', '_where', '_sort']);
/** The account name VTEX accepts on any call (`?an=lojaexemplo`); it filters nothing. */
const IGNORED_PARAMS: ReadonlySet<string> = new Set(['an']);

type Predicate = (record: CustomerRecord) => boolean;

class QueryError extends Error {}

/** `routeParams` are the endpoint's own underscore parameters (`_size` for scroll). */
export function parseQuery(params: URLSearchParams, account: ClAccount, routeParams: ReadonlySet<string> = new Set()): QueryParse {
  try {
    const predicates: Predicate[] = [];
    const filters: string[] = [];
    const wheres: string[] = [];
    for (const [name, value] of params) {
      if (name === '_where') {
        wheres.push(value);
        const parsed = parseWhere(value);
        if (!parsed.ok) throw new QueryError(parsed.message);
        predicates.push(compile(parsed.node, account));
      } else if (name.startsWith('_')) {
        if (!QUERY_PARAMS.has(name) && !routeParams.has(name)) throw new QueryError(`Parameter ${name} is not supported`);
      } else if (!IGNORED_PARAMS.has(name)) {
        filters.push(`${name}=${value}`);
        predicates.push(compile({ kind: 'compare', field: name, op: '=', value }, account));
      }
    }
    const sort = params.get('_sort')?.trim() ?? '';
    return {
      ok: true,
      query: {
        key: JSON.stringify([wheres, filters.sort(), sort]),
        fields: parseFields(params.get('_fields')),
        matches: (record) => predicates.every((p) => p(record)),
        compare: sort === '' ? undefined : comparator(sort, account),
      },
    };
  } catch (err) {
    if (err instanceof QueryError) return { ok: false, message: err.message };
    throw err;
  }
}

function parseFields(raw: string | null): readonly (keyof ClDocument)[] {
  if (raw === null || raw.trim() === '') return DEFAULT_FIELDS;
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.includes('_all')) return CL_FIELD_NAMES;
  // Master Data leaves out a requested field a document does not have rather than failing.
  return [...new Set(names)].filter(isClField);
}

function spec(field: string): FieldSpec {
  if (!isClField(field)) throw new QueryError(`Field ${field} not found in data entity CL, or it is not filterable`);
  return CL_FIELD_SPECS[field];
}

function compile(node: WhereNode, account: ClAccount): Predicate {
  switch (node.kind) {
    case 'and': {
      const parts = node.operands.map((operand) => compile(operand, account));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = node.operands.map((operand) => compile(operand, account));
      return (r) => parts.some((p) => p(r));
    }
    case 'null': {
      const field = spec(node.field);
      if (field.kind === 'list') throw new QueryError(`Field ${node.field} is not filterable`);
      return node.negated ? (r) => field.get(r, account) !== null : (r) => field.get(r, account) === null;
    }
    case 'compare':
      return compileCompare(node.field, node.op, node.value, account);
    case 'between':
      return compileBetween(node.field, node.low, node.high, account);
    default: {
      const unreachable: never = node;
      throw new Error(`unhandled _where node ${JSON.stringify(unreachable)}`);
    }
  }
}

function compileCompare(name: string, op: '=' | '<>' | '>' | '<', value: string, account: ClAccount): Predicate {
  const field = spec(name);
  let test: (v: NonNullable<FieldValue>) => boolean;
  switch (field.kind) {
    case 'instant': {
      const at = instantValue(name, value);
      const sign = { '=': 0, '<>': 0, '>': 1, '<': -1 }[op];
      test = op === '=' || op === '<>' ? (v) => compareInstants(v as VtexInstant, at) === 0 : (v) => Math.sign(compareInstants(v as VtexInstant, at)) === sign;
      break;
    }
    case 'boolean': {
      const wanted = booleanValue(name, value);
      if (op === '>' || op === '<') throw new QueryError(`Operator ${op} does not apply to the boolean field ${name}`);
      test = (v) => v === wanted;
      break;
    }
    case 'text': {
      if (op === '>' || op === '<') {
        test = op === '>' ? (v) => (v as string) > value : (v) => (v as string) < value;
      } else if (value.includes('*')) {
        const pattern = new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 'i');
        test = (v) => pattern.test(v as string);
      } else {
        const lower = value.toLowerCase();
        test = (v) => (v as string).toLowerCase() === lower;
      }
      break;
    }
    case 'list':
      throw new QueryError(`Field ${name} is not filterable`);
    default: {
      const unreachable: never = field.kind;
      throw new Error(`unhandled field kind ${String(unreachable)}`);
    }
  }
  // A missing value equals nothing, so only `<>` matches it.
  if (op === '<>') return (r) => {
    const v = field.get(r, account);
    return v === null || !test(v);
  };
  return (r) => {
    const v = field.get(r, account);
    return v !== null && test(v);
  };
}

function compileBetween(name: string, low: string, high: string, account: ClAccount): Predicate {
  const field = spec(name);
  switch (field.kind) {
    case 'instant': {
      const from = instantValue(name, low);
      const to = instantValue(name, high);
      return (r) => {
        const v = field.get(r, account) as VtexInstant | null;
        return v !== null && compareInstants(v, from) >= 0 && compareInstants(v, to) <= 0;
      };
    }
    case 'text':
      return (r) => {
        const v = field.get(r, account) as string | null;
        return v !== null && v >= low && v <= high;
      };
    case 'boolean':
    case 'list':
      throw new QueryError(`between does not apply to the field ${name}`);
    default: {
      const unreachable: never = field.kind;
      throw new Error(`unhandled field kind ${String(unreachable)}`);
    }
  }
}

/** `field`, `field ASC` or `field DESC`; missing values last either way, ties by id so pages are stable. */
function comparator(sort: string, account: ClAccount): (a: CustomerRecord, b: CustomerRecord) => number {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(ASC|DESC))?$/i.exec(sort);
  if (match === null) throw new QueryError(`Invalid _sort "${sort}": expected "<field> ASC" or "<field> DESC"`);
  const name = match[1] as string;
  const field = spec(name);
  if (field.kind === 'list') throw new QueryError(`Field ${name} cannot be sorted`);
  const sign = match[2]?.toUpperCase() === 'DESC' ? -1 : 1;
  const byValue = (a: NonNullable<FieldValue>, b: NonNullable<FieldValue>): number => {
    switch (field.kind) {
      case 'instant':
        return compareInstants(a as VtexInstant, b as VtexInstant);
      case 'boolean':
        return Number(a) - Number(b);
      default:
        return a < b ? -1 : a > b ? 1 : 0;
    }
  };
  return (a, b) => {
    const va = field.get(a, account);
    const vb = field.get(b, account);
    let order: number;
    if (va === null || vb === null) order = va === vb ? 0 : va === null ? 1 : -1;
    else order = sign * byValue(va, vb);
    return order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}

function instantValue(field: string, value: string): VtexInstant {
  const at = parseInstant(value);
  if (at === undefined) throw new QueryError(`"${value}" is not a date for the field ${field}`);
  return at;
}

function booleanValue(field: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw new QueryError(`"${value}" is not true or false for the field ${field}`);
  return lower === 'true';
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `2001-01-01`, `2025-03-14T13:22:05Z`, `2025-03-14T13:22:05.1234567+00:00` and the like, to the
 * 100 ns tick; no zone means UTC. Undefined for anything else, impossible dates included.
 */
export function parseInstant(text: string): VtexInstant | undefined {
  const m = INSTANT.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(base);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = (m[7] ?? '').padEnd(7, '0');
  let offsetMs = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMs = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
  }
  return { ms: base + Number(fraction.slice(0, 3)) - offsetMs, sub: Number(fraction.slice(3, 7)) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
