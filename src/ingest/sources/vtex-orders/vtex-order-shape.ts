import type { z } from 'zod';
import { vtexOrderSchema } from '../../../transform/silver/vtex/vtex-order-schema.js';

/**
 * What a JSON value must look like, as plain data: the subset of zod that the Get-order schema
 * uses, read out of the schema itself. The SQL validation is generated from this, so the zod
 * schema stays the one place where the rules live and the two cannot drift.
 *
 * `nullish`: null and absent are both accepted. DuckDB's `json_transform` cannot tell an absent
 * key from a JSON null, so a schema that distinguishes them (`.optional()` alone, `.nullable()`
 * alone) is refused here rather than validated differently.
 */
export type JsonShape = JsonObjectShape | JsonArrayShape | JsonStringShape | JsonIntegerShape | JsonBooleanShape;

export interface JsonObjectShape {
  readonly kind: 'object';
  readonly nullish: boolean;
  /** Listed fields only: anything else in the object is ignored, as zod's default object strips it. */
  readonly fields: Readonly<Record<string, JsonShape>>;
}

export interface JsonArrayShape {
  readonly kind: 'array';
  readonly nullish: boolean;
  readonly element: JsonShape;
}

export interface JsonStringShape {
  readonly kind: 'string';
  readonly nullish: boolean;
  /** 0 or 1: SQL counts code points and JavaScript UTF-16 units, which agree only on "non-empty". */
  readonly minLength: 0 | 1;
  readonly pattern?: { readonly regex: RegExp; readonly message: string };
}

/** A JSON number that is a safe integer (zod's `.int()`), optionally bounded below. */
export interface JsonIntegerShape {
  readonly kind: 'integer';
  readonly nullish: boolean;
  readonly minimum?: number;
}

export interface JsonBooleanShape {
  readonly kind: 'boolean';
  readonly nullish: boolean;
}

/** The Get-order payload as silver validates it (from `vtexOrderSchema`). */
export const VTEX_ORDER_SHAPE: JsonObjectShape = objectShapeOf(vtexOrderSchema);

export function objectShapeOf(schema: z.core.$ZodType): JsonObjectShape {
  const shape = jsonShapeOf(schema);
  if (shape.kind !== 'object' || shape.nullish) throw new Error('(root): expected a required object schema');
  return shape;
}

/**
 * Reads a zod schema into a `JsonShape`. Throws, naming the path, on anything outside the
 * supported subset, so a schema change that SQL cannot honour fails loudly at startup and in
 * tests instead of validating differently.
 */
export function jsonShapeOf(schema: z.core.$ZodType, path = '(root)'): JsonShape {
  let optional = false;
  let nullable = false;
  let inner = schema as z.core.$ZodTypes;
  for (;;) {
    const def = inner._zod.def;
    if (def.type === 'optional') optional = true;
    else if (def.type === 'nullable') nullable = true;
    else break;
    inner = def.innerType as z.core.$ZodTypes;
  }
  if (optional !== nullable) throw new Error(`${path}: use .nullish(); SQL cannot tell an absent field from null`);
  const nullish = optional;
  const def = inner._zod.def;
  switch (def.type) {
    case 'object': {
      if (def.catchall && def.catchall._zod.def.type !== 'unknown') {
        throw new Error(`${path}: only objects that ignore unlisted fields are supported`);
      }
      noChecks(def.checks, path);
      const fields: Record<string, JsonShape> = {};
      for (const [key, field] of Object.entries(def.shape)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`${path}: field name ${JSON.stringify(key)} is not supported`);
        fields[key] = jsonShapeOf(field, path === '(root)' ? key : `${path}.${key}`);
      }
      return { kind: 'object', nullish, fields };
    }
    case 'array':
      noChecks(def.checks, path);
      return { kind: 'array', nullish, element: jsonShapeOf(def.element, `${path}.*`) };
    case 'string':
      return { kind: 'string', nullish, ...stringChecks(def.checks ?? [], path) };
    case 'number':
      return { kind: 'integer', nullish, ...numberChecks(def.checks ?? [], path) };
    case 'boolean':
      noChecks(def.checks, path);
      return { kind: 'boolean', nullish };
    default:
      throw new Error(`${path}: zod type "${def.type}" is not supported by the SQL validation`);
  }
}

function noChecks(checks: readonly unknown[] | undefined, path: string): void {
  if (checks && checks.length > 0) throw new Error(`${path}: checks on this type are not supported`);
}

function stringChecks(checks: readonly z.core.$ZodCheck<never>[], path: string): Pick<JsonStringShape, 'minLength' | 'pattern'> {
  let minLength: 0 | 1 = 0;
  let pattern: JsonStringShape['pattern'];
  for (const check of checks) {
    const def = (check as z.core.$ZodChecks)._zod.def;
    if (def.check === 'min_length' && (def.minimum === 0 || def.minimum === 1)) minLength = def.minimum;
    else if (def.check === 'string_format' && def.format === 'regex' && def.pattern && def.pattern.flags === '') {
      pattern = { regex: def.pattern, message: customMessage(def.error) ?? `expected text matching ${String(def.pattern)}` };
    } else throw new Error(`${path}: string check "${def.check}" is not supported by the SQL validation`);
  }
  return pattern ? { minLength, pattern } : { minLength };
}

function numberChecks(checks: readonly z.core.$ZodCheck<never>[], path: string): Pick<JsonIntegerShape, 'minimum'> {
  let integer = false;
  let minimum: number | undefined;
  for (const check of checks) {
    const def = (check as z.core.$ZodChecks)._zod.def;
    if (def.check === 'number_format' && def.format === 'safeint') integer = true;
    else if (def.check === 'greater_than' && def.inclusive && typeof def.value === 'number') minimum = def.value;
    else throw new Error(`${path}: number check "${def.check}" is not supported by the SQL validation`);
  }
  // Amounts are integer cents and counts are integers; a fractional number is never valid here.
  if (!integer) throw new Error(`${path}: only integer numbers (.int()) are supported`);
  return minimum === undefined ? {} : { minimum };
}

/** The message given to a check (`.regex(re, 'expected …')`), when it is a fixed text. */
function customMessage(error: z.core.$ZodErrorMap<never> | undefined): string | undefined {
  if (!error) return undefined;
  const out = error(undefined as never);
  if (typeof out === 'string') return out;
  return out && typeof out === 'object' && typeof out.message === 'string' ? out.message : undefined;
}
