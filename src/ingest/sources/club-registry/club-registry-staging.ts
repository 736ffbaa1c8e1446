import { jsonObjectRecordsCtes } from '../json-object-records.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import {
  CUSTOMER_KEYS_TABLE,
  customerKeyJoinSql,
  distinctIdentityInputs,
  resolveCustomerKeys,
  storeCustomerKeys,
} from '../../../transform/silver/identity/customer-key-batch.js';
import { normalizePhone } from '../../../shared/contact-normalize.js';
import { SILVER_CLUB_MEMBER_COLUMNS } from '../../../transform/silver/merge-club-members.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { CLUB_MEMBER_ENTITY, CLUB_STATUSES } from './club-registry-names.js';
import { stageClubMembersBigQuery } from './club-registry-staging-bigquery.js';

const BATCH_TABLE = 'temp.club_member_stage_batch';
const PHONES_TABLE = 'temp.club_member_stage_phones';

const field = (name: string) => `p->>'$.row.${name}'`;
const text = (name: string) => `nullif(trim(${field(name)}), '')`;
const received = (name: string) => `json_extract(p, '$.row.${name}')::VARCHAR`;
const STATUS_LIST = CLUB_STATUSES.map((s) => `'${s}'`).join(', ');
const OPS = `'snapshot', 'snapshot_end', 'insert', 'update', 'delete'`;

/**
 * Club registry changes in bronze → temp.stage_club_members (and snapshot ends →
 * temp.stage_club_snapshots), set-based. Document digits only, typed cpf/cnpj only when its check
 * digits verify (the identity rule decides: the member's customer key is `cpf:`/`cnpj:` + those
 * digits exactly then); e-mail trimmed and lower-cased; phone in E.164 when it can be normalised
 * (the identity rule's `normalizePhone`, applied to the batch's distinct numbers), else as sent.
 * A change that cannot be a club member version (not an object, an unknown op, no id, a status
 * outside active/suspended/canceled, a malformed flag, instant or document) goes to quarantine with
 * the field and the value; a delete needs only its id.
 */
