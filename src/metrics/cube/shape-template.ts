import { isDeepStrictEqual } from 'node:util';
import type { SqlValue } from '../../warehouse/warehouse.js';
import type { Slot, SlotKind } from './query-shape.js';

/**
 * The SQL Cube built for one query shape, with a recipe for its parameters: each comes from a
 * slot of the shape (through the conversion Cube applies to it) or is a constant of the model.
 * `bindTemplate` turns a new query of the same shape into SQL + parameters without Cube.
 */
export interface ShapeTemplate {
  /** Cube's SQL, with `LIMIT ?` (`OFFSET ?`) where Cube wrote the numbers, when they are slots. */
  readonly sql: string;
  readonly params: readonly ParamSource[];
}

export type ParamSource =
  | { readonly kind: 'constant'; readonly value: SqlValue }
  | { readonly kind: 'slot'; readonly slot: number; readonly convert: Conversion };

/**
 * What Cube does to a literal before it becomes a parameter. `from`/`to`: a local date-time (or
 * date) as the start/end bound in UTC, in the dialect's format (`BaseFilter.inDbTimeZoneDateFrom`
 * / `…DateTo`); `local-from`/`local-to`: the same bounds left in local time, as Cube compares a
 * rollup's stored local days (`BaseFilter.formatFromDate` / `formatToDate`); `escape`: LIKE
 * wildcards escaped (`BaseFilter.escapeWildcardChars`).
 */
export type Conversion = 'as-is' | 'from' | 'to' | 'local-from' | 'local-to' | 'escape';

/** Cube's own conversions for one query timezone (see `QueryPlanner`'s converter cache). */
export interface SlotConverter {
  from(value: string): string;
  to(value: string): string;
  localFrom(value: string): string;
  localTo(value: string): string;
  escape(value: string): string;
}

const CONVERSIONS: Record<SlotKind, readonly Conversion[]> = {
  date: ['as-is', 'from', 'to', 'local-from', 'local-to'],
  value: ['as-is', 'escape'],
  limit: ['as-is'],
  offset: ['as-is'],
};

/** Limit and offset sentinels: numbers no model or query writes. */
const LIMIT_SENTINEL = 999_999_937;
const OFFSET_SENTINEL = 999_999_929;
/** Date sentinels are one day a year from 2101, distinct in every conversion. */
const FIRST_SENTINEL_YEAR = 2101;
const LAST_SENTINEL_YEAR = 9999;

/**
 * A distinct stand-in per slot, of the slot's type: a date for dates (Cube parses it), a string
 * with LIKE wildcards for values (so escaping shows), odd numbers for the row window. `undefined`
 * when there are more date slots than sentinel years.
 */
export function sentinelValues(slots: readonly Slot[]): (string | number)[] | undefined {
  let dates = 0;
  const out: (string | number)[] = [];
  for (const [i, slot] of slots.entries()) {
    switch (slot.kind) {
      case 'date': {
        const year = FIRST_SENTINEL_YEAR + dates++;
        if (year > LAST_SENTINEL_YEAR) return undefined;
        out.push(`${year}-01-02`);
        break;
      }
      case 'value':
        out.push(`farol_slot_${i}%`);
        break;
      case 'limit':
        out.push(LIMIT_SENTINEL);
        break;
      case 'offset':
        out.push(OFFSET_SENTINEL);
        break;
      default: {
        const never: never = slot.kind;
        throw new Error(`unknown slot kind ${String(never)}`);
      }
    }
  }
  return out;
}

