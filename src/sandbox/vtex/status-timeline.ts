import type { Rng } from './random.js';
import type { SandboxOrder, VtexCancellationData } from './vtex-order-types.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, formatOffset, formatZulu, type VtexInstant } from './vtex-time.js';

/**
 * Each order's life as a list of workflow steps with their own timestamps. The generated order is
 * the state after the last step; the state "as of step k" is derived from it, so the sandbox can
 * publish an order step by step and always agree with its final document.
 */

/** The VTEX status strings the sandbox walks through (a subset of the documented list). */
export const SANDBOX_STATUSES = [
  'order-created',
  'payment-pending',
  'payment-approved',
  'ready-for-handling',
  'handling',
  'invoiced',
  'request-cancel',
  'canceled',
] as const;
export type SandboxStatus = (typeof SANDBOX_STATUSES)[number];

/** The labels the Admin shows (`statusDescription`, deprecated but still returned). */
export const STATUS_DESCRIPTIONS: Readonly<Record<SandboxStatus, string>> = {
  'order-created': 'Processando',
  'payment-pending': 'Pagamento Pendente',
  'payment-approved': 'Pagamento Aprovado',
  'ready-for-handling': 'Pronto para o manuseio',
  handling: 'Preparando Entrega',
  invoiced: 'Faturado',
  'request-cancel': 'Cancelamento Solicitado',
  canceled: 'Cancelado',
};

export type PaymentKind = 'creditCard' | 'pix' | 'boleto' | 'promissory';

/** How an order's story ends, before the clock (`endAt`) possibly cuts it short. */
export type TimelineFate = 'complete' | 'stuck-pending' | 'stuck-handling' | 'pending-canceled' | 'approved-canceled';

export interface StatusStep {
  readonly status: SandboxStatus;
  readonly at: VtexInstant;
}

export interface Cancellation {
  readonly requestedBy: 'user' | 'system' | 'seller' | 'payment';
  readonly reason: string;
}

export interface Timeline {
  readonly steps: readonly StatusStep[];
  /** Set when the last step is `canceled`. */
  readonly cancellation: Cancellation | null;
}

export interface TimelineOptions {
  readonly createdAt: number;
  readonly payment: PaymentKind;
  /** Steps after this instant have not happened yet and are left out. */
  readonly endAt: number;
  /** Live orders progress in seconds rather than hours, so a demo shows them moving. */
  readonly live: boolean;
}

const FATES: Readonly<Record<PaymentKind, ReadonlyArray<readonly [TimelineFate, number]>>> = {
  creditCard: [['pending-canceled', 3], ['approved-canceled', 3], ['stuck-handling', 2], ['stuck-pending', 0.5], ['complete', 91.5]],
  pix: [['pending-canceled', 8], ['approved-canceled', 3], ['stuck-handling', 2], ['stuck-pending', 0.5], ['complete', 86.5]],
  boleto: [['pending-canceled', 25], ['approved-canceled', 2], ['stuck-handling', 2], ['stuck-pending', 1], ['complete', 70]],
  promissory: [['pending-canceled', 1], ['approved-canceled', 4], ['stuck-handling', 2], ['stuck-pending', 0], ['complete', 93]],
};

const APPROVAL_MEDIAN_MS: Readonly<Record<PaymentKind, number>> = {
  creditCard: 40_000,
  pix: 4 * MS_PER_MINUTE,
  boleto: 20 * MS_PER_HOUR,
  promissory: 2 * MS_PER_MINUTE,
};

const PENDING_CANCEL_MS: Readonly<Record<PaymentKind, readonly [number, number]>> = {
  creditCard: [MS_PER_MINUTE, 5 * MS_PER_MINUTE],
  pix: [30 * MS_PER_MINUTE, 60 * MS_PER_MINUTE],
  boleto: [3 * MS_PER_DAY, 5 * MS_PER_DAY],
  promissory: [10 * MS_PER_MINUTE, 2 * MS_PER_HOUR],
};

const PENDING_CANCEL_REASON: Readonly<Record<PaymentKind, Cancellation>> = {
  creditCard: { requestedBy: 'payment', reason: 'Pagamento recusado pela operadora do cartão' },
  pix: { requestedBy: 'system', reason: 'Pix expirado sem pagamento' },
  boleto: { requestedBy: 'system', reason: 'Boleto vencido sem pagamento' },
  promissory: { requestedBy: 'seller', reason: 'Pedido cancelado pelo marketplace' },
};

const LATE_CANCEL_REASONS: readonly Cancellation[] = [
  { requestedBy: 'user', reason: 'Cliente desistiu da compra' },
  { requestedBy: 'user', reason: 'Compra realizada em duplicidade' },
  { requestedBy: 'seller', reason: 'Produto sem estoque' },
  { requestedBy: 'user', reason: 'Prazo de entrega não atende o cliente' },
];

export function pickFate(rng: Rng, payment: PaymentKind): TimelineFate {
  const table = FATES[payment];
  let target = rng.next() * 100;
  for (const [fate, weight] of table) {
    if (target < weight) return fate;
    target -= weight;
  }
  return 'complete';
}