export async function stageClubMembers(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  if (ctx.dialect === 'bigquery') return stageClubMembersBigQuery(tx, bronze, ctx);
  await ensureSilverStaging(tx);
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE} AS
     WITH ${jsonObjectRecordsCtes(bronze.sql, CLUB_MEMBER_ENTITY)}
     SELECT seq, record_id, natural_key, payload, received_at,
       p->>'$.op' AS op, TRY_CAST(p->>'$.lsn' AS BIGINT) AS lsn,
       ${field('id')} AS member_id,
       nullif(regexp_replace(coalesce(${field('document')}, ''), '[^0-9]', '', 'g'), '') AS document,
       ${text('name')} AS name, lower(${text('email')}) AS email, ${text('phone')} AS phone,
       lower(${text('club_status')}) AS club_status, ${text('tier')} AS tier,
       CASE json_type(p, '$.row.marketing_opt_in') WHEN 'BOOLEAN' THEN ${field('marketing_opt_in')} = 'true' END AS marketing_opt_in,
       ${text('signup_store')} AS signup_store, ${text('campaign')} AS campaign,
       TRY_CAST(${field('updated_at')} AS TIMESTAMPTZ) AS source_updated_at,
       ${field('document')} AS id_document, NULL::VARCHAR AS id_corporate_document, ${field('email')} AS id_email,
       ${field('phone')} AS id_phone, NULL::VARCHAR AS id_profile,
       CASE
         WHEN NOT is_object THEN 'payload: expected a JSON object (a club registry change)'
         WHEN coalesce(p->>'$.op', '') NOT IN (${OPS}) THEN 'op: expected one of ${OPS.replace(/'/g, '')}, received ' || coalesce(json_extract(p, '$.op')::VARCHAR, 'nothing')
         WHEN TRY_CAST(p->>'$.lsn' AS BIGINT) IS NULL THEN 'lsn: expected a WAL position as a decimal integer, received ' || coalesce(json_extract(p, '$.lsn')::VARCHAR, 'nothing')
         WHEN p->>'$.op' = 'snapshot_end' THEN NULL
         WHEN nullif(${field('id')}, '') IS NULL THEN 'id: required'
         WHEN ${field('id')} <> natural_key THEN 'id: ' || (${field('id')}) || ' is not the member it was landed as (' || natural_key || ')'
         WHEN p->>'$.op' = 'delete' THEN NULL
         WHEN ${text('club_status')} IS NULL THEN 'club_status: required (one of ${STATUS_LIST.replace(/'/g, '')})'
         WHEN lower(${text('club_status')}) NOT IN (${STATUS_LIST}) THEN 'club_status: expected one of ${STATUS_LIST.replace(/'/g, '')}, received ' || ${received('club_status')}
         WHEN json_type(p, '$.row.marketing_opt_in') NOT IN ('BOOLEAN', 'NULL') THEN 'marketing_opt_in: expected true or false, received ' || ${received('marketing_opt_in')}
         WHEN ${field('updated_at')} IS NOT NULL AND TRY_CAST(${field('updated_at')} AS TIMESTAMPTZ) IS NULL THEN 'updated_at: expected an instant, received ' || ${received('updated_at')}
         WHEN json_type(p, '$.row.email') NOT IN ('VARCHAR', 'NULL') THEN 'email: expected text, received ' || ${received('email')}
         WHEN regexp_matches(coalesce(${field('document')}, ''), '[^0-9.\\-/ ]') THEN 'document: expected CPF or CNPJ digits (punctuation allowed), received ' || ${received('document')}
       END AS reason
     FROM j`,
    bronze.params,
  );
  const identities = await distinctIdentityInputs(tx, BATCH_TABLE, `reason IS NULL AND op NOT IN ('delete', 'snapshot_end')`);
  await storeCustomerKeys(tx, await resolveCustomerKeys(identities));
  await storePhones(tx);
  const cols = SILVER_CLUB_MEMBER_COLUMNS.join(', ');
  const members = await tx.execute(
    `INSERT INTO ${STAGE.clubMembers} (${cols}, deleted)
     SELECT ?, b.member_id, b.document,
            CASE WHEN k.customer_key = 'cpf:' || b.document THEN 'cpf' WHEN k.customer_key = 'cnpj:' || b.document THEN 'cnpj' END,
            b.name, b.email, coalesce(ph.e164, b.phone), b.club_status, b.tier, b.marketing_opt_in, b.signup_store, b.campaign,
            b.source_updated_at, b.lsn, k.customer_key, b.record_id, b.seq, ?::TIMESTAMPTZ, b.op = 'delete'
     FROM ${BATCH_TABLE} b
     LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON b.op <> 'delete' AND ${customerKeyJoinSql('b', 'k')}
     LEFT JOIN ${PHONES_TABLE} ph ON ph.raw = b.phone
     WHERE b.reason IS NULL AND b.op <> 'snapshot_end'`,
    [ctx.source, ctx.now],
  );
  const ends = await tx.execute(
    `INSERT INTO ${STAGE.clubSnapshots} SELECT ?, lsn, seq FROM ${BATCH_TABLE} WHERE reason IS NULL AND op = 'snapshot_end'`,
    [ctx.source],
  );
  const quarantined = await tx.execute(
    `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
     SELECT uuid()::VARCHAR, ?, ?, natural_key, reason, payload, record_id, ?::TIMESTAMPTZ, ? FROM ${BATCH_TABLE} WHERE reason IS NOT NULL`,
    [ctx.source, CLUB_MEMBER_ENTITY, ctx.now, ctx.runId],
  );
  await tx.execute(`DROP TABLE ${BATCH_TABLE}; DROP TABLE ${CUSTOMER_KEYS_TABLE}; DROP TABLE ${PHONES_TABLE}`);
  return { staged: members + ends, quarantined };
}

/** The batch's distinct phone numbers with their E.164 form, where `normalizePhone` finds one. */
async function storePhones(tx: SqlExecutor): Promise<void> {
  const [row] = await tx.query<{ phones: string | null }>(
    `SELECT CAST(to_json(coalesce(list(DISTINCT phone), [])) AS VARCHAR) AS phones FROM ${BATCH_TABLE} WHERE reason IS NULL AND phone IS NOT NULL`,
  );
  const pairs = (JSON.parse(row?.phones ?? '[]') as string[]).flatMap((raw) => {
    const e164 = normalizePhone(raw);
    return e164 === undefined ? [] : [[raw, e164]];
  });
  await tx.execute(`CREATE OR REPLACE TEMP TABLE ${PHONES_TABLE} (raw VARCHAR NOT NULL, e164 VARCHAR NOT NULL)`);
  if (pairs.length === 0) return;
  await tx.execute(
    `INSERT INTO ${PHONES_TABLE} SELECT t[1], t[2] FROM (SELECT unnest(from_json(?::VARCHAR, '[["VARCHAR"]]')) AS t)`,
    [JSON.stringify(pairs)],
  );
}
