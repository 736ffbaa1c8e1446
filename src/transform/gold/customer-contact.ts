import type { SqlExecutor } from '../../warehouse/warehouse.js';

/**
 * How a gold customer gets the contact details only the customer base knows (the real e-mail:
 * OMS hands out a masked `@ct.vtex.com.br` alias per order), decided here and nowhere else.
 *
 * A customer (`gold.dim_customer`, keyed as transform/silver/identity/customer-key.ts resolves
 * orders) is described by, in order:
 *   1. the customer-base document whose `user_id` is the `user_profile_id` of the customer's most
 *      recent order: VTEX gives a shopper account one id, which OMS calls `userProfileId` and
 *      Master Data `userId`;
 *   2. else the document that resolves to the same customer key (same CPF/CNPJ, or the same real
 *      e-mail or phone when neither has a document);
 * the most recently changed one when several qualify. With none, the contact columns are NULL.
 *
 * `keysSql` is a relation of `customer_key`s to recompute (those whose orders or documents
 * changed). Each recomputation reads all of silver, so the result does not depend on which
 * source refreshed first.
 */
export async function refreshCustomerContacts(tx: SqlExecutor, keysSql: string): Promise<void> {
  // Nothing to link before the customer base has been read (the common case for a rebuild of orders).
  const [any] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM silver.customers LIMIT 1)');
  if (Number(any?.n ?? 0) === 0) return;
  // One text for both warehouses: "latest per key" is a row_number() subquery, where DuckDB alone
  // would take QUALIFY (the same plan), and the candidates name their columns (BigQuery refuses
  // a subquery with two columns of one name).
  const contact = ['email', 'phone', 'newsletter_opt_in'] as const;
  await tx.execute(`
    UPDATE gold.dim_customer d
    SET email = b.email, phone = b.phone, newsletter_opt_in = b.newsletter_opt_in, customer_base_id = b.customer_id
    FROM (
      WITH keys AS (SELECT DISTINCT customer_key FROM (${keysSql}) AS touched WHERE customer_key IS NOT NULL),
      last_profile AS (
        SELECT customer_key, user_profile_id FROM (
          SELECT o.customer_key, o.user_profile_id,
                 row_number() OVER (PARTITION BY o.customer_key ORDER BY o.last_change DESC, o.source, o.order_id) AS n
          FROM silver.orders o
          WHERE o.customer_key IN (SELECT customer_key FROM keys) AND o.user_profile_id IS NOT NULL) AS ranked
        WHERE n = 1
      ),
      candidates AS (
        SELECT p.customer_key, 1 AS rule, c.changed_at, c.source, c.customer_id, ${contact.map((x) => `c.${x}`).join(', ')}
        FROM last_profile p JOIN silver.customers c ON c.user_id = p.user_profile_id
        UNION ALL
        SELECT c.customer_key, 2 AS rule, c.changed_at, c.source, c.customer_id, ${contact.map((x) => `c.${x}`).join(', ')}
        FROM silver.customers c WHERE c.customer_key IN (SELECT customer_key FROM keys)
      ),
      best AS (
        SELECT * FROM (
          SELECT cand.*, row_number() OVER (PARTITION BY cand.customer_key ORDER BY cand.rule, cand.changed_at DESC, cand.source, cand.customer_id) AS n
          FROM candidates cand) AS ranked
        WHERE n = 1
      )
      SELECT k.customer_key, best.email, best.phone, best.newsletter_opt_in, best.customer_id
      FROM keys k LEFT JOIN best ON best.customer_key = k.customer_key
    ) b
    WHERE d.customer_key = b.customer_key`);
}

/**
 * The customer keys a change of customer-base documents can affect: those linked to the changed
 * documents by profile id or by key, and those that were described by one of them before.
 */
export function customerKeysTouchedByDocumentsSql(changedDocumentsSql: string): string {
  const changed = (alias: string) =>
    `EXISTS (SELECT 1 FROM (${changedDocumentsSql}) AS changed_docs WHERE changed_docs.source = ${alias}.source AND changed_docs.customer_id = ${alias}.customer_id)`;
  return `
    SELECT o.customer_key FROM silver.orders o
    WHERE o.user_profile_id IN (SELECT c.user_id FROM silver.customers c WHERE ${changed('c')})
    UNION DISTINCT SELECT c.customer_key FROM silver.customers c WHERE ${changed('c')}
    UNION DISTINCT SELECT d.customer_key FROM gold.dim_customer d WHERE d.customer_base_id IN (SELECT customer_id FROM (${changedDocumentsSql}) AS changed_docs)`;
}
