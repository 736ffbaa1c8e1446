import { jsonRaw, jsonText, jsonType, tryInstant } from '../json-bigquery-sql.js';
import { jsonObjectRecordsCtesBigQuery } from '../json-object-records-bigquery.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { CUSTOMER_KEYS_TABLE, resolveCustomerKeys } from '../../../transform/silver/identity/customer-key-batch.js';
import {
  customerKeyJoinSqlBigQuery,
  distinctIdentityInputsBigQuery,
  storeCustomerKeysBigQuery,
} from '../../../transform/silver/identity/customer-key-batch-bigquery.js';
import { normalizePhone } from '../../../shared/contact-normalize.js';
import { SILVER_CLUB_MEMBER_COLUMNS } from '../../../transform/silver/merge-club-members.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { CLUB_MEMBER_ENTITY, CLUB_STATUSES } from './club-registry-names.js';

const BATCH_TABLE = 'temp.club_member_stage_batch';
const PHONES_TABLE = 'temp.club_member_stage_phones';
/** Phone pairs per INSERT: a JSON parameter well inside a request's 10 MB. */
const PHONES_PER_STATEMENT = 50_000;

const field = (name: string) => jsonText('p', `$.row.${name}`);
const text = (name: string) => `NULLIF(TRIM(${field(name)}), '')`;
const received = (name: string) => jsonRaw('p', `$.row.${name}`);
/** DuckDB's TRY_CAST(text AS BIGINT), which rounds a decimal text to the nearest integer as a cast from NUMERIC does. */
const bigint = (textSql: string) => `SAFE_CAST(SAFE_CAST(${textSql} AS NUMERIC) AS INT64)`;
const STATUS_LIST = CLUB_STATUSES.map((s) => `'${s}'`).join(', ');
const OPS = `'snapshot', 'snapshot_end', 'insert', 'update', 'delete'`;
const op = jsonText('p', '$.op');
const lsnText = jsonText('p', '$.lsn');

