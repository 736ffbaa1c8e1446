import { jsonRaw, jsonText, jsonType, tryInstant } from '../json-bigquery-sql.js';
import { jsonObjectRecordsCtesBigQuery } from '../json-object-records-bigquery.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { CUSTOMER_KEYS_TABLE, identityEmailSql, resolveCustomerKeys } from '../../../transform/silver/identity/customer-key-batch.js';
import {
  customerKeyJoinSqlBigQuery,
  distinctIdentityInputsBigQuery,
  storeCustomerKeysBigQuery,
} from '../../../transform/silver/identity/customer-key-batch-bigquery.js';
import { SILVER_CUSTOMER_COLUMNS } from '../../../transform/silver/merge-customers.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { VTEX_CUSTOMER_ENTITY } from './vtex-customers-names.js';

const BATCH_TABLE = 'temp.vtex_customer_stage_batch';

const raw = (field: string) => jsonText('p', `$.${field}`);
const text = (field: string) => `NULLIF(TRIM(${raw(field)}), '')`;
const instant = (field: string) => tryInstant(raw(field));
const type = (field: string) => jsonType('p', `$.${field}`);
const flag = (field: string) => `CASE ${type(field)} WHEN 'boolean' THEN ${raw(field)} = 'true' END`;
const badFlag = (field: string) =>
  `WHEN ${type(field)} NOT IN ('boolean', 'null') THEN '${field}: expected true or false, received ' || ${jsonRaw('p', `$.${field}`)}`;
const badInstant = (field: string) =>
  `WHEN ${raw(field)} IS NOT NULL AND ${instant(field)} IS NULL THEN '${field}: expected an instant, received ' || ${jsonRaw('p', `$.${field}`)}`;
const digits = (field: string) => `NULLIF(REGEXP_REPLACE(IFNULL(${raw(field)}, ''), r'[^0-9]', ''), '')`;

/** `stageVtexCustomers` on BigQuery: the same staged rows and quarantine reasons from BigQuery's JSON functions. */
export async function stageVtexCustomersBigQuery(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  await ensureSilverStaging(tx);
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE.replace('temp.', '')} AS
     WITH ${jsonObjectRecordsCtesBigQuery(bronze.sql, VTEX_CUSTOMER_ENTITY)}
     SELECT seq, record_id, natural_key, payload, received_at,
       ${raw('id')} AS customer_id, ${text('userId')} AS user_id, LOWER(${text('email')}) AS email,
       ${text('firstName')} AS first_name, ${text('lastName')} AS last_name, LOWER(${text('documentType')}) AS document_type,
       ${digits('document')} AS document,
       COALESCE(${text('phone')}, ${text('cellPhone')}, ${text('homePhone')}) AS phone,
       ${flag('isCorporate')} AS is_corporate, ${text('corporateName')} AS corporate_name,
       ${digits('corporateDocument')} AS corporate_document,
       ${flag('isNewsletterOptIn')} AS newsletter_opt_in,
       ${instant('createdIn')} AS created_in, ${instant('updatedIn')} AS updated_in,
       ${raw('document')} AS id_document,
       CASE WHEN ${raw('isCorporate')} = 'true' THEN ${raw('corporateDocument')} END AS id_corporate_document,
       ${identityEmailSql(raw('email'))} AS id_email,
       COALESCE(${text('phone')}, ${text('cellPhone')}, ${text('homePhone')}) AS id_phone,
       ${raw('userId')} AS id_profile,
       CASE
         WHEN NOT is_object THEN 'payload: expected a JSON object (a Master Data CL document)'
         WHEN ${raw('id')} IS NULL THEN 'id: required'
         WHEN ${raw('id')} <> natural_key THEN 'id: ' || (${raw('id')}) || ' is not the document it was landed as (' || natural_key || ')'
         WHEN ${type('email')} NOT IN ('string', 'null') THEN 'email: expected text, received ' || ${jsonRaw('p', '$.email')}
         ${badInstant('createdIn')}
         ${badInstant('updatedIn')}
         ${badFlag('isCorporate')}
         ${badFlag('isNewsletterOptIn')}
       END AS reason
     FROM j`,
    bronze.params,
  );
  const identities = await distinctIdentityInputsBigQuery(tx, BATCH_TABLE, 'reason IS NULL');
  await storeCustomerKeysBigQuery(tx, await resolveCustomerKeys(identities));
  const staged = await tx.execute(
    `INSERT INTO ${STAGE.customers} (${SILVER_CUSTOMER_COLUMNS.join(', ')})
     SELECT ?, b.customer_id, b.user_id, k.customer_key, b.email, b.first_name, b.last_name, b.document_type, b.document,
            b.phone, b.is_corporate, b.corporate_name, b.corporate_document, b.newsletter_opt_in, b.created_in, b.updated_in,
            COALESCE(b.updated_in, b.created_in, b.received_at), b.record_id, b.seq, CAST(? AS TIMESTAMP)
     FROM ${BATCH_TABLE} b LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON ${customerKeyJoinSqlBigQuery('b', 'k')}
     WHERE b.reason IS NULL`,
    [ctx.source, ctx.now],
  );
  const quarantined = await tx.execute(
    `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
     SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM ${BATCH_TABLE} WHERE reason IS NOT NULL`,
    [ctx.source, VTEX_CUSTOMER_ENTITY, ctx.now, ctx.runId],
  );
  await tx.execute(`DROP TABLE ${BATCH_TABLE}`);
  await tx.execute(`DROP TABLE ${CUSTOMER_KEYS_TABLE}`);
  return { staged, quarantined };
}
