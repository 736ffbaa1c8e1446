import { completeCnpj } from './cnpj.js';
import type { Rng } from './random.js';
import { STORES, type StoreFixture } from './store-fixture.js';
import type { VtexPackage } from './vtex-order-types.js';

/**
 * The NF-e (electronic invoice) package attached when an order is invoiced. Access keys follow
 * the real 44-digit layout with its mod-11 check digit, so fiscal-key parsers can be exercised.
 */

/** The retailer's CNPJ root; each store is a branch of the same company. */
const RETAILER_CNPJ_ROOT = '24681357';

const IBGE_STATE_CODES: Readonly<Record<string, string>> = { SP: '35', RJ: '33', MG: '31', RS: '43', PR: '41', SC: '42' };

const STORE_CNPJ: ReadonlyMap<string, string> = new Map(
  STORES.map((store, i) => [store.id, completeCnpj(`${RETAILER_CNPJ_ROOT}${String(i + 1).padStart(4, '0')}`)]),
);

export interface InvoiceInput {
  readonly store: StoreFixture;
  readonly customerState: string;
  readonly index: number;
  readonly issuedAtMs: number;
  readonly issuanceDate: string;
  readonly value: number;
  readonly courier: string | null;
  readonly pickup: boolean;
  readonly lines: ReadonlyArray<{ readonly quantity: number; readonly sellingPrice: number }>;
}

export function buildInvoicePackage(rng: Rng, input: InvoiceInput): VtexPackage {
  const invoiceNumber = String(10_000 + input.index);
  const trackingNumber = input.pickup ? null : input.courier?.startsWith('Correios') ? `BR${rng.digits(9)}BR` : `LG${rng.digits(11)}`;
  return {
    items: input.lines.map((line, itemIndex) => ({
      itemIndex,
      quantity: line.quantity,
      price: line.sellingPrice,
      description: null,
      unitMultiplier: 1,
    })),
    courier: input.courier,
    invoiceNumber,
    invoiceValue: input.value,
    invoiceUrl: null,
    issuanceDate: input.issuanceDate,
    trackingNumber,
    invoiceKey: nfeAccessKey(rng, input.store, input.issuedAtMs, invoiceNumber),
    trackingUrl: trackingNumber === null
      ? null
      : trackingNumber.startsWith('BR')
        ? `https://rastreamento.correios.com.br/app/index.php?objeto=${trackingNumber}`
        : `https://www.loggi.com/rastreador/${trackingNumber}`,
    embeddedInvoice: '',
    type: 'Output',
    courierStatus: null,
    // CFOP 5102 = sale inside the state, 6102 = interstate sale.
    cfop: input.customerState === input.store.address.state ? '5102' : '6102',
    restitutions: {},
    volumes: 1,
    EnableInferItems: null,
  };
}

/** cUF + AAMM + CNPJ + model 55 + series + number + emission type + random code + check digit. */
function nfeAccessKey(rng: Rng, store: StoreFixture, issuedAtMs: number, invoiceNumber: string): string {
  const date = new Date(issuedAtMs);
  const yymm = `${String(date.getUTCFullYear() % 100).padStart(2, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  const cuf = IBGE_STATE_CODES[store.address.state] ?? '35';
  const cnpj = STORE_CNPJ.get(store.id) ?? completeCnpj(`${RETAILER_CNPJ_ROOT}0001`);
  const body = `${cuf}${yymm}${cnpj}55001${invoiceNumber.padStart(9, '0')}1${rng.digits(8)}`;
  let sum = 0;
  let weight = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const dv = 11 - (sum % 11);
  return `${body}${dv >= 10 ? 0 : dv}`;
}
