import type { SqlType } from './sql-types.js';

/**
 * Engine values as PostgreSQL's text output: numeric as plain decimals (never exponent
 * notation), booleans `t`/`f`, timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]`, dates `YYYY-MM-DD`.
 * The engine gives measures as numbers and time as local ISO strings (`2025-03-14T00:00:00.000`).
 */
export function toText(value: unknown, type: SqlType): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'numeric':
      return typeof value === 'number' ? decimalText(value) : String(value);
    case 'int8':
      return typeof value === 'number' ? decimalText(Math.trunc(value)) : String(value);
    case 'float8':
      return typeof value === 'number' ? floatText(value) : String(value);
    case 'bool':
      return value === true || value === 'true' || value === 't' || value === 1 ? 't' : 'f';
    case 'date':
      return isoText(value).slice(0, 10);
    case 'timestamp':
    case 'timestamptz':
      return timestampText(value);
    case 'text':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function decimalText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // 1e+21 or 5e-7: spell the digits out, as numeric's output does.
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

function isoText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function timestampText(value: unknown): string {
  const iso = isoText(value).replace(/Z$/, '');
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?/.exec(iso);
  if (!m) return iso;
  const [, date, time = '00:00:00', frac = ''] = m;
  const fraction = frac.slice(0, 6).replace(/0+$/, '');
  return `${date} ${time.length === 5 ? `${time}:00` : time}${fraction ? `.${fraction}` : ''}`;
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** A value in PostgreSQL's binary format for `type`, from its text form (what `toText` gives). */
export function toBinary(text: string, type: SqlType): Buffer {
  switch (type) {
    case 'text':
      return Buffer.from(text, 'utf8');
    case 'bool':
      return Buffer.from([text === 't' ? 1 : 0]);
    case 'int8': {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(text));
      return b;
    }
    case 'float8': {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(Number(text));
      return b;
    }
    case 'date': {
      const b = Buffer.alloc(4);
      b.writeInt32BE(Math.round((Date.parse(`${text.slice(0, 10)}T00:00:00Z`) - PG_EPOCH_MS) / DAY_MS));
      return b;
    }
    case 'timestamp':
    case 'timestamptz': {
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(text);
      if (!m) throw new Error(`not a timestamp: ${text}`);
      const seconds = (Date.parse(`${m[1]}T${m[2]}Z`) - PG_EPOCH_MS) / 1000;
      const micros = BigInt(seconds) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0') || '0');
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(micros);
      return b;
    }
    case 'numeric':
      return numericBinary(text);
  }
}

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;

/**
 * numeric's binary form (src/backend/utils/adt/numeric.c, numeric_send): ndigits, weight, sign,
 * dscale, then base-10000 digits; the weight is the power of 10000 of the first digit.
 */
export function numericBinary(text: string): Buffer {
  const header = (ndigits: number, weight: number, sign: number, dscale: number) => {
    const b = Buffer.alloc(8 + ndigits * 2);
    b.writeInt16BE(ndigits, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(sign, 4);
    b.writeInt16BE(dscale, 6);
    return b;
  };
  if (text === 'NaN') return header(0, 0, NUMERIC_NAN, 0);
  if (text === 'Infinity') return header(0, 0, NUMERIC_PINF, 0);
  if (text === '-Infinity') return header(0, 0, NUMERIC_NINF, 0);
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const negative = m[1] === '-';
  const intPart = (m[2] ?? '').replace(/^0+/, '');
  const fracPart = m[3] ?? '';
  const dscale = fracPart.length;
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const fracPadded = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const digits = groups.slice(first, last);
  if (digits.length === 0) return header(0, 0, NUMERIC_POS, dscale);
  const b = header(digits.length, weight, negative ? NUMERIC_NEG : NUMERIC_POS, dscale);
  digits.forEach((d, i) => b.writeInt16BE(d, 8 + i * 2));
  return b;
}
