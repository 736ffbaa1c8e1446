import { Writer } from 'pg-protocol/dist/buffer-writer.js';

/**
 * PostgreSQL backend messages (protocol 3.0, "Message Formats"), serialised with node-postgres's
 * own buffer writer. Each function returns one complete message.
 */

export interface FieldDescription {
  readonly name: string;
  readonly typeOid: number;
  readonly typeSize: number;
  /** 0 text, 1 binary. */
  readonly format: number;
}

const code = (c: string) => c.charCodeAt(0);

export function authenticationCleartextPassword(): Buffer {
  return new Writer().addInt32(3).flush(code('R'));
}

export function authenticationOk(): Buffer {
  return new Writer().addInt32(0).flush(code('R'));
}

export function parameterStatus(name: string, value: string): Buffer {
  return new Writer().addCString(name).addCString(value).flush(code('S'));
}

export function backendKeyData(processId: number, secretKey: number): Buffer {
  return new Writer().addInt32(processId).addInt32(secretKey).flush(code('K'));
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return new Writer().addString(status).flush(code('Z'));
}

export function rowDescription(fields: readonly FieldDescription[]): Buffer {
  const w = new Writer().addInt16(fields.length);
  for (const f of fields) {
    // table OID, column attnum, type OID, type size, type modifier, format
    w.addCString(f.name).addInt32(0).addInt16(0).addInt32(f.typeOid).addInt16(f.typeSize).addInt32(-1).addInt16(f.format);
  }
  return w.flush(code('T'));
}

export function dataRow(values: readonly (Buffer | null)[]): Buffer {
  const w = new Writer().addInt16(values.length);
  for (const v of values) {
    if (v === null) w.addInt32(-1);
    else w.addInt32(v.length).add(v);
  }
  return w.flush(code('D'));
}

export function commandComplete(tag: string): Buffer {
  return new Writer().addCString(tag).flush(code('C'));
}

export function emptyQueryResponse(): Buffer {
  return new Writer().flush(code('I'));
}

export function parseComplete(): Buffer {
  return new Writer().flush(code('1'));
}

export function bindComplete(): Buffer {
  return new Writer().flush(code('2'));
}

export function closeComplete(): Buffer {
  return new Writer().flush(code('3'));
}

export function noData(): Buffer {
  return new Writer().flush(code('n'));
}

export function portalSuspended(): Buffer {
  return new Writer().flush(code('s'));
}

export function parameterDescription(oids: readonly number[]): Buffer {
  const w = new Writer().addInt16(oids.length);
  for (const oid of oids) w.addInt32(oid);
  return w.flush(code('t'));
}

export interface ErrorFields {
  readonly severity: 'ERROR' | 'FATAL';
  readonly code: string;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly position?: number | undefined;
}

export function errorResponse(e: ErrorFields): Buffer {
  const w = new Writer();
  w.addString('S').addCString(e.severity);
  w.addString('V').addCString(e.severity);
  w.addString('C').addCString(e.code);
  w.addString('M').addCString(e.message);
  if (e.hint) w.addString('H').addCString(e.hint);
  if (e.position !== undefined) w.addString('P').addCString(String(e.position));
  w.addString('\u0000');
  return w.flush(code('E'));
}
