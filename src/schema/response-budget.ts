import type { MetricsResult } from '../metrics/metrics-service.js';
import { responseTooLarge } from './errors.js';

/** JSON size of a result's rows, measured once per result: cached results are shared and frozen. */
const sizes = new WeakMap<object, number>();

function rowsBytes(result: MetricsResult): number {
  let size = sizes.get(result.rows);
  if (size === undefined) {
    size = JSON.stringify(result.rows).length;
    sizes.set(result.rows, size);
  }
  return size;
}

/**
 * One request's running total of the rows it will send. Each metrics answer is charged as it
 * resolves, so a response that would pass the cap is refused (`RESPONSE_TOO_LARGE`) before it
 * is serialised, instead of being built in memory first.
 */
export class ResponseBudget {
  #used = 0;

  constructor(readonly maxBytes: number) {}

  get used(): number {
    return this.#used;
  }

  /** Returns `result` when it fits in what is left, else throws `RESPONSE_TOO_LARGE`. */
  admit(result: MetricsResult): MetricsResult {
    const total = this.#used + rowsBytes(result);
    if (total > this.maxBytes) throw responseTooLarge(total, this.maxBytes);
    this.#used = total;
    return result;
  }
}
