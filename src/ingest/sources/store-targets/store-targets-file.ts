import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { z } from 'zod';
import type { BronzeInput } from '../../bronze/bronze-store.js';

/** Rows per landed page: each page and the cursor after it commit together. */
export const TARGET_PAGE_ROWS = 1_000;
export const STORE_TARGET_ENTITY = 'store_target';
/**
 * A targets sheet is a few thousand rows; a file far beyond this is not one (or is a device such
 * as /dev/zero that never ends), and reading it whole would only exhaust memory.
 */
export const MAX_TARGETS_FILE_BYTES = 256 * 1024 * 1024;

/**
 * A store-targets spreadsheet, as commercial teams keep it: one row per store and month with a
 * revenue target and, optionally, an orders target. Header names are matched in English or
 * Portuguese, without regard to case or accents. Files exported by a Brazilian spreadsheet use
 * `;` between fields and `,` for decimals (`150.000,00`); that is detected from the header line.
 */
const COLUMN_NAMES: Readonly<Record<'store' | 'month' | 'revenue_target' | 'orders_target', readonly string[]>> = {
  store: ['store', 'store_key', 'store_id', 'loja', 'filial', 'seller'],
  month: ['month', 'mes', 'competencia', 'periodo'],
  revenue_target: ['revenue_target', 'target', 'meta', 'meta_receita', 'meta_faturamento', 'meta_de_receita'],
  orders_target: ['orders_target', 'meta_pedidos', 'meta_de_pedidos'],
};
const REQUIRED = ['store', 'month', 'revenue_target'] as const;

/** Where a run resumes: the file's content hash and the last data line landed. */
export const targetsCursorSchema = z.object({ sha256: z.string(), line: z.number().int().nonnegative(), done: z.boolean() });
export type TargetsCursor = z.infer<typeof targetsCursorSchema>;

export function parseTargetsCursor(text: string | undefined): TargetsCursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = targetsCursorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A file whose header lacks a required column: its schema changed, retrying will not help. */
export class TargetsFileSchemaError extends Error {
  readonly terminal = true;
}

export interface TargetsPage {
  readonly records: BronzeInput[];
  readonly cursor: TargetsCursor;
  readonly totalRows: number;
}


const normalizeHeader = (h: string) =>
  h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/**
 * Pages of bronze records from the file, resuming after `from.line` when `from` is a cursor of
 * the same content. Each record's payload keeps the row's cells as text, as written, with the
 * decimal separator and the line it came from; typing and validation belong to silver.
 */
export async function* readTargetsFile(file: string, from: TargetsCursor | undefined, pageRows = TARGET_PAGE_ROWS): AsyncGenerator<TargetsPage> {
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new TargetsFileSchemaError(`${file} is not a regular file`);
  if (stat.size > MAX_TARGETS_FILE_BYTES) {
    throw new TargetsFileSchemaError(`${path.basename(file)} is ${Math.round(stat.size / 1e6)} MB; a targets sheet larger than ${MAX_TARGETS_FILE_BYTES / 1024 / 1024} MB is refused`);
  }
  const bytes = fs.readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (from && from.sha256 === sha256 && from.done) return;
  const skip = from && from.sha256 === sha256 ? from.line : 0;
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const decimal = delimiter === ';' ? ',' : '.';
  const rows = await new Promise<string[][]>((resolve, reject) =>
    parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }, (err, out: string[][]) =>
      err ? reject(new TargetsFileSchemaError(`${path.basename(file)}: not a readable CSV file: ${err.message}`)) : resolve(out),
    ),
  );
  const [header, ...data] = rows;
  if (!header) return;
  const index = columnIndex(header, file);
  const totalRows = data.length;
  let records: BronzeInput[] = [];
  for (let i = skip; i < data.length; i++) {
    const row = data[i] as string[];
    const cell = (c: keyof typeof COLUMN_NAMES) => {
      const at = index[c];
      return at === undefined ? null : (row[at] ?? null);
    };
    const store = cell('store') ?? '';
    const month = cell('month') ?? '';
    const payload = {
      store, month, revenue_target: cell('revenue_target'), orders_target: cell('orders_target'), decimal,
      file: path.basename(file), line: i + 2,
    };
    records.push({ entity: STORE_TARGET_ENTITY, naturalKey: `${store}|${month}`, payload: JSON.stringify(payload) });
    if (records.length >= pageRows || i === data.length - 1) {
      yield { records, cursor: { sha256, line: i + 1, done: i === data.length - 1 }, totalRows };
      records = [];
    }
  }
  if (skip >= data.length && !(from?.done && from.sha256 === sha256)) {
    // Nothing left to land, but the cursor should say this content is complete.
    yield { records: [], cursor: { sha256, line: data.length, done: true }, totalRows };
  }
}

function columnIndex(header: readonly string[], file: string): Partial<Record<keyof typeof COLUMN_NAMES, number>> {
  const names = header.map(normalizeHeader);
  const index: Partial<Record<keyof typeof COLUMN_NAMES, number>> = {};
  for (const [col, aliases] of Object.entries(COLUMN_NAMES) as [keyof typeof COLUMN_NAMES, readonly string[]][]) {
    const at = names.findIndex((n) => aliases.includes(n));
    if (at >= 0) index[col] = at;
  }
  const missing = REQUIRED.filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    throw new TargetsFileSchemaError(
      `${path.basename(file)}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ` +
        `(found: ${header.map((h) => `"${h}"`).join(', ')}; accepted names: ${missing.map((m) => COLUMN_NAMES[m].join('/')).join('; ')})`,
    );
  }
  return index;
}
