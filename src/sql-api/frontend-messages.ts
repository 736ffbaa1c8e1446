import { SqlError, SQLSTATE } from './sql-error.js';

/**
 * The frontend messages of the extended and simple query protocols, decoded from one message
 * body (after the type byte and length). Every read is bounds-checked: a malformed message is
 * 08P01, never a crash or a read past the buffer.
 */
export type FrontendMessage =
  | { readonly type: 'query'; readonly sql: string }
  | { readonly type: 'parse'; readonly name: string; readonly sql: string; readonly paramTypes: readonly number[] }
  | { readonly type: 'bind'; readonly portal: string; readonly statement: string; readonly paramFormats: readonly number[]; readonly params: readonly (Buffer | null)[]; readonly resultFormats: readonly number[] }
  | { readonly type: 'describe'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly type: 'execute'; readonly portal: string; readonly maxRows: number }
  | { readonly type: 'close'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly type: 'sync' }
  | { readonly type: 'flush' }
  | { readonly type: 'terminate' }
  | { readonly type: 'password'; readonly password: string }
  | { readonly type: 'unsupported'; readonly code: string };

/** Parameters in one Bind; PostgreSQL's own limit is 65535. */
export const MAX_BIND_PARAMS = 65_535;

export function decodeFrontendMessage(code: number, body: Buffer): FrontendMessage {
  const r = new CheckedReader(body);
  switch (String.fromCharCode(code)) {
    case 'Q':
      return { type: 'query', sql: r.cstring() };
    case 'P': {
      const name = r.cstring();
      const sql = r.cstring();
      const n = r.int16();
      const paramTypes = Array.from({ length: n }, () => r.uint32());
      return { type: 'parse', name, sql, paramTypes };
    }
    case 'B': {
      const portal = r.cstring();
      const statement = r.cstring();
      const paramFormats = Array.from({ length: r.int16() }, () => r.int16());
      const count = r.int16();
      const params = Array.from({ length: count }, () => {
        const len = r.int32();
        return len === -1 ? null : r.bytes(len);
      });
      const resultFormats = Array.from({ length: r.int16() }, () => r.int16());
      return { type: 'bind', portal, statement, paramFormats, params, resultFormats };
    }
    case 'D':
    case 'C': {
      const target = String.fromCharCode(r.byte());
      if (target !== 'S' && target !== 'P') throw protocolError(`invalid ${code === 68 ? 'DESCRIBE' : 'CLOSE'} message subtype ${JSON.stringify(target)}`);
      const name = r.cstring();
      return { type: code === 68 ? 'describe' : 'close', target, name };
    }
    case 'E':
      return { type: 'execute', portal: r.cstring(), maxRows: r.int32() };
    case 'S':
      return { type: 'sync' };
    case 'H':
      return { type: 'flush' };
    case 'X':
      return { type: 'terminate' };
    case 'p':
      return { type: 'password', password: r.cstring() };
    default:
      return { type: 'unsupported', code: String.fromCharCode(code) };
  }
}

export function protocolError(message: string): SqlError {
  return new SqlError(SQLSTATE.protocolViolation, message);
}

class CheckedReader {
  #offset = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (n < 0 || this.#offset + n > this.buf.length) throw protocolError('message is shorter than its contents say');
  }
  byte(): number {
    this.need(1);
    return this.buf.readUInt8(this.#offset++);
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.#offset);
    this.#offset += 2;
    if (v < 0) throw protocolError('negative count in message');
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.#offset);
    this.#offset += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.#offset);
    this.#offset += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.#offset);
    if (end === -1) throw protocolError('string in message is not terminated');
    const v = this.buf.toString('utf8', this.#offset, end);
    this.#offset = end + 1;
    return v;
  }
}
