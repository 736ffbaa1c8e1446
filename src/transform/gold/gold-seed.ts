/**
 * Reference rows gold needs before any data: the calendar, the order-status classification and
 * the data-version counter.
 *
 * A VTEX order counts as a sale once it reached `payment-approved` or a later fulfilment status
 * and is not canceled. VTEX warns integrations to handle every status, so every documented one
 * is listed; a status not listed here is treated as not (yet) a sale.
 */
const STATUSES: readonly (readonly [status: string, stage: string, isSale: boolean, label: string])[] = [
  ['order-created', 'created', false, 'Pedido criado'],
  ['order-accepted', 'created', false, 'Pedido aceito'],
  ['order-completed', 'created', false, 'Pedido finalizado'],
  ['on-order-completed', 'created', false, 'Pedido finalizado'],
  ['on-order-completed-ffm', 'created', false, 'Pedido finalizado (fulfillment)'],
  ['waiting-for-sellers-confirmation', 'created', false, 'Aguardando confirmação do seller'],
  ['window-to-change-seller', 'created', false, 'Janela para troca de seller'],
  ['waiting-for-seller-decision', 'created', false, 'Aguardando decisão do seller'],
  ['payment-pending', 'payment', false, 'Pagamento pendente'],
  ['waiting-for-order-authorization', 'payment', false, 'Aguardando autorização do pedido'],
  ['approve-payment', 'payment', false, 'Aprovar pagamento'],
  ['waiting-for-authorization', 'payment', false, 'Aguardando autorização'],
  ['waiting-for-manual-authorization', 'payment', false, 'Aguardando autorização manual'],
  ['waiting-for-mkt-authorization', 'payment', false, 'Aguardando autorização do marketplace'],
  ['window-to-change-payment', 'payment', false, 'Janela para troca de pagamento'],
  ['payment-approved', 'fulfilment', true, 'Pagamento aprovado'],
  ['authorize-fulfillment', 'fulfilment', true, 'Autorizar despacho'],
  ['waiting-ffmt-authorization', 'fulfilment', true, 'Aguardando autorização para despachar'],
  ['waiting-for-fulfillment', 'fulfilment', true, 'Aguardando fulfillment'],
  ['window-to-cancel', 'fulfilment', true, 'Carência para cancelamento'],
  ['ready-for-handling', 'fulfilment', true, 'Pronto para manuseio'],
  ['start-handling', 'fulfilment', true, 'Iniciar manuseio'],
  ['handling', 'fulfilment', true, 'Preparando entrega'],
  ['waiting-seller-handling', 'fulfilment', true, 'Aguardando manuseio do seller'],
  ['ready-for-invoicing', 'fulfilment', true, 'Pronto para faturamento'],
  ['invoice', 'invoiced', true, 'Faturando'],
  ['invoiced', 'invoiced', true, 'Faturado'],
  ['invoice-after-cancellation-deny', 'invoiced', true, 'Faturado após recusa de cancelamento'],
  ['request-cancel', 'canceled', false, 'Cancelamento solicitado'],
  ['cancellation-requested', 'canceled', false, 'Cancelamento solicitado'],
  ['cancel', 'canceled', false, 'Cancelando'],
  ['canceled', 'canceled', false, 'Cancelado'],
  ['replaced', 'canceled', false, 'Substituído'],
  ['order-create-error', 'canceled', false, 'Erro na criação do pedido'],
  ['order-creation-error', 'canceled', false, 'Erro na criação do pedido'],
];

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const GOLD_SEED_SQL = `
INSERT INTO gold.dim_date
SELECT d::DATE, year(d), quarter(d), month(d),
       ['janeiro','fevereiro','março','abril','maio','junho','julho','agosto','setembro','outubro','novembro','dezembro'][month(d)],
       day(d), isodow(d),
       ['segunda-feira','terça-feira','quarta-feira','quinta-feira','sexta-feira','sábado','domingo'][isodow(d)],
       weekofyear(d), isodow(d) >= 6
FROM range(DATE '2015-01-01', DATE '2041-01-01', INTERVAL 1 DAY) AS t(d)
ON CONFLICT DO NOTHING;
INSERT INTO gold.dim_order_status VALUES
${STATUSES.map(([s, stage, sale, label]) => `(${sqlString(s)}, ${sqlString(stage)}, ${sale}, ${sqlString(label)})`).join(',\n')}
ON CONFLICT DO NOTHING;
INSERT INTO ops.data_versions VALUES ('gold', 0, now()) ON CONFLICT DO NOTHING;
`;

