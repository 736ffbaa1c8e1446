import type { PoolCustomer } from './customer-pool.js';
import type { Rng } from './random.js';
import type { StoreFixture } from './store-fixture.js';
import type { VtexAddress, VtexLogisticsInfo, VtexPickupAddress, VtexShippingData, VtexSla } from './vtex-order-types.js';
import { MS_PER_DAY, formatOffset } from './vtex-time.js';

/**
 * Delivery or pickup for an order. Pickup is free; delivery is free above a threshold, otherwise
 * priced by how far the customer is from the dispatching store. The order-level freight is split
 * over the item lines to the cent (VTEX prices freight per `logisticsInfo` entry).
 */

export type FulfillmentMode = 'delivery' | 'pickup';

export const FREE_SHIPPING_THRESHOLD_CENTS = 29_900;

const SOUTH_EAST_SOUTH = new Set(['SP', 'RJ', 'MG', 'ES', 'PR', 'SC', 'RS']);
const DELIVERY_CHANNELS = Object.freeze([
  Object.freeze({ id: 'delivery', stockBalance: 0 }),
  Object.freeze({ id: 'pickup-in-point', stockBalance: 0 }),
]);
const SHIPS_TO = Object.freeze(['BRA']);

interface Carrier {
  readonly sla: string;
  readonly company: string;
  readonly courierId: string;
}
const NORMAL_CARRIERS: readonly Carrier[] = [
  { sla: 'Normal', company: 'Correios PAC', courierId: '1a2f' },
  { sla: 'Normal', company: 'Jadlog', courierId: '1b3c' },
  { sla: 'Normal', company: 'Loggi', courierId: '1c4d' },
];
const EXPRESS_CARRIERS: readonly Carrier[] = [
  { sla: 'Expressa', company: 'Correios SEDEX', courierId: '2a2f' },
  { sla: 'Expressa', company: 'Loggi Express', courierId: '2c4d' },
];

export interface ShippingPlan {
  readonly data: VtexShippingData;
  readonly total: number;
  readonly company: string;
  readonly estimateDays: number;
}

export interface ShippingInput {
  readonly mode: FulfillmentMode;
  readonly store: StoreFixture;
  readonly customer: PoolCustomer;
  readonly lineQuantities: readonly number[];
  /** Items minus discounts, for the free-shipping rule. */
  readonly merchandiseTotal: number;
  readonly createdAt: number;
}

