import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { insertRow, keyIn, onKeys, updateSet } from './merge-sql.js';

export const SILVER_CUSTOMER_COLUMNS = [
  'source', 'customer_id', 'user_id', 'customer_key', 'email', 'first_name', 'last_name', 'document_type', 'document',
  'phone', 'is_corporate', 'corporate_name', 'corporate_document', 'newsletter_opt_in', 'created_in', 'updated_in',
  'changed_at', 'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** Customers that changed, as a relation of (source, customer_id). */
export const CHANGED_CUSTOMERS_SQL = 'SELECT source, customer_id FROM temp.stage_changed_customers';

const KEYS = ['source', 'customer_id'] as const;
/** The latest staged version per key among those matching `where` (on `s`); a tie keeps the first landing. */
const latest = (where: string) => `SELECT ${SILVER_CUSTOMER_COLUMNS.join(', ')} FROM temp.stage_customers s
      WHERE ${where}
      QUALIFY row_number() OVER (PARTITION BY source, customer_id ORDER BY changed_at DESC, bronze_seq) = 1`;

/**
 * Merges staged customer documents into silver.customers: per (source, customer_id) the version
 * with the latest change (`updatedIn`, or `createdIn` for a document never updated) wins, whether
 * it arrives first, last or twice; on a tie the first landing stays (a re-read of the same
 * version changes nothing), in a batch as across batches, so a rebuild picks what the
 * incremental merges kept. Leaves the changed keys in temp.stage_changed_customers. One SQL text
 * for both warehouses; only strictly newer versions reach the MERGE, so it updates without a
 * condition.
 */
export async function mergeCustomers(tx: SqlExecutor): Promise<number> {
  await tx.execute(`
    INSERT INTO temp.stage_changed_customers (source, customer_id)
    SELECT s.source, s.customer_id FROM (${latest('TRUE')}) s
    LEFT JOIN silver.customers c ON ${onKeys(KEYS, 'c', 's')}
    WHERE c.customer_id IS NULL OR s.changed_at > c.changed_at`);
  await tx.execute(`
    MERGE INTO silver.customers AS t
    USING (${latest(keyIn('temp.stage_changed_customers', KEYS, 's'))}) AS s
    ON ${onKeys(KEYS)}
    WHEN MATCHED THEN UPDATE SET ${updateSet(SILVER_CUSTOMER_COLUMNS, KEYS)}
    WHEN NOT MATCHED THEN ${insertRow(SILVER_CUSTOMER_COLUMNS)}`);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM temp.stage_changed_customers');
  return Number(row?.n ?? 0);
}

/** `WHERE TRUE`: BigQuery refuses a DELETE without a WHERE. */
export async function clearCustomerStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_customers WHERE TRUE');
  await tx.execute('DELETE FROM temp.stage_changed_customers WHERE TRUE');
}