const MONTHS = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'];
const WEEKDAYS = ['segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado', 'domingo'];
/** A BigQuery string literal of seed text: BigQuery reads `\` as an escape and has no `''`, so neither may occur. */
const bigQueryString = (s: string) => {
  if (/['\\]/.test(s)) throw new Error(`seed text with a quote or backslash: ${s}`);
  return `'${s}'`;
};
const caseOf = (expr: string, names: readonly string[]) =>
  `CASE ${expr} ${names.map((n, i) => `WHEN ${i + 1} THEN ${bigQueryString(n)}`).join(' ')} END`;

/**
 * The same reference rows on BigQuery, re-runnable (MERGE on the key, where DuckDB has ON
 * CONFLICT DO NOTHING): the calendar from 2015 to 2040 made from a cross join of digits (no
 * range function needed; 10,000 candidate days, 9,497 kept), ISO weekday from BigQuery's
 * Sunday-first DAYOFWEEK, and the status list. The data-version counter needs no row: its
 * writer is a MERGE (warehouse/data-version.ts). For a BigQuery migration after `0005`.
 */
export const GOLD_SEED_BIGQUERY_SQL = `
MERGE INTO gold.dim_date AS t
USING (
  WITH digits AS (${Array.from({ length: 10 }, (_, i) => `SELECT ${i} AS n`).join(' UNION ALL ')}),
  days AS (
    SELECT DATE_ADD(DATE '2015-01-01', INTERVAL (a.n + 10 * b.n + 100 * c.n + 1000 * e.n) DAY) AS d
    FROM digits a CROSS JOIN digits b CROSS JOIN digits c CROSS JOIN digits e
  ),
  calendar AS (
    SELECT d, CASE EXTRACT(DAYOFWEEK FROM d) WHEN 1 THEN 7 ELSE EXTRACT(DAYOFWEEK FROM d) - 1 END AS dow
    FROM days WHERE d < DATE '2041-01-01'
  )
  SELECT d AS date_key, EXTRACT(YEAR FROM d) AS year, EXTRACT(QUARTER FROM d) AS quarter, EXTRACT(MONTH FROM d) AS month,
         ${caseOf('EXTRACT(MONTH FROM d)', MONTHS)} AS month_name,
         EXTRACT(DAY FROM d) AS day, dow AS day_of_week, ${caseOf('dow', WEEKDAYS)} AS day_name,
         EXTRACT(ISOWEEK FROM d) AS iso_week, dow >= 6 AS is_weekend
  FROM calendar
) AS s
ON t.date_key = s.date_key
WHEN NOT MATCHED THEN INSERT (date_key, year, quarter, month, month_name, day, day_of_week, day_name, iso_week, is_weekend)
  VALUES (s.date_key, s.year, s.quarter, s.month, s.month_name, s.day, s.day_of_week, s.day_name, s.iso_week, s.is_weekend);
MERGE INTO gold.dim_order_status AS t
USING (
  ${STATUSES.map(([st, stage, sale, label], i) => i === 0
    ? `SELECT ${bigQueryString(st)} AS status, ${bigQueryString(stage)} AS stage, ${sale} AS is_sale, ${bigQueryString(label)} AS label_pt`
    : `SELECT ${bigQueryString(st)}, ${bigQueryString(stage)}, ${sale}, ${bigQueryString(label)}`).join('\n  UNION ALL ')}
) AS s
ON t.status = s.status
WHEN NOT MATCHED THEN INSERT (status, stage, is_sale, label_pt) VALUES (s.status, s.stage, s.is_sale, s.label_pt);
`;