export function planShipping(rng: Rng, input: ShippingInput): ShippingPlan {
  const { mode, store, customer } = input;
  const receiverName = `${customer.firstName} ${customer.lastName}`;
  const pickup = mode === 'pickup';
  let carrier: Carrier;
  let total: number;
  let estimateDays: number;
  if (pickup) {
    carrier = { sla: `Retirada na ${store.name}`, company: store.name, courierId: `retira-${store.id}` };
    total = 0;
    estimateDays = rng.int(0, 1);
  } else {
    const express = rng.chance(0.25);
    carrier = rng.pick(express ? EXPRESS_CARRIERS : NORMAL_CARRIERS);
    const sameState = customer.address.state === store.address.state;
    const near = SOUTH_EAST_SOUTH.has(customer.address.state);
    const base = sameState ? rng.int(9, 15) * 100 - 10 : near ? rng.int(17, 25) * 100 - 10 : rng.int(28, 45) * 100 - 10;
    const free = !express && input.merchandiseTotal >= FREE_SHIPPING_THRESHOLD_CENTS;
    total = free ? 0 : express ? Math.round(base * 1.8 / 10) * 10 : base;
    estimateDays = (sameState ? rng.int(1, 3) : near ? rng.int(3, 6) : rng.int(6, 12)) - (express ? 1 : 0);
    estimateDays = Math.max(1, estimateDays);
  }

  const address: VtexAddress = pickup
    ? {
        addressType: 'pickup',
        receiverName,
        addressId: `retira-${store.id}`,
        versionId: null,
        entityId: null,
        postalCode: store.address.postalCode,
        city: store.address.city,
        state: store.address.state,
        country: 'BRA',
        street: store.address.street,
        number: store.address.number,
        neighborhood: store.address.neighborhood,
        complement: store.address.complement,
        reference: null,
        geoCoordinates: store.address.geoCoordinates,
      }
    : {
        addressType: customer.corporate === null ? 'residential' : 'commercial',
        receiverName,
        addressId: customer.address.addressId,
        versionId: null,
        entityId: null,
        postalCode: customer.address.postalCode,
        city: customer.address.city,
        state: customer.address.state,
        country: 'BRA',
        street: customer.address.street,
        number: customer.address.number,
        neighborhood: customer.address.neighborhood,
        complement: customer.address.complement,
        reference: null,
        geoCoordinates: customer.address.geoCoordinates,
      };

  const estimate = `${estimateDays}bd`;
  // Business days, roughly: weekends stretch 5 business days to about 7 calendar days.
  const estimateDate = formatOffset({ ms: input.createdAt + Math.ceil(estimateDays * 1.4) * MS_PER_DAY, sub: 0 });
  const channel = pickup ? 'pickup-in-point' : 'delivery';
  const pickupPointId = pickup ? `${store.id}_retira` : '';
  const slas: VtexSla[] = [
    {
      id: carrier.sla,
      name: carrier.sla,
      shippingEstimate: estimate,
      deliveryWindow: null,
      price: total,
      deliveryChannel: channel,
      selectedDeliveryChannel: channel,
      pickupStoreInfo: {
        additionalInfo: pickup ? 'Retire em até 7 dias com documento com foto' : null,
        address: pickup ? pickupAddress(address) : null,
        dockId: pickup ? store.dockId : null,
        friendlyName: pickup ? store.name : null,
        isPickupStore: pickup,
      },
      polygonName: null,
      lockTTL: '10d',
      pickupPointId,
      transitTime: `${estimateDays}d`,
      pickupDistance: 0,
    },
  ];
  const pickupStoreInfo = {
    additionalInfo: null,
    address: null,
    dockId: pickup ? store.dockId : null,
    friendlyName: pickup ? store.name : null,
    isPickupStore: pickup,
  };

  const count = input.lineQuantities.length;
  const share = Math.floor(total / count);
  const logisticsInfo: VtexLogisticsInfo[] = input.lineQuantities.map((quantity, itemIndex) => {
    const price = itemIndex === 0 ? total - share * (count - 1) : share;
    return {
      itemIndex,
      selectedSla: carrier.sla,
      lockTTL: '10d',
      price,
      listPrice: price,
      sellingPrice: price,
      deliveryWindow: null,
      deliveryCompany: carrier.company,
      shippingEstimate: estimate,
      shippingEstimateDate: estimateDate,
      slas,
      shipsTo: SHIPS_TO,
      deliveryIds: [
        {
          courierId: carrier.courierId,
          courierName: carrier.company,
          dockId: store.dockId,
          quantity,
          warehouseId: store.warehouseId,
          accountCarrierName: carrier.company,
          kitItemDetails: [],
        },
      ],
      deliveryChannels: DELIVERY_CHANNELS,
      deliveryChannel: channel,
      selectedDeliveryChannel: channel,
      pickupStoreInfo,
      addressId: address.addressId,
      versionId: null,
      entityId: null,
      polygonName: null,
      pickupPointId: pickup ? pickupPointId : null,
      transitTime: `${estimateDays}d`,
    };
  });

  return {
    data: {
      id: 'shippingData',
      address,
      logisticsInfo,
      trackingHints: null,
      selectedAddresses: [address],
      contactInformation: [],
    },
    total,
    company: carrier.company,
    estimateDays,
  };
}

function pickupAddress(address: VtexAddress): VtexPickupAddress {
  return { ...address, receiverName: null };
}
