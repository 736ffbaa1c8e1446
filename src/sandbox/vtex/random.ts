/**
 * Seeded PRNG for the sandbox. Everything the sandbox invents flows from one of these, so a seed
 * reproduces the same orders, the same delivery quirks and the same injected faults.
 *
 * mulberry32: one 32-bit word of state, fast enough that creating one per order is free, and good
 * enough for test data (it is not a cryptographic generator and must never be used as one).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator whose stream is independent of other (seed, key...) combinations. */
  static derive(seed: number, ...keys: number[]): Rng {
    return new Rng(mixSeed(seed, ...keys));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  uint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Approximately normal (Irwin–Hall with 4 terms): bounded tails suit prices and durations. */
  gaussian(mean: number, stdDev: number): number {
    const sum = this.next() + this.next() + this.next() + this.next();
    return mean + (sum - 2) * stdDev * Math.sqrt(3);
  }

  /** Log-normal-ish positive value around `median`, for durations with long right tails. */
  skewed(median: number, spread: number): number {
    return median * Math.exp(this.gaussian(0, spread));
  }

  /** `length` hex digits (lower case); VTEX ids are usually shown upper case, callers decide. */
  hex(length: number): string {
    // Table lookups: Number#toString(16) dominated bulk generation profiles.
    let out = '';
    while (out.length < length) {
      const x = this.uint32();
      out += (HEX_BYTES[x >>> 24] as string) + (HEX_BYTES[(x >>> 16) & 0xff] as string) + (HEX_BYTES[(x >>> 8) & 0xff] as string) + (HEX_BYTES[x & 0xff] as string);
    }
    return out.length === length ? out : out.slice(0, length);
  }

  digits(length: number): string {
    let out = '';
    while (out.length < length) {
      const x = this.uint32() % 100_000_000;
      out += (TWO_DIGITS[Math.floor(x / 1_000_000)] as string) + (TWO_DIGITS[Math.floor(x / 10_000) % 100] as string) +
        (TWO_DIGITS[Math.floor(x / 100) % 100] as string) + (TWO_DIGITS[x % 100] as string);
    }
    return out.length === length ? out : out.slice(0, length);
  }

  /** RFC 4122 version-4 layout. */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Weighted choice with the cumulative table built once, so hot loops only pay a short scan. */
export class WeightedTable<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new Error('WeightedTable needs at least one entry');
    this.values = entries.map(([value]) => value);
    this.cumulative = new Float64Array(entries.length);
    let acc = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0)) throw new Error(`negative or NaN weight at ${i}`);
      acc += weight;
      this.cumulative[i] = acc;
    });
    if (acc <= 0) throw new Error('WeightedTable weights sum to zero');
    this.total = acc;
  }

  pick(rng: Rng): T {
    const target = rng.next() * this.total;
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length; i++) {
      if (target < (cumulative[i] as number)) return this.values[i] as T;
    }
    return this.values[this.values.length - 1] as T;
  }
}

/** murmur3's 32-bit finaliser folded over the parts: nearby seeds and indexes land far apart. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split so indexes beyond 2^32 still change the result.
    const lo = part >>> 0;
    const hi = Math.floor(part / 4294967296) >>> 0;
    h = fmix32(h ^ lo);
    if (hi !== 0) h = fmix32(h ^ hi ^ 0x85ebca6b);
  }
  return h >>> 0;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
