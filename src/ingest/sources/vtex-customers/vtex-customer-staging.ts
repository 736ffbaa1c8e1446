import { jsonObjectRecordsCtes } from '../json-object-records.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import {
  CUSTOMER_KEYS_TABLE,
  customerKeyJoinSql,
  distinctIdentityInputs,
  identityEmailSql,
  resolveCustomerKeys,
  storeCustomerKeys,
} from '../../../transform/silver/identity/customer-key-batch.js';
import { SILVER_CUSTOMER_COLUMNS } from '../../../transform/silver/merge-customers.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { VTEX_CUSTOMER_ENTITY } from './vtex-customers-names.js';
import { stageVtexCustomersBigQuery } from './vtex-customer-staging-bigquery.js';

const BATCH_TABLE = 'temp.vtex_customer_stage_batch';

const text = (field: string) => `nullif(trim(p->>'$.${field}'), '')`;
/** Master Data writes 7 fractional digits; DuckDB keeps 6. */
const instant = (field: string) => `TRY_CAST(p->>'$.${field}' AS TIMESTAMPTZ)`;
const flag = (field: string) => `CASE json_type(p, '$.${field}') WHEN 'BOOLEAN' THEN p->>'$.${field}' = 'true' END`;
/** A flag must be a boolean when present; Master Data sends null for "not answered". */
const badFlag = (field: string) =>
  `WHEN json_type(p, '$.${field}') NOT IN ('BOOLEAN', 'NULL') THEN '${field}: expected true or false, received ' || json_extract(p, '$.${field}')::VARCHAR`;
const badInstant = (field: string) =>
  `WHEN p->>'$.${field}' IS NOT NULL AND ${instant(field)} IS NULL THEN '${field}: expected an instant, received ' || json_extract(p, '$.${field}')::VARCHAR`;

/**
 * Master Data `CL` documents in bronze → temp.stage_customers, set-based. The customer key is
 * resolved by the same rule as orders' (transform/silver/identity), from the document's CPF/CNPJ,
 * e-mail and phone, so the two sources key one shopper alike. `updatedIn` is null for a document
 * never updated (Master Data leaves it unset at creation), so a version's change instant is
 * `updatedIn`, else `createdIn`. A document that is not a CL document (not an object, no `id`, an
 * id other than the one it was landed under, a malformed date or flag) goes to quarantine with
 * the field and the value.
 */
export async function stageVtexCustomers(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  if (ctx.dialect === 'bigquery') return stageVtexCustomersBigQuery(tx, bronze, ctx);
  await ensureSilverStaging(tx);
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE} AS
     WITH ${jsonObjectRecordsCtes(bronze.sql, VTEX_CUSTOMER_ENTITY)}
     SELECT seq, record_id, natural_key, payload, received_at,
       p->>'$.id' AS customer_id, ${text('userId')} AS user_id, lower(${text('email')}) AS email,
       ${text('firstName')} AS first_name, ${text('lastName')} AS last_name, lower(${text('documentType')}) AS document_type,
       nullif(regexp_replace(coalesce(p->>'$.document', ''), '[^0-9]', '', 'g'), '') AS document,
       coalesce(${text('phone')}, ${text('cellPhone')}, ${text('homePhone')}) AS phone,
       ${flag('isCorporate')} AS is_corporate, ${text('corporateName')} AS corporate_name,
       nullif(regexp_replace(coalesce(p->>'$.corporateDocument', ''), '[^0-9]', '', 'g'), '') AS corporate_document,
       ${flag('isNewsletterOptIn')} AS newsletter_opt_in,
       ${instant('createdIn')} AS created_in, ${instant('updatedIn')} AS updated_in,
       -- Identity inputs, raw as resolveCustomerKey takes them (the corporate document only for a corporate client).
       p->>'$.document' AS id_document,
       CASE WHEN p->>'$.isCorporate' = 'true' THEN p->>'$.corporateDocument' END AS id_corporate_document,
       ${identityEmailSql("p->>'$.email'")} AS id_email,
       coalesce(${text('phone')}, ${text('cellPhone')}, ${text('homePhone')}) AS id_phone,
       p->>'$.userId' AS id_profile,
       CASE
         WHEN NOT is_object THEN 'payload: expected a JSON object (a Master Data CL document)'
         WHEN p->>'$.id' IS NULL THEN 'id: required'
         WHEN p->>'$.id' <> natural_key THEN 'id: ' || (p->>'$.id') || ' is not the document it was landed as (' || natural_key || ')'
         WHEN json_type(p, '$.email') NOT IN ('VARCHAR', 'NULL') THEN 'email: expected text, received ' || json_extract(p, '$.email')::VARCHAR
         ${badInstant('createdIn')}
         ${badInstant('updatedIn')}
         ${badFlag('isCorporate')}
         ${badFlag('isNewsletterOptIn')}
       END AS reason
     FROM j`,
    bronze.params,
  );
  const identities = await distinctIdentityInputs(tx, BATCH_TABLE, 'reason IS NULL');
  await storeCustomerKeys(tx, await resolveCustomerKeys(identities));
  const columns = SILVER_CUSTOMER_COLUMNS;
  const staged = await tx.execute(
    `INSERT INTO ${STAGE.customers} (${columns.join(', ')})
     SELECT ?, b.customer_id, b.user_id, k.customer_key, b.email, b.first_name, b.last_name, b.document_type, b.document,
            b.phone, b.is_corporate, b.corporate_name, b.corporate_document, b.newsletter_opt_in, b.created_in, b.updated_in,
            coalesce(b.updated_in, b.created_in, b.received_at), b.record_id, b.seq, ?::TIMESTAMPTZ
     FROM ${BATCH_TABLE} b LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON ${customerKeyJoinSql('b', 'k')}
     WHERE b.reason IS NULL`,
    [ctx.source, ctx.now],
  );
  const quarantined = await tx.execute(
    `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
     SELECT uuid()::VARCHAR, ?, ?, natural_key, reason, payload, record_id, ?::TIMESTAMPTZ, ? FROM ${BATCH_TABLE} WHERE reason IS NOT NULL`,
    [ctx.source, VTEX_CUSTOMER_ENTITY, ctx.now, ctx.runId],
  );
  await tx.execute(`DROP TABLE ${BATCH_TABLE}; DROP TABLE ${CUSTOMER_KEYS_TABLE}`);
  return { staged, quarantined };
}
