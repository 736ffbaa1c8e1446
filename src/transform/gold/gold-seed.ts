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
