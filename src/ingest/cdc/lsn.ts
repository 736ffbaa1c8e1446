/**
 * PostgreSQL WAL positions (LSNs). The server writes them as `X/Y` (two hex halves of a 64-bit
 * number); Farol compares them as bigint and stores them as a decimal string in bronze payloads
 * and as BIGINT in silver (a WAL position stays far below 2^63).
 */
export type Lsn = bigint;

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

export function parseLsn(text: string): Lsn {
  const m = LSN_TEXT.exec(text.trim());
  if (!m?.[1] || !m[2]) throw new RangeError(`not a WAL position (expected X/Y in hex): ${JSON.stringify(text)}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function isLsnText(text: string): boolean {
  return LSN_TEXT.test(text.trim());
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The 8-byte big-endian position inside replication protocol messages. */
export function readLsn(buf: Buffer, offset: number): Lsn {
  return buf.readBigUInt64BE(offset);
}

export function maxLsn(a: Lsn, b: Lsn): Lsn {
  return a > b ? a : b;
}
