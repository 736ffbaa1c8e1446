import { describe, expect, it } from 'vitest';
import { numericBinary, toBinary, toText } from './value-encoding.js';
import { parseLikePattern } from './filter-translator.js';

describe('text encoding', () => {
  it('writes numbers as plain decimals and time as PostgreSQL text', () => {
    expect(toText(405.1, 'numeric')).toBe('405.1');
    expect(toText(1e21, 'numeric')).toBe('1000000000000000000000');
    expect(toText(5e-7, 'numeric')).toBe('0.0000005');
    expect(toText(3, 'int8')).toBe('3');
    expect(toText(0.5, 'float8')).toBe('0.5');
    expect(toText(true, 'bool')).toBe('t');
    expect(toText('false', 'bool')).toBe('f');
    expect(toText('2025-03-14T00:00:00.000', 'timestamp')).toBe('2025-03-14 00:00:00');
    expect(toText('2025-03-14T10:20:30.120', 'timestamp')).toBe('2025-03-14 10:20:30.12');
    expect(toText('2025-03-14T10:20:30.000', 'date')).toBe('2025-03-14');
    expect(toText(null, 'text')).toBeNull();
  });
});

describe('binary encoding', () => {
  it('numeric: base-10000 digits, weight, sign, scale (numeric_send)', () => {
    const fields = (b: Buffer) => [b.readInt16BE(0), b.readInt16BE(2), b.readUInt16BE(4), b.readInt16BE(6), ...Array.from({ length: b.readInt16BE(0) }, (_, i) => b.readInt16BE(8 + 2 * i))];
    expect(fields(numericBinary('0'))).toEqual([0, 0, 0, 0]);
    expect(fields(numericBinary('40.1'))).toEqual([2, 0, 0, 1, 40, 1000]);
    expect(fields(numericBinary('-12345678.9'))).toEqual([3, 1, 0x4000, 1, 1234, 5678, 9000]);
    expect(fields(numericBinary('0.0001'))).toEqual([1, -1, 0, 4, 1]);
    expect(fields(numericBinary('10000'))).toEqual([1, 1, 0, 0, 1]);
    expect(fields(numericBinary('NaN'))).toEqual([0, 0, 0xc000, 0]);
  });

  it('date and timestamp count from 2000-01-01', () => {
    expect(toBinary('2000-01-02', 'date').readInt32BE(0)).toBe(1);
    expect(toBinary('1999-12-31', 'date').readInt32BE(0)).toBe(-1);
    expect(toBinary('2000-01-01 00:00:01.5', 'timestamp').readBigInt64BE(0)).toBe(1_500_000n);
    expect(toBinary('t', 'bool')).toEqual(Buffer.from([1]));
    expect(toBinary('-2', 'int8').readBigInt64BE(0)).toBe(-2n);
  });
});

describe('LIKE patterns', () => {
  it('maps %x%, x%, %x and escapes; refuses _ and inner %', () => {
    expect(parseLikePattern('%liv%')).toEqual({ kind: 'contains', value: 'liv' });
    expect(parseLikePattern('Si%')).toEqual({ kind: 'startsWith', value: 'Si' });
    expect(parseLikePattern('%te')).toEqual({ kind: 'endsWith', value: 'te' });
    expect(parseLikePattern('100\\%')).toEqual({ kind: 'equals', value: '100%' });
    expect(parseLikePattern('%50\\%%')).toEqual({ kind: 'contains', value: '50%' });
    expect(parseLikePattern('S_te')).toBeUndefined();
    expect(parseLikePattern('a%b')).toBeUndefined();
  });
});
