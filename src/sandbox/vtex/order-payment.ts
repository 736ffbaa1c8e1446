import type { PoolCustomer } from './customer-pool.js';
import { type Rng, WeightedTable } from './random.js';
import type { ChannelKind } from './sales-channel-fixture.js';
import type { PaymentKind } from './status-timeline.js';
import type { VtexPayment, VtexPaymentData } from './vtex-order-types.js';
import { MS_PER_DAY, formatDay } from './vtex-time.js';

/**
 * One payment transaction per order, paying exactly the order value. Card installments are
 * interest-free ("sem juros"), the norm in Brazilian retail, so `value === referenceValue`.
 */

interface CardBrand {
  readonly paymentSystem: string;
  readonly name: string;
  readonly bin: string;
}
const CARD_BRANDS = new WeightedTable<CardBrand>([
  [{ paymentSystem: '2', name: 'Visa', bin: '4' }, 40],
  [{ paymentSystem: '4', name: 'Mastercard', bin: '5' }, 36],
  [{ paymentSystem: '9', name: 'Elo', bin: '636368' }, 12],
  [{ paymentSystem: '1', name: 'American Express', bin: '37' }, 6],
  [{ paymentSystem: '7', name: 'Hipercard', bin: '606282' }, 6],
]);
const OWN_CHANNEL_METHODS = new WeightedTable<PaymentKind>([['creditCard', 55], ['pix', 32], ['boleto', 13]]);
const INSTALLMENTS = new WeightedTable<number>([[1, 34], [2, 10], [3, 16], [4, 6], [5, 6], [6, 10], [8, 6], [10, 12]]);
const ACQUIRERS: readonly string[] = ['Cielo', 'Rede', 'Stone', 'GetNet'];
/** Smallest installment a retailer usually allows, in cents. */
const MIN_INSTALLMENT_CENTS = 5_000;

export function pickPaymentKind(rng: Rng, channel: ChannelKind): PaymentKind {
  return channel === 'marketplace' ? 'promissory' : OWN_CHANNEL_METHODS.pick(rng);
}

export interface PaymentInput {
  readonly kind: PaymentKind;
  readonly value: number;
  readonly customer: PoolCustomer;
  readonly createdAt: number;
  readonly account: string;
  readonly marketplaceName: string | null;
}

export function buildPaymentData(rng: Rng, input: PaymentInput): VtexPaymentData {
  const { kind, value, customer, createdAt, account } = input;
  const tid = rng.digits(10);
  const nsu = rng.digits(6);
  const authId = rng.digits(6);
  const paymentId = rng.hex(32).toUpperCase();
  const base: VtexPayment = {
    id: paymentId,
    paymentSystem: '',
    paymentSystemName: '',
    value,
    installments: 1,
    referenceValue: value,
    cardHolder: null,
    cardNumber: null,
    firstDigits: null,
    lastDigits: null,
    cvv2: null,
    expireMonth: null,
    expireYear: null,
    url: null,
    giftCardId: null,
    giftCardName: null,
    giftCardCaption: null,
    redemptionCode: null,
    group: 'creditCard',
    tid,
    dueDate: null,
    connectorResponses: {
      Message: null,
      tid,
      authorizationId: authId,
      status: 'approved',
      delayToAutoSettle: 21_600,
      ReturnCode: '00',
      nsu,
      code: '00',
      message: 'Transação autorizada',
      Tid: tid,
      acquirer: rng.pick(ACQUIRERS),
      authId,
      paymentId,
      delayToAutoSettleAfterAntifraud: '1800',
    },
    giftCardProvider: null,
    giftCardAsDiscount: null,
    koinUrl: null,
    accountId: null,
    parentAccountId: null,
    bankIssuedInvoiceIdentificationNumber: null,
    bankIssuedInvoiceIdentificationNumberFormatted: null,
    bankIssuedInvoiceBarCodeNumber: null,
    bankIssuedInvoiceBarCodeType: null,
    billingAddress: null,
    paymentOrigin: null,
  };

  let payment: VtexPayment;
  switch (kind) {
    case 'creditCard': {
      const brand = CARD_BRANDS.pick(rng);
      const maxInstallments = Math.max(1, Math.min(10, Math.floor(value / MIN_INSTALLMENT_CENTS)));
      const a = customer.address;
      payment = {
        ...base,
        paymentSystem: brand.paymentSystem,
        paymentSystemName: brand.name,
        group: 'creditCard',
        installments: Math.min(maxInstallments, INSTALLMENTS.pick(rng)),
        firstDigits: (brand.bin + rng.digits(6)).slice(0, 6),
        lastDigits: rng.digits(4),
        accountId: rng.hex(32).toUpperCase(),
        billingAddress: {
          postalCode: a.postalCode, city: a.city, state: a.state, country: 'BRA', street: a.street,
          number: a.number, neighborhood: a.neighborhood, complement: a.complement || null, reference: null,
          geoCoordinates: a.geoCoordinates,
        },
      };
      break;
    }
    case 'pix':
      payment = { ...base, paymentSystem: '125', paymentSystemName: 'Pix', group: 'instantPayment' };
      payment.connectorResponses.acquirer = 'PagarMe';
      break;
    case 'boleto': {
      const line = `237${rng.digits(44)}`;
      payment = {
        ...base,
        paymentSystem: '6',
        paymentSystemName: 'Boleto Bancário',
        group: 'bankInvoice',
        url: `https://${account}.vtexpayments.com.br/BankIssuedInvoice/Transaction/${paymentId}/Payment/${paymentId}/Installment/{Installment}`,
        dueDate: formatDay(createdAt + 3 * MS_PER_DAY),
        bankIssuedInvoiceIdentificationNumber: line,
        bankIssuedInvoiceIdentificationNumberFormatted:
          `${line.slice(0, 5)}.${line.slice(5, 10)} ${line.slice(10, 15)}.${line.slice(15, 21)} ${line.slice(21, 26)}.${line.slice(26, 32)} ${line.slice(32, 33)} ${line.slice(33)}`,
        bankIssuedInvoiceBarCodeNumber: `237${rng.digits(41)}`,
        bankIssuedInvoiceBarCodeType: 'i25',
      };
      payment.connectorResponses.acquirer = 'Bradesco';
      break;
    }
    case 'promissory':
      payment = { ...base, paymentSystem: '17', paymentSystemName: 'Promissory', group: 'promissory', paymentOrigin: input.marketplaceName };
      payment.connectorResponses.acquirer = input.marketplaceName ?? 'marketplace';
      break;
    default: {
      const unreachable: never = kind;
      throw new Error(`unhandled payment kind ${String(unreachable)}`);
    }
  }

  return {
    giftCards: [],
    transactions: [{ isActive: true, transactionId: rng.hex(32).toUpperCase(), merchantName: account.toUpperCase(), payments: [payment] }],
  };
}
