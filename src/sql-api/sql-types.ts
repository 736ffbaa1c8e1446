import type { SqlColumnSpec } from './catalog-responder.js';

export type SqlType = SqlColumnSpec['type'];

/** PostgreSQL's type OIDs (pg_type.oid) for the types the SQL API answers with. */
export const TYPE_OIDS: Readonly<Record<SqlType, number>> = {
  text: 25,
  numeric: 1700,
  int8: 20,
  float8: 701,
  bool: 16,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
};

/** `typlen` of each type as RowDescription reports it (-1: variable length). */
export const TYPE_SIZES: Readonly<Record<SqlType, number>> = {
  text: -1,
  numeric: -1,
  int8: 8,
  float8: 8,
  bool: 1,
  date: 4,
  timestamp: 8,
  timestamptz: 8,
};

const BY_OID = new Map<number, SqlType>(Object.entries(TYPE_OIDS).map(([t, oid]) => [oid, t as SqlType]));

export function sqlTypeOfOid(oid: number): SqlType | undefined {
  return BY_OID.get(oid);
}

/** What a semantic member is in SQL, from its model type, format and aggregation. */
export function sqlTypeOfMember(member: { readonly kind: string; readonly type: string; readonly format?: string | undefined; readonly aggType?: string | undefined }): SqlType {
  if (member.kind === 'measure') {
    if (member.aggType === 'count' || member.aggType === 'countDistinct' || member.aggType === 'countDistinctApprox') return 'int8';
    if (member.type === 'time') return 'timestamp';
    if (member.type === 'string') return 'text';
    if (member.type === 'boolean') return 'bool';
    // Money keeps its decimals exact; a ratio or a derived number is a float, as Cube's SQL API types it.
    if (member.format === 'currency') return 'numeric';
    if (member.aggType === 'number' || member.aggType === 'avg' || member.format === 'percent') return 'float8';
    return 'numeric';
  }
  switch (member.type) {
    case 'time':
      return 'timestamp';
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'bool';
    default:
      return 'text';
  }
}