export function planTimeline(rng: Rng, options: TimelineOptions): Timeline {
  const { payment, live, endAt } = options;
  const fate = pickFate(rng, payment);
  const gap = (median: number, spread: number, min: number, max: number): number =>
    live ? rng.int(300, 2_500) : Math.round(Math.min(max, Math.max(min, rng.skewed(median, spread))));

  const planned: Array<[SandboxStatus, number]> = [];
  let t = options.createdAt;
  const push = (status: SandboxStatus, delay: number): void => {
    t += Math.max(1, delay);
    planned.push([status, t]);
  };
  planned.push(['order-created', t]);
  push('payment-pending', gap(3_000, 0.5, 1_000, 8_000));

  let cancellation: Cancellation | null = null;
  if (fate === 'pending-canceled') {
    const [lo, hi] = PENDING_CANCEL_MS[payment];
    push('canceled', live ? rng.int(300, 2_500) : rng.int(lo, hi));
    cancellation = PENDING_CANCEL_REASON[payment];
  } else if (fate !== 'stuck-pending') {
    push('payment-approved', gap(APPROVAL_MEDIAN_MS[payment], 0.7, 2_000, 3 * MS_PER_DAY));
    // Where a late cancellation interrupts the flow: right after approval, or while being prepared.
    const cancelAfter = fate === 'approved-canceled' ? rng.int(0, 2) : -1;
    if (cancelAfter !== 0) {
      push('ready-for-handling', gap(20 * MS_PER_MINUTE, 0.4, 2 * MS_PER_MINUTE, 2 * MS_PER_HOUR));
      if (cancelAfter !== 1) {
        push('handling', gap(5 * MS_PER_HOUR, 0.8, 5 * MS_PER_MINUTE, 2 * MS_PER_DAY));
        if (fate === 'complete') push('invoiced', gap(18 * MS_PER_HOUR, 0.7, 30 * MS_PER_MINUTE, 4 * MS_PER_DAY));
      }
    }
    if (fate === 'approved-canceled') {
      push('request-cancel', gap(3 * MS_PER_HOUR, 0.9, 2 * MS_PER_MINUTE, 2 * MS_PER_DAY));
      push('canceled', gap(30 * MS_PER_MINUTE, 0.6, MS_PER_MINUTE, 6 * MS_PER_HOUR));
      cancellation = rng.pick(LATE_CANCEL_REASONS);
    }
  }

  const steps: StatusStep[] = [];
  for (const [status, ms] of planned) {
    // The first step is the creation itself and always exists; later ones only if they happened.
    if (steps.length > 0 && ms > endAt) break;
    steps.push({ status, at: { ms, sub: rng.int(0, 9_999) } });
  }
  const last = steps[steps.length - 1];
  return { steps, cancellation: last?.status === 'canceled' ? cancellation : null };
}

/** The status-dependent fields of an order as of step `k` (0-based). */
export interface StepFields {
  status: SandboxStatus;
  statusDescription: string;
  lastChange: string;
  authorizedDate: string | null;
  invoicedDate: string | null;
  cancelReason: string | null;
  cancellationData: VtexCancellationData | null;
  allowCancellation: boolean;
}

export function stepFields(timeline: Timeline, k: number): StepFields {
  const step = timeline.steps[k];
  if (step === undefined) throw new RangeError(`step ${k} out of range (0..${timeline.steps.length - 1})`);
  let authorizedDate: string | null = null;
  let invoicedDate: string | null = null;
  for (let i = 0; i <= k; i++) {
    const s = timeline.steps[i] as StatusStep;
    if (s.status === 'payment-approved') authorizedDate = formatOffset(s.at);
    else if (s.status === 'invoiced') invoicedDate = formatOffset(s.at);
  }
  const canceled = step.status === 'canceled' && timeline.cancellation !== null;
  const cancellation = canceled ? timeline.cancellation : null;
  return {
    status: step.status,
    statusDescription: STATUS_DESCRIPTIONS[step.status],
    lastChange: formatOffset(step.at),
    authorizedDate,
    invoicedDate,
    cancelReason: cancellation?.reason ?? null,
    cancellationData: cancellation === null
      ? null
      : {
          RequestedByUser: cancellation.requestedBy === 'user',
          RequestedBySystem: cancellation.requestedBy === 'system',
          RequestedBySellerNotification: cancellation.requestedBy === 'seller',
          RequestedByPaymentNotification: cancellation.requestedBy === 'payment',
          Reason: cancellation.reason,
          CancellationDate: formatZulu(step.at),
        },
    allowCancellation: step.status !== 'invoiced' && step.status !== 'canceled',
  };
}

/**
 * The order as Get order returns it right after step `k` was published. Only status-driven fields
 * change; the invoice package appears with the `invoiced` step.
 */
export function orderAtStep(finalOrder: SandboxOrder, timeline: Timeline, k: number): SandboxOrder {
  if (k === timeline.steps.length - 1) return finalOrder;
  const fields = stepFields(timeline, k);
  return {
    ...finalOrder,
    ...fields,
    packageAttachment: fields.invoicedDate === null ? { packages: [] } : finalOrder.packageAttachment,
  };
}
