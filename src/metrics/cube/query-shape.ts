import { canonicalJson } from '../query-key.js';

/**
 * A Cube query with its literal values taken out: what its SQL looks like, apart from the
 * parameters. Two queries with equal `key` differ only in date range bounds, filter values,
 * row-filter values, limit or offset, so the SQL Cube built for one serves the other with new
 * parameters (see `shape-template.ts`). Anything else (members, operators, granularities, the
 * timezone, the number of values in a list, whether an offset is set) is part of the key.
 */
export interface QueryShape {
  readonly key: string;
  /** One per literal, in walk order. */
  readonly slots: readonly Slot[];
}

/**
 * `date`: a date-time bound Cube converts to UTC (date ranges, date-operator filters);
 * `value`: a filter value Cube passes as a parameter, possibly escaped for LIKE;
 * `limit` / `offset`: the row window, which Cube writes into the SQL text.
 */
export type SlotKind = 'date' | 'value' | 'limit' | 'offset';

export interface Slot {
  readonly kind: SlotKind;
  readonly value: string | number;
}

/** Cube's date operators (its `BaseFilter` converts their values as date-time bounds). */
export const DATE_OPERATORS: ReadonlySet<string> = new Set(['inDateRange', 'notInDateRange', 'onTheDate', 'beforeDate', 'beforeOrOnDate', 'afterDate', 'afterOrOnDate']);

type Options = Record<string, unknown>;
type Replace = (slot: Slot, index: number) => unknown;

/**
 * The shape of Cube query options (`toCubeQueryOptions` plus row filters). With
 * `parameterisedLimit` false (a dialect that cannot bind LIMIT), limit and offset stay in the key.
 */
export function queryShape(options: Options, parameterisedLimit: boolean): QueryShape {
  const slots: Slot[] = [];
  const shape = walk(options, parameterisedLimit, (slot) => {
    slots.push(slot);
    return `\u0000${slot.kind}`;
  });
  return { key: canonicalJson(shape), slots };
}

/** The same options with slot `i` replaced by `values[i]`; `values` follows `queryShape`'s slots. */
export function withSlotValues(options: Options, parameterisedLimit: boolean, values: readonly (string | number)[]): Options {
  return walk(options, parameterisedLimit, (_slot, i) => values[i]);
}

function walk(options: Options, parameterisedLimit: boolean, replace: Replace): Options {
  let n = 0;
  const next = (slot: Slot) => replace(slot, n++);
  const out: Options = { ...options };
  out.timeDimensions = (options.timeDimensions as Options[] | undefined)?.map((td) =>
    Array.isArray(td.dateRange) ? { ...td, dateRange: (td.dateRange as string[]).map((v) => next({ kind: 'date', value: v })) } : td,
  );
  out.filters = (options.filters as Options[] | undefined)?.map((f) => walkFilter(f, next));
  // Cube writes no OFFSET for 0, so 0 and no offset are one shape.
  const offset = typeof options.offset === 'number' && options.offset > 0 ? options.offset : undefined;
  delete out.offset;
  if (parameterisedLimit && typeof options.limit === 'number') {
    const limit = next({ kind: 'limit', value: options.limit });
    out.limit = limit;
    out.rowLimit = limit;
    if (offset !== undefined) out.offset = next({ kind: 'offset', value: offset });
  } else if (offset !== undefined) {
    out.offset = offset;
  }
  return out;
}

function walkFilter(filter: Options, next: (slot: Slot) => unknown): Options {
  if (Array.isArray(filter.and)) return { ...filter, and: (filter.and as Options[]).map((f) => walkFilter(f, next)) };
  if (Array.isArray(filter.or)) return { ...filter, or: (filter.or as Options[]).map((f) => walkFilter(f, next)) };
  if (!Array.isArray(filter.values)) return filter;
  const kind: SlotKind = DATE_OPERATORS.has(String(filter.operator)) ? 'date' : 'value';
  return { ...filter, values: (filter.values as string[]).map((v) => next({ kind, value: v })) };
}
