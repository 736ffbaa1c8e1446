import type { GeneratedOrder } from './order-generator.js';
import { orderAtStep } from './status-timeline.js';
import type { SandboxOrder } from './vtex-order-types.js';

/**
 * Every order the sandbox knows, with how far its workflow has been published. An order with no
 * published step does not exist yet for the API (404, absent from List orders), exactly as an
 * order that has not been placed.
 */

export interface StoredOrder {
  readonly generated: GeneratedOrder;
  /** Index of the last published step; -1 while unpublished. */
  published: number;
}

export class OrderStore {
  private readonly entries: StoredOrder[] = [];
  private readonly byId = new Map<string, StoredOrder>();
  private readonly bySequence = new Map<string, StoredOrder>();

  add(generated: GeneratedOrder): StoredOrder {
    const { orderId, sequence } = generated.order;
    if (this.byId.has(orderId)) throw new Error(`duplicate sandbox order id ${orderId}`);
    const entry: StoredOrder = { generated, published: -1 };
    this.entries.push(entry);
    this.byId.set(orderId, entry);
    this.bySequence.set(sequence, entry);
    return entry;
  }

  get size(): number {
    return this.entries.length;
  }

  all(): readonly StoredOrder[] {
    return this.entries;
  }

  /** By order id, `seq<sequence>` (the documented form) or the bare sequence number. */
  find(idOrSequence: string): StoredOrder | undefined {
    const byId = this.byId.get(idOrSequence);
    if (byId !== undefined) return byId;
    const sequence = idOrSequence.startsWith('seq') ? idOrSequence.slice(3) : idOrSequence;
    return this.bySequence.get(sequence);
  }

  /** The order as Get order returns it now; undefined while nothing is published. */
  current(entry: StoredOrder): SandboxOrder | undefined {
    if (entry.published < 0) return undefined;
    return orderAtStep(entry.generated.order, entry.generated.timeline, entry.published);
  }

  finalOrders(): SandboxOrder[] {
    return this.entries.map((entry) => entry.generated.order);
  }

  publishedOrders(): SandboxOrder[] {
    const out: SandboxOrder[] = [];
    for (const entry of this.entries) {
      const order = this.current(entry);
      if (order !== undefined) out.push(order);
    }
    return out;
  }
}