export interface BuiltSql {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/**
 * The template of a shape, from Cube's SQL for the shape's sentinels and for a real query of that
 * shape. `undefined` (plan by exact query instead) unless everything lines up: the same SQL text
 * apart from the row window, no sentinel leaking into the text, every parameter traced to one
 * slot or equal in both builds, and the template reproducing the real build's parameters.
 */
export function deriveTemplate(
  slots: readonly Slot[],
  sentinels: readonly (string | number)[],
  withSentinels: BuiltSql,
  real: BuiltSql,
  convert: SlotConverter,
): ShapeTemplate | undefined {
  const limitAt = slots.findIndex((s) => s.kind === 'limit');
  const offsetAt = slots.findIndex((s) => s.kind === 'offset');
  const windowSources: ParamSource[] = [];
  let body = withSentinels.sql;
  let realBody = real.sql;
  if (limitAt >= 0) {
    const tail = (limit: unknown, offset: unknown) => ` LIMIT ${String(limit)}${offsetAt >= 0 ? ` OFFSET ${String(offset)}` : ''}`;
    const sentinelTail = tail(sentinels[limitAt], sentinels[offsetAt]);
    const realTail = tail(slots[limitAt]?.value, slots[offsetAt]?.value);
    if (!body.endsWith(sentinelTail) || !realBody.endsWith(realTail)) return undefined;
    body = body.slice(0, -sentinelTail.length);
    realBody = realBody.slice(0, -realTail.length);
    windowSources.push({ kind: 'slot', slot: limitAt, convert: 'as-is' });
    if (offsetAt >= 0) windowSources.push({ kind: 'slot', slot: offsetAt, convert: 'as-is' });
  }
  if (body !== realBody) return undefined;
  if (sentinels.some((s) => body.includes(String(s)))) return undefined;

  const traced = new Map<string, ParamSource | null>();
  for (const [slot, s] of slots.entries()) {
    for (const conversion of CONVERSIONS[s.kind]) {
      const value = String(applyConversion(conversion, sentinels[slot] as string | number, convert));
      // The same string from two sources cannot be traced: mark it, and fail if a parameter has it.
      traced.set(value, traced.has(value) ? null : { kind: 'slot', slot, convert: conversion });
    }
  }
  if (withSentinels.params.length !== real.params.length) return undefined;
  const params: ParamSource[] = [];
  for (const [i, p] of withSentinels.params.entries()) {
    const source = typeof p === 'string' || typeof p === 'number' ? traced.get(String(p)) : undefined;
    if (source === null) return undefined;
    if (source) params.push(source);
    else if (isDeepStrictEqual(p, real.params[i])) params.push({ kind: 'constant', value: p });
    else return undefined;
  }
  const template: ShapeTemplate = Object.freeze({
    sql: limitAt >= 0 ? `${body} LIMIT ?${offsetAt >= 0 ? ' OFFSET ?' : ''}` : body,
    params: Object.freeze([...params, ...windowSources]),
  });
  const expected = limitAt >= 0 ? [...real.params, slots[limitAt]?.value, ...(offsetAt >= 0 ? [slots[offsetAt]?.value] : [])] : real.params;
  return isDeepStrictEqual(bindTemplate(template, slots, convert), expected) ? template : undefined;
}

/** The parameters of `template` for a query whose shape has these `slots`. */
export function bindTemplate(template: ShapeTemplate, slots: readonly Slot[], convert: SlotConverter): SqlValue[] {
  return template.params.map((p) => {
    if (p.kind === 'constant') return p.value;
    const slot = slots[p.slot];
    if (!slot) throw new Error(`query shape has no slot ${p.slot}`);
    return applyConversion(p.convert, slot.value, convert);
  });
}

function applyConversion(conversion: Conversion, value: string | number, convert: SlotConverter): string | number {
  switch (conversion) {
    case 'as-is':
      return value;
    case 'from':
      return convert.from(String(value));
    case 'to':
      return convert.to(String(value));
    case 'local-from':
      return convert.localFrom(String(value));
    case 'local-to':
      return convert.localTo(String(value));
    case 'escape':
      return convert.escape(String(value));
    default: {
      const never: never = conversion;
      throw new Error(`unknown conversion ${String(never)}`);
    }
  }
}