/** `stageClubMembers` on BigQuery: the same staged rows and quarantine reasons from BigQuery's JSON functions. */
export async function stageClubMembersBigQuery(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  await ensureSilverStaging(tx);
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE.replace('temp.', '')} AS
     WITH ${jsonObjectRecordsCtesBigQuery(bronze.sql, CLUB_MEMBER_ENTITY)}
     SELECT seq, record_id, natural_key, payload, received_at,
       ${op} AS op, ${bigint(lsnText)} AS lsn,
       ${field('id')} AS member_id,
       NULLIF(REGEXP_REPLACE(IFNULL(${field('document')}, ''), r'[^0-9]', ''), '') AS document,
       ${text('name')} AS name, LOWER(${text('email')}) AS email, ${text('phone')} AS phone,
       LOWER(${text('club_status')}) AS club_status, ${text('tier')} AS tier,
       CASE ${jsonType('p', '$.row.marketing_opt_in')} WHEN 'boolean' THEN ${field('marketing_opt_in')} = 'true' END AS marketing_opt_in,
       ${text('signup_store')} AS signup_store, ${text('campaign')} AS campaign,
       ${tryInstant(field('updated_at'))} AS source_updated_at,
       ${field('document')} AS id_document, CAST(NULL AS STRING) AS id_corporate_document, ${field('email')} AS id_email,
       ${field('phone')} AS id_phone, CAST(NULL AS STRING) AS id_profile,
       CASE
         WHEN NOT is_object THEN 'payload: expected a JSON object (a club registry change)'
         WHEN IFNULL(${op}, '') NOT IN (${OPS}) THEN 'op: expected one of ${OPS.replace(/'/g, '')}, received ' || IFNULL(${jsonRaw('p', '$.op')}, 'nothing')
         WHEN ${bigint(lsnText)} IS NULL THEN 'lsn: expected a WAL position as a decimal integer, received ' || IFNULL(${jsonRaw('p', '$.lsn')}, 'nothing')
         WHEN ${op} = 'snapshot_end' THEN NULL
         WHEN NULLIF(${field('id')}, '') IS NULL THEN 'id: required'
         WHEN ${field('id')} <> natural_key THEN 'id: ' || ${field('id')} || ' is not the member it was landed as (' || natural_key || ')'
         WHEN ${op} = 'delete' THEN NULL
         WHEN ${text('club_status')} IS NULL THEN 'club_status: required (one of ${STATUS_LIST.replace(/'/g, '')})'
         WHEN LOWER(${text('club_status')}) NOT IN (${STATUS_LIST}) THEN 'club_status: expected one of ${STATUS_LIST.replace(/'/g, '')}, received ' || ${received('club_status')}
         WHEN ${jsonType('p', '$.row.marketing_opt_in')} NOT IN ('boolean', 'null') THEN 'marketing_opt_in: expected true or false, received ' || ${received('marketing_opt_in')}
         WHEN ${field('updated_at')} IS NOT NULL AND ${tryInstant(field('updated_at'))} IS NULL THEN 'updated_at: expected an instant, received ' || ${received('updated_at')}
         WHEN ${jsonType('p', '$.row.email')} NOT IN ('string', 'null') THEN 'email: expected text, received ' || ${received('email')}
         WHEN REGEXP_CONTAINS(IFNULL(${field('document')}, ''), r'[^0-9.\\-/ ]') THEN 'document: expected CPF or CNPJ digits (punctuation allowed), received ' || ${received('document')}
       END AS reason
     FROM j`,
    bronze.params,
  );
  const identities = await distinctIdentityInputsBigQuery(tx, BATCH_TABLE, `reason IS NULL AND op NOT IN ('delete', 'snapshot_end')`);
  await storeCustomerKeysBigQuery(tx, await resolveCustomerKeys(identities));
  await storePhones(tx);
  const cols = SILVER_CLUB_MEMBER_COLUMNS.join(', ');
  const members = await tx.execute(
    `INSERT INTO ${STAGE.clubMembers} (${cols}, deleted)
     SELECT ?, b.member_id, b.document,
            CASE WHEN k.customer_key = 'cpf:' || b.document THEN 'cpf' WHEN k.customer_key = 'cnpj:' || b.document THEN 'cnpj' END,
            b.name, b.email, COALESCE(ph.e164, b.phone), b.club_status, b.tier, b.marketing_opt_in, b.signup_store, b.campaign,
            b.source_updated_at, b.lsn, k.customer_key, b.record_id, b.seq, CAST(? AS TIMESTAMP), b.op = 'delete'
     FROM ${BATCH_TABLE} b
     LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON b.op <> 'delete' AND ${customerKeyJoinSqlBigQuery('b', 'k')}
     LEFT JOIN ${PHONES_TABLE} ph ON ph.raw = b.phone
     WHERE b.reason IS NULL AND b.op <> 'snapshot_end'`,
    [ctx.source, ctx.now],
  );
  const ends = await tx.execute(
    `INSERT INTO ${STAGE.clubSnapshots} (source, lsn, bronze_seq) SELECT ?, lsn, seq FROM ${BATCH_TABLE} WHERE reason IS NULL AND op = 'snapshot_end'`,
    [ctx.source],
  );
  const quarantined = await tx.execute(
    `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
     SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM ${BATCH_TABLE} WHERE reason IS NOT NULL`,
    [ctx.source, CLUB_MEMBER_ENTITY, ctx.now, ctx.runId],
  );
  for (const table of [BATCH_TABLE, CUSTOMER_KEYS_TABLE, PHONES_TABLE]) await tx.execute(`DROP TABLE ${table}`);
  return { staged: members + ends, quarantined };
}

/** The batch's distinct phone numbers with their E.164 form, where `normalizePhone` finds one. */
async function storePhones(tx: SqlExecutor): Promise<void> {
  const rows = await tx.query<{ phone: string }>(`SELECT DISTINCT phone FROM ${BATCH_TABLE} WHERE reason IS NULL AND phone IS NOT NULL`);
  const pairs = rows.flatMap(({ phone: raw }) => {
    const e164 = normalizePhone(raw);
    return e164 === undefined ? [] : [{ raw, e164 }];
  });
  await tx.execute(`CREATE OR REPLACE TEMP TABLE ${PHONES_TABLE.replace('temp.', '')} (raw STRING NOT NULL, e164 STRING NOT NULL)`);
  for (let start = 0; start < pairs.length; start += PHONES_PER_STATEMENT) {
    await tx.execute(
      `INSERT INTO ${PHONES_TABLE} (raw, e164)
       SELECT JSON_VALUE(pair, '$.raw'), JSON_VALUE(pair, '$.e164') FROM UNNEST(JSON_QUERY_ARRAY(?, '$')) AS pair`,
      [JSON.stringify(pairs.slice(start, start + PHONES_PER_STATEMENT))],
    );
  }
}
