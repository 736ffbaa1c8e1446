import type { SqlExecutor } from '../../warehouse/warehouse.js';

export const SILVER_CUSTOMER_COLUMNS = [
  'source', 'customer_id', 'user_id', 'customer_key', 'email', 'first_name', 'last_name', 'document_type', 'document',
  'phone', 'is_corporate', 'corporate_name', 'corporate_document', 'newsletter_opt_in', 'created_in', 'updated_in',
  'changed_at', 'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** Customers that changed, as a relation of (source, customer_id). */
export const CHANGED_CUSTOMERS_SQL = 'SELECT source, customer_id FROM temp.stage_changed_customers';

/**
 * Merges staged customer documents into silver.customers: per (source, customer_id) the version
 * with the latest change (`updatedIn`, or `createdIn` for a document never updated) wins, whether
 * it arrives first, last or twice; on a tie the first landing stays (a re-read of the same
 * version changes nothing), in a batch as across batches, so a rebuild picks what the
 * incremental merges kept. Leaves the changed keys in temp.stage_changed_customers.
 */
export async function mergeCustomers(tx: SqlExecutor): Promise<number> {
  const cols = SILVER_CUSTOMER_COLUMNS.join(', ');
  const latest = `SELECT * FROM temp.stage_customers
    QUALIFY row_number() OVER (PARTITION BY source, customer_id ORDER BY changed_at DESC, bronze_seq) = 1`;
  await tx.execute(`
    INSERT INTO temp.stage_changed_customers
    SELECT s.source, s.customer_id FROM (${latest}) s
    LEFT JOIN silver.customers c ON c.source = s.source AND c.customer_id = s.customer_id
    WHERE c.customer_id IS NULL OR s.changed_at > c.changed_at`);
  await tx.execute(`
    INSERT INTO silver.customers (${cols})
    SELECT ${cols} FROM (${latest}) s
    WHERE (source, customer_id) IN (${CHANGED_CUSTOMERS_SQL})
    ON CONFLICT (source, customer_id) DO UPDATE SET
      ${SILVER_CUSTOMER_COLUMNS.filter((c) => c !== 'source' && c !== 'customer_id').map((c) => `${c} = excluded.${c}`).join(', ')}`);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM temp.stage_changed_customers');
  return Number(row?.n ?? 0);
}

export async function clearCustomerStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_customers');
  await tx.execute('DELETE FROM temp.stage_changed_customers');
}
