/**
 * The retailer's stores, as VTEX sellers: "1" is the e-commerce operation itself; the physical
 * stores are franchise-style sellers that fulfil pickup and ship-from-store orders. Gold's
 * `dim_store` is keyed by these ids (`sellers[0].id`, mirrored in every item's `seller`).
 */

export interface StoreAddress {
  readonly postalCode: string;
  readonly city: string;
  readonly state: string;
  readonly street: string;
  readonly number: string;
  readonly neighborhood: string;
  readonly complement: string;
  /** [longitude, latitude], VTEX's order. */
  readonly geoCoordinates: readonly [number, number];
}

export interface StoreFixture {
  readonly id: string;
  readonly name: string;
  readonly physical: boolean;
  readonly dockId: string;
  readonly warehouseId: string;
  readonly address: StoreAddress;
}

export const ONLINE_STORE_ID = '1';

export const STORES: readonly StoreFixture[] = Object.freeze([
  {
    id: ONLINE_STORE_ID,
    name: 'Loja Online',
    physical: false,
    dockId: 'cd-cajamar',
    warehouseId: 'cd-cajamar',
    address: {
      postalCode: '07776-000', city: 'Cajamar', state: 'SP', street: 'Avenida Doutor Antônio João Abdalla',
      number: '3333', neighborhood: 'Empresarial Colina', complement: 'Galpão 4', geoCoordinates: [-46.8464, -23.3525],
    },
  },
  {
    id: 'lojasp01',
    name: 'Loja Paulista',
    physical: true,
    dockId: 'doca-lojasp01',
    warehouseId: 'estoque-lojasp01',
    address: {
      postalCode: '01310-100', city: 'São Paulo', state: 'SP', street: 'Avenida Paulista',
      number: '1230', neighborhood: 'Bela Vista', complement: 'Loja 12', geoCoordinates: [-46.6558, -23.5614],
    },
  },
  {
    id: 'lojarj01',
    name: 'Loja Copacabana',
    physical: true,
    dockId: 'doca-lojarj01',
    warehouseId: 'estoque-lojarj01',
    address: {
      postalCode: '22040-002', city: 'Rio de Janeiro', state: 'RJ', street: 'Rua Barata Ribeiro',
      number: '502', neighborhood: 'Copacabana', complement: 'Loja A', geoCoordinates: [-43.1853, -22.9679],
    },
  },
  {
    id: 'lojabh01',
    name: 'Loja Savassi',
    physical: true,
    dockId: 'doca-lojabh01',
    warehouseId: 'estoque-lojabh01',
    address: {
      postalCode: '30130-151', city: 'Belo Horizonte', state: 'MG', street: 'Rua Pernambuco',
      number: '1077', neighborhood: 'Savassi', complement: 'Loja 3', geoCoordinates: [-43.9372, -19.9367],
    },
  },
  {
    id: 'lojapoa01',
    name: 'Loja Moinhos',
    physical: true,
    dockId: 'doca-lojapoa01',
    warehouseId: 'estoque-lojapoa01',
    address: {
      postalCode: '90570-080', city: 'Porto Alegre', state: 'RS', street: 'Rua Padre Chagas',
      number: '300', neighborhood: 'Moinhos de Vento', complement: 'Térreo', geoCoordinates: [-51.202, -30.0262],
    },
  },
] satisfies StoreFixture[]);

export const PHYSICAL_STORES: readonly StoreFixture[] = STORES.filter((store) => store.physical);

const ONLINE = STORES[0];
if (ONLINE === undefined || ONLINE.id !== ONLINE_STORE_ID) throw new Error('store fixture must start with the online store');
export const ONLINE_STORE: StoreFixture = ONLINE;

/** The physical store in the customer's state, if the retailer has one there. */
export function storeInState(state: string): StoreFixture | undefined {
  return PHYSICAL_STORES.find((store) => store.address.state === state);
}
