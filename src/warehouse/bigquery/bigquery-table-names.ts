import type { TableRef } from '../warehouse.js';

/**
 * Farol names tables `layer.table` (`gold.fct_orders`, `ops.data_versions`) in every SQL text it
 * writes, the Cube model included. On BigQuery all layers share the one configured dataset, so
 * `gold.fct_orders` is the table `gold_fct_orders` of `<project>.<dataset>`: one dataset to create,
 * grant and place in a location. `qualifyTables` rewrites the references of SQL text before a job
 * is sent; the layer names are therefore reserved and never used as aliases. `preagg` holds the
 * semantic engine's rollup builds (`preagg.<cube>_<rollup>_<fingerprint>_v<n>`).
 */
export const LAYERS = ['bronze', 'silver', 'gold', 'ops', 'preagg'] as const;

/**
 * DuckDB's catalog views (`information_schema.tables`) name the dataset's own on BigQuery
 * (`` `project.dataset.INFORMATION_SCHEMA.TABLES` ``), which list every layer's tables by their
 * ids (`preagg_…`), with the dataset as `table_schema`.
 */
const CATALOG_VIEW = /^information_schema\.([A-Za-z_]+)/i;

/**
 * DuckDB names a temporary table `temp.<name>`; BigQuery names a session's temporary table
 * `_SESSION.<name>` (a dataset called `temp` would be read otherwise). Rewriting the prefix lets
 * SQL over staging tables be written once; `temp` is reserved like the layers.
 */
const TEMP_SCHEMA = 'temp';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class BigQueryTableNames {
  constructor(
    readonly projectId: string,
    readonly dataset: string,
  ) {}

  /** The table's id inside the dataset: `gold_fct_orders`. */
  tableId(ref: TableRef): string {
    if (!IDENT.test(ref.schema) || !IDENT.test(ref.table)) throw new Error(`invalid table name: ${JSON.stringify(`${ref.schema}.${ref.table}`)}`);
    return `${ref.schema}_${ref.table}`;
  }

  /** The fully qualified, quoted name: `` `proj.farol.gold_fct_orders` ``. */
  sql(ref: TableRef): string {
    return `\`${this.projectId}.${this.dataset}.${this.tableId(ref)}\``;
  }

  /**
   * Rewrites every `layer.table` reference outside string literals, quoted identifiers and
   * comments, `temp.table` to `_SESSION.table`, and `information_schema.view` to the dataset's. A reference preceded by `.` (already
   * qualified) or inside backticks is left alone.
   */
  qualifyTables(sqlText: string): string {
    let out = '';
    let i = 0;
    const n = sqlText.length;
    while (i < n) {
      const c = sqlText[i] as string;
      const skipTo = skipEnd(sqlText, i);
      if (skipTo > i) {
        out += sqlText.slice(i, skipTo);
        i = skipTo;
        continue;
      }
      if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_.$]/.test(sqlText[i - 1] ?? ' ')) {
        const m = REFERENCE.exec(sqlText.slice(i, i + 1100));
        const schema = m ? m[1]!.toLowerCase() : '';
        const isTemp = schema === TEMP_SCHEMA;
        if (m && (isTemp || (LAYERS as readonly string[]).includes(schema)) && !/[A-Za-z0-9_.]/.test(sqlText[i + m[0].length] ?? ' ')) {
          out += isTemp ? `_SESSION.${m[2]!}` : this.sql({ schema, table: m[2]! });
          i += m[0].length;
          continue;
        }
        const view = CATALOG_VIEW.exec(sqlText.slice(i, i + 100));
        if (view && !/[A-Za-z0-9_.]/.test(sqlText[i + view[0].length] ?? ' ')) {
          out += `\`${this.projectId}.${this.dataset}.INFORMATION_SCHEMA.${view[1]!.toUpperCase()}\``;
          i += view[0].length;
          continue;
        }
        const word = /^[A-Za-z0-9_]+/.exec(sqlText.slice(i))![0];
        out += word;
        i += word.length;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  }
}

const REFERENCE = /^([A-Za-z]+)\.([A-Za-z_][A-Za-z0-9_]*)/;

/** End of the literal, quoted identifier or comment starting at `i`; `i` when none starts there. */
function skipEnd(s: string, i: number): number {
  const c = s[i];
  if ((c === '-' && s[i + 1] === '-') || c === '#') {
    const nl = s.indexOf('\n', i);
    return nl < 0 ? s.length : nl;
  }
  if (c === '/' && s[i + 1] === '*') {
    const end = s.indexOf('*/', i + 2);
    return end < 0 ? s.length : end + 2;
  }
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, s.length);
  }
  return i;
}
