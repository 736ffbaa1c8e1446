import DataLoader from 'dataloader';
import type { Customer360Service, CustomerOrder, Page } from '../customers/index.js';

export interface OrderHistoryKey {
  readonly customerId: string;
  readonly first: number | undefined;
  readonly after: string | undefined;
}

export interface CustomerLoaders {
  readonly orderHistory: DataLoader<OrderHistoryKey, Page<CustomerOrder>, string>;
}

/**
 * One request's batching over customer 360: every `orderHistory` of a page of customers becomes
 * one service call (one warehouse query) per distinct (first, after), not one per customer.
 */
export function createCustomerLoaders(customers: Customer360Service): CustomerLoaders {
  return {
    orderHistory: new DataLoader(
      async (keys) => {
        const groups = new Map<string, OrderHistoryKey[]>();
        for (const k of keys) {
          const g = `${k.first ?? ''}|${k.after ?? ''}`;
          groups.set(g, [...(groups.get(g) ?? []), k]);
        }
        const pages = new Map<OrderHistoryKey, Page<CustomerOrder> | Error>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const [{ first, after }] = group as [OrderHistoryKey];
            try {
              const result = await customers.orderHistories(group.map((k) => k.customerId), first, after);
              group.forEach((k, i) => pages.set(k, result[i] as Page<CustomerOrder>));
            } catch (err) {
              for (const k of group) pages.set(k, err instanceof Error ? err : new Error(String(err)));
            }
          }),
        );
        return keys.map((k) => pages.get(k) as Page<CustomerOrder> | Error);
      },
      { cacheKeyFn: (k) => `${k.customerId}|${k.first ?? ''}|${k.after ?? ''}` },
    ),
  };
}
