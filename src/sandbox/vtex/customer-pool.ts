import { BUSINESS_KINDS, CITIES, COMPLEMENTS, FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, type CityFixture } from './address-fixture.js';
import { generateCnpj } from './cnpj.js';
import { generateCpf } from './cpf.js';
import { Rng, WeightedTable } from './random.js';

/**
 * A stable, effectively unbounded pool of shoppers. Customer `i` is a pure function of
 * (seed, i), so nothing is cached and a million-order run costs no memory here, yet the same
 * shopper (same `userProfileId`, CPF, address) shows up again across orders, which customer-360
 * and identity resolution need.
 */

export interface PoolCustomer {
  readonly index: number;
  readonly userProfileId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly cpf: string;
  /** E.164: `+5511987654321`. */
  readonly phone: string;
  readonly optinNewsLetter: boolean;
  readonly corporate: {
    readonly corporateName: string;
    readonly tradeName: string;
    readonly cnpj: string;
    readonly stateInscription: string;
    readonly corporatePhone: string;
  } | null;
  readonly address: {
    readonly addressId: string;
    readonly postalCode: string;
    readonly city: string;
    readonly state: string;
    readonly street: string;
    readonly number: string;
    readonly neighborhood: string;
    readonly complement: string;
    readonly geoCoordinates: readonly [number, number];
  };
}

/**
 * Tiers make repeat purchases visible at every scale: a few hundred orders already show loyal
 * customers, and a million orders still mostly come from distinct people.
 */
const LOYAL_CUSTOMERS = 150;
const RETURNING_CUSTOMERS = 6_000;
const POOL_SIZE = 2_000_000;
const TIERS = new WeightedTable<number>([
  [LOYAL_CUSTOMERS, 12],
  [RETURNING_CUSTOMERS, 28],
  [POOL_SIZE, 60],
]);

const CUSTOMER_STREAM = 0xc057;
const CITY_TABLE = new WeightedTable<CityFixture>(CITIES.map((city) => [city, city.weight] as const));

/** Index of the customer placing an order; draws from the order's own rng. */
export function pickCustomerIndex(rng: Rng): number {
  return Math.floor(rng.next() * TIERS.pick(rng));
}

export function poolCustomer(seed: number, index: number): PoolCustomer {
  const rng = Rng.derive(seed, CUSTOMER_STREAM, index);
  const female = rng.chance(0.56);
  const firstName = rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const city = CITY_TABLE.pick(rng);
  const cep = rng.int(city.cepFrom, city.cepTo);
  // Loyal buyers skew to B2B (uniforms, gifts, hotels), as they do in real retail.
  const isCorporate = rng.chance(index < LOYAL_CUSTOMERS ? 0.3 : 0.04);
  const phone = `+55${city.ddd}9${rng.digits(8)}`;
  return {
    index,
    userProfileId: rng.uuid(),
    firstName,
    lastName,
    cpf: generateCpf(rng),
    phone,
    optinNewsLetter: rng.chance(0.35),
    corporate: isCorporate
      ? {
          corporateName: `${lastName} ${rng.pick(BUSINESS_KINDS)} Ltda`,
          tradeName: `${lastName} ${rng.pick(['Store', 'Atacado', 'Group', '& Cia'])}`,
          cnpj: generateCnpj(rng),
          stateInscription: rng.chance(0.2) ? 'Isento' : rng.digits(12),
          corporatePhone: `+55${city.ddd}3${rng.digits(7)}`,
        }
      : null,
    address: {
      addressId: rng.hex(13),
      postalCode: `${String(cep).padStart(5, '0')}-${rng.digits(3)}`,
      city: city.city,
      state: city.state,
      street: rng.pick(city.streets),
      number: String(rng.int(10, 3200)),
      neighborhood: rng.pick(city.neighborhoods),
      complement: rng.pick(COMPLEMENTS),
      geoCoordinates: [round4(city.center[0] + rng.gaussian(0, 0.03)), round4(city.center[1] + rng.gaussian(0, 0.03))],
    },
  };
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
