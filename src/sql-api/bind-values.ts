import { SqlError, SQLSTATE } from './sql-error.js';
import { toBinary } from './value-encoding.js';
import { sqlTypeOfOid } from './sql-types.js';

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * A Bind parameter as text. Text-format parameters are taken as sent; binary ones are decoded by
 * the type the client declared in Parse (integers, floats, bool, text types, date, timestamp).
 */
export function paramText(value: Buffer | null, format: number, typeOid: number, index: number): string | null {
  if (value === null) return null;
  if (format === 0) return value.toString('utf8');
  const where = `parameter $${index + 1}`;
  const size = (n: number) => {
    if (value.length !== n) throw new SqlError(SQLSTATE.protocolViolation, `${where}: binary value of type ${typeOid} must be ${n} bytes, got ${value.length}`);
  };
  switch (typeOid) {
    case 21:
      size(2);
      return String(value.readInt16BE(0));
    case 23:
      size(4);
      return String(value.readInt32BE(0));
    case 20:
      size(8);
      return value.readBigInt64BE(0).toString();
    case 700:
      size(4);
      return String(value.readFloatBE(0));
    case 701:
      size(8);
      return String(value.readDoubleBE(0));
    case 16:
      size(1);
      return value[0] ? 'true' : 'false';
    case 0:
    case 25:
    case 1043:
    case 1042:
    case 19:
      return value.toString('utf8');
    case 1082:
      size(4);
      return new Date(PG_EPOCH_MS + value.readInt32BE(0) * 86_400_000).toISOString().slice(0, 10);
    case 1114:
    case 1184: {
      size(8);
      const micros = value.readBigInt64BE(0);
      const ms = Number(micros / 1000n);
      const extra = Number(((micros % 1000n) + 1000n) % 1000n);
      const iso = new Date(PG_EPOCH_MS + ms).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${extra ? String(extra).padStart(3, '0') : ''}`;
    }
    default:
      throw new SqlError(SQLSTATE.featureNotSupported, `${where}: binary format for type OID ${typeOid} is not supported; send it as text`);
  }
}

/** Text types by OID beyond the SQL API's own (catalog answers use name, int4, oid, …). */
const EXTRA_BINARY: Readonly<Record<number, (text: string) => Buffer>> = {
  19: (t) => Buffer.from(t, 'utf8'),
  1043: (t) => Buffer.from(t, 'utf8'),
  1042: (t) => Buffer.from(t, 'utf8'),
  18: (t) => Buffer.from(t, 'utf8'),
  21: (t) => int(2, t),
  23: (t) => int(4, t),
  26: (t) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(Number(t));
    return b;
  },
  700: (t) => {
    const b = Buffer.alloc(4);
    b.writeFloatBE(Number(t));
    return b;
  },
};

function int(bytes: 2 | 4, t: string): Buffer {
  const b = Buffer.alloc(bytes);
  if (bytes === 2) b.writeInt16BE(Number(t));
  else b.writeInt32BE(Number(t));
  return b;
}

/** A result value in the format Bind asked for (0 text, 1 binary) for a column of `typeOid`. */
export function encodeResultValue(text: string | null, format: number, typeOid: number): Buffer | null {
  if (text === null) return null;
  if (format === 0) return Buffer.from(text, 'utf8');
  const type = sqlTypeOfOid(typeOid);
  if (type) return toBinary(text, type);
  const extra = EXTRA_BINARY[typeOid];
  if (extra) return extra(text);
  throw new SqlError(SQLSTATE.featureNotSupported, `binary result format for type OID ${typeOid} is not supported; ask for text`);
}
