import { pino, type Logger } from 'pino';
import { createCatalogRoutes } from './catalog-routes.js';
import { CatalogStore, type SkuChange, type SkuPriceChange } from './catalog-store.js';
import { FaultInjector } from './fault-injector.js';
import { createFeedRoutes } from './feed-routes.js';
import { hookFilterMatches, type HookConfig } from './hook-config.js';
import { HookDispatcher } from './hook-dispatcher.js';
import { createHookTransport, type HookTarget, type HookTransport } from './hook-transport.js';
import { listOrders } from './list-orders.js';
import type { ClDocument, CustomerPatch } from './master-data-cl-document.js';
import { CustomerIndex } from './master-data-customers.js';
import { createMasterDataRoutes } from './master-data-routes.js';
import { ScrollRegistry } from './master-data-scroll.js';
import { createOmsHandler, type OmsBackend, type SandboxRoutes } from './oms-routes.js';
import { CancellableSleeps, OmsServer } from './oms-server.js';
import { OrderFeed } from './order-feed.js';
import { DEFAULT_ACCOUNT, OrderFactory } from './order-generator.js';
import { OrderStore, type StoredOrder } from './order-store.js';
import { createPricingRoutes } from './pricing-routes.js';
import { Rng } from './random.js';
import { skuContext } from './sku-context.js';
import { skuPrice } from './sku-price.js';
import { StepPublisher } from './step-publisher.js';
import type { SandboxOrder } from './vtex-order-types.js';
import { MS_PER_DAY, formatZulu } from './vtex-time.js';

export type { SandboxOrder } from './vtex-order-types.js';
export type { SkuChange, SkuPriceChange } from './catalog-store.js';
export type { ClDocument, CustomerPatch } from './master-data-cl-document.js';

export interface VtexSandboxOptions {
  seed?: number;
  account?: string;
  appKey?: string;
  appToken?: string;
  /** 0 picks an ephemeral port; the host is always 127.0.0.1. */
  port?: number;
  /** Orders created over the `days` days before `endAt` (default: now). */
  history?: { orders: number; days: number; endAt?: Date };
  /** Keep creating orders (creationDate = now) while running. */
  live?: { ordersPerMinute: number } | false;
  /** Pause between published status steps; 0 = as fast as possible. */
  publishIntervalMs?: number;
  duplicateRate?: number;
  /**
   * Share of notifications never delivered, on purpose: VTEX gives up on a hook after days of
   * failures and deletes one idle for three. What Farol's reconciliation must heal.
   */
  dropHookRate?: number;
  /** Notifications are shuffled within windows of this many. 1 keeps publication order. */
  reorderWindow?: number;
  /** Injected into Get order, Catalog, Pricing and Master Data reads; each API draws from its own stream. */
  faults?: { failureRate?: number; throttleRate?: number; retryAfterSeconds?: number; latencyMs?: number };
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Hook deliveries in flight at once. */
  deliveryConcurrency?: number;
  /** Master Data's clock (scroll-token expiry, the instant `updateCustomer` stamps); tests move it. Default Date.now. */
  masterDataClock?: () => number;
  /** The order feed's clock (visibility timeouts, retention, message age); tests move it. Default Date.now. */
  feedClock?: () => number;
  /**
   * Index of the first live order (default: right after the history). Order ids derive from
   * (seed, index), so a process that restarts the sandbox passes a fresh start to keep live
   * orders of different runs apart.
   */
  liveStartIndex?: number;
  logger?: Logger;
}

export interface VtexSandboxStats {
  /** Notifications dropped on purpose (`dropHookRate`): never sent. */
  notificationsDropped: number;
  notificationsPlanned: number;
  notificationsAcknowledged: number;
  pendingDeliveries: number;
  duplicatesSent: number;
  outOfOrderSent: number;
  getOrderRequests: number;
  /** Authenticated Catalog requests (GetProductAndSkuIds, SKU and context), faulted ones included. */
  catalogRequests: number;
  /** Authenticated Get price requests, faulted ones included. */
  pricingRequests: number;
  /** Authenticated Feed v3 requests (configuration, reads, commits), faulted ones included. */
  feedRequests: number;
  /** Status changes put in the order feed; independent of the hook (`dropHookRate` drops none). */
  feedEventsQueued: number;
  /** Feed items deleted by a commit. */
  feedEventsCommitted: number;
  faultsInjected: number;
}

export interface VtexSandbox {
  /** OMS and Catalog base URL (`https://{account}.vtexcommercestable.com.br` in VTEX). */
  readonly url: string;
  /** Pricing base URL, `${url}/${account}` (`https://api.vtex.com/{account}` in VTEX). */
  readonly pricingUrl: string;
  readonly account: string;
  readonly appKey: string;
  readonly appToken: string;
  /** Listens; status steps start being published once a hook or an order feed is configured. */
  start(): Promise<void>;
  /** Stops publishing and delivering, closes the server and every socket; no timers remain. */
  close(): Promise<void>;
  /** Every generated order in its final state. */
  orders(): SandboxOrder[];
  /** Every order with at least one published step, in its current published state. */
  publishedOrders(): SandboxOrder[];
  stats(): VtexSandboxStats;
  /** Orders at least one of whose notifications was dropped on purpose (`dropHookRate`). */
  ordersWithDroppedHooks(): string[];
  /** Order feed items not committed yet (hidden ones included); 0 without a feed. */
  feedDepth(): number;
  /** Resolves once every step due so far is published and every planned notification got a 200. */
  whenAllDelivered(timeoutMs?: number): Promise<void>;
  /** Holds publishing and new deliveries (in-flight ones finish); `resume()` continues. */
  pause(): void;
  resume(): void;
  /** Renames or (de)activates a SKU in Catalog; orders keep the fixture's name. */
  updateSku(skuId: string, change: SkuChange): void;
  /** Changes a SKU's price in Pricing (cents here, reais on the wire); null deletes it (404). */
  setPrice(skuId: string, price: SkuPriceChange | null): void;
  /** Master Data CL documents: one per shopper with a published order, in creation order. */
  customers(): ClDocument[];
  /** Edits a CL document (by `userId`, the orders' `userProfileId`); `updatedIn` and `lastInteractionIn` become now. */
  updateCustomer(userId: string, patch: CustomerPatch): ClDocument;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_APP_TOKEN = 'SANDBOXQWHZKPLMTRVNXCYBFDGJSAEUIO0123456789SANDBOXTOKENLOJAEXEMPLO';
export const DEFAULT_HISTORY: Readonly<{ orders: number; days: number }> = Object.freeze({ orders: 500, days: 30 });
export const DEFAULT_PUBLISH_INTERVAL_MS = 5;
export const DEFAULT_DUPLICATE_RATE = 0.05;
export const DEFAULT_REORDER_WINDOW = 5;
export const DEFAULT_DELIVERY_CONCURRENCY = 8;
/** Much shorter than VTEX's own progression, so a restarted receiver catches up within seconds. */
export const DEFAULT_RETRY = Object.freeze({ baseDelayMs: 200, maxDelayMs: 5_000 });
export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

const PING_BODY = JSON.stringify({ hookConfig: 'ping' });
const STREAM_DISPATCH = 0xd15;
const STREAM_JITTER = 0x717;
const STREAM_FAULTS = 0xfa17;
const STREAM_DROPS = 0xd40b;
const STREAM_CATALOG_FAULTS = 0xca7a;
const STREAM_PRICING_FAULTS = 0x9e1c;
const STREAM_MASTER_DATA_FAULTS = 0x3d47a;
const STREAM_SCROLL_TOKENS = 0x5c7011;
const STREAM_FEED_FAULTS = 0xfeed;
const STREAM_FEED_IDS = 0xfeed1d;
const STREAM_FEED_HANDLES = 0xfeedba;

export function createVtexSandbox(options: VtexSandboxOptions = {}): VtexSandbox {
  return new LocalVtexSandbox(options);
}

/** Final-state orders without a server, for the bulk loader: deterministic for (seed, index). */
export function* generateOrders(options: { seed: number; count: number; from: Date; to: Date; startIndex?: number }): Generator<SandboxOrder> {
  const from = options.from.getTime();
  const to = options.to.getTime();
  if (!(to >= from)) throw new RangeError('generateOrders: "to" must not be before "from"');
  const factory = new OrderFactory({ seed: options.seed });
  const start = options.startIndex ?? 0;
  for (let index = start; index < start + options.count; index++) yield factory.historical(index, from, to).order;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

class LocalVtexSandbox implements VtexSandbox {
  readonly account: string;
  readonly appKey: string;
  readonly appToken: string;
  private readonly port: number;
  private readonly ordersPerMinute: number;
  private readonly logger: Logger;
  private readonly factory: OrderFactory;
  private readonly store = new OrderStore();
  private readonly publisher: StepPublisher;
  private readonly dispatcher: HookDispatcher;
  private readonly transport: HookTransport;
  private readonly faults: FaultInjector;
  private readonly catalogFaults: FaultInjector;
  private readonly pricingFaults: FaultInjector;
  private readonly masterDataFaults: FaultInjector;
  private readonly feedFaults: FaultInjector;
  private readonly feed: OrderFeed;
  private readonly customerIndex: CustomerIndex;
  private readonly scrolls: ScrollRegistry;
  private readonly catalog = new CatalogStore();
  private readonly sleeps = new CancellableSleeps();
  private readonly server: OmsServer;
  private readonly waiters = new Set<Waiter>();
  private hook: HookConfig | null = null;
  private getOrderRequests = 0;
  private catalogRequests = 0;
  private pricingRequests = 0;
  private feedRequests = 0;
  private nextIndex: number;
  private liveTimer: NodeJS.Timeout | undefined;
  private state: 'new' | 'running' | 'closed' = 'new';

  constructor(options: VtexSandboxOptions) {
    const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.appKey = options.appKey ?? `vtexappkey-${this.account}-SANDBOX`;
    this.appToken = options.appToken ?? DEFAULT_APP_TOKEN;
    this.port = options.port ?? 0;
    this.ordersPerMinute = options.live ? options.live.ordersPerMinute : 0;
    this.logger = options.logger ?? pino({ level: 'silent' });
    const duplicateRate = rate(options.duplicateRate ?? DEFAULT_DUPLICATE_RATE, 'duplicateRate');
    const concurrency = Math.max(1, Math.floor(options.deliveryConcurrency ?? DEFAULT_DELIVERY_CONCURRENCY));

    this.factory = new OrderFactory({ seed, account: this.account });
    this.transport = createHookTransport({ connections: concurrency + 1 });
    this.faults = new FaultInjector(Rng.derive(seed, STREAM_FAULTS), options.faults);
    // Separate streams, so catalog traffic never changes which Get orders fail.
    this.catalogFaults = new FaultInjector(Rng.derive(seed, STREAM_CATALOG_FAULTS), options.faults);
    this.pricingFaults = new FaultInjector(Rng.derive(seed, STREAM_PRICING_FAULTS), options.faults);
    this.masterDataFaults = new FaultInjector(Rng.derive(seed, STREAM_MASTER_DATA_FAULTS), options.faults);
    this.feedFaults = new FaultInjector(Rng.derive(seed, STREAM_FEED_FAULTS), options.faults);
    this.feed = new OrderFeed({ ids: Rng.derive(seed, STREAM_FEED_IDS), handles: Rng.derive(seed, STREAM_FEED_HANDLES), now: options.feedClock ?? Date.now });
    const masterDataClock = options.masterDataClock ?? Date.now;
    this.customerIndex = new CustomerIndex({ seed, account: this.account, now: masterDataClock });
    this.scrolls = new ScrollRegistry(Rng.derive(seed, STREAM_SCROLL_TOKENS), masterDataClock);
    this.dispatcher = new HookDispatcher({
      rng: Rng.derive(seed, STREAM_DISPATCH),
      jitterRng: Rng.derive(seed, STREAM_JITTER),
      duplicateRate,
      dropRate: rate(options.dropHookRate ?? 0, 'dropHookRate'),
      dropRng: Rng.derive(seed, STREAM_DROPS),
      reorderWindow: Math.max(1, Math.floor(options.reorderWindow ?? DEFAULT_REORDER_WINDOW)),
      concurrency,
      retry: {
        baseDelayMs: Math.max(1, options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
        maxDelayMs: Math.max(1, options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
      },
      target: () => this.hookTarget(),
      post: (target, body) => this.transport.post(target, body),
      logger: this.logger,
      onProgress: () => this.checkWaiters(),
    });
    this.publisher = new StepPublisher({
      intervalMs: Math.max(0, options.publishIntervalMs ?? DEFAULT_PUBLISH_INTERVAL_MS),
      onPublish: (entry, step) => this.onPublish(entry, step),
      onIdle: () => {
        this.dispatcher.flush();
        this.checkWaiters();
      },
    });
    this.server = new OmsServer(createOmsHandler(this.backend(), [...this.catalogRoutes(), this.masterDataRoutes(), this.feedRoutes()]), this.logger);

    const history: NonNullable<VtexSandboxOptions['history']> = options.history ?? { ...DEFAULT_HISTORY };
    const endAt = history.endAt?.getTime() ?? Date.now();
    const from = endAt - history.days * MS_PER_DAY;
    for (let index = 0; index < history.orders; index++) {
      this.publisher.add(this.store.add(this.factory.historical(index, from, endAt)));
    }
    this.nextIndex = Math.max(history.orders, options.liveStartIndex ?? 0);
  }

  get url(): string {
    return this.server.url;
  }

  get pricingUrl(): string {
    return `${this.server.url}/${this.account}`;
  }

  async start(): Promise<void> {
    if (this.state === 'closed') throw new Error('the VTEX sandbox was closed; create a new one');
    if (this.state === 'running') return;
    await this.server.listen(this.port);
    this.state = 'running';
    if (this.ordersPerMinute > 0) {
      this.liveTimer = setInterval(() => this.createLiveOrder(), Math.max(10, 60_000 / this.ordersPerMinute));
    }
    this.logger.info({ url: this.url, account: this.account, orders: this.store.size }, 'VTEX sandbox listening');
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.liveTimer !== undefined) clearInterval(this.liveTimer);
    this.publisher.stop();
    this.dispatcher.close();
    this.sleeps.cancelAll();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('the VTEX sandbox was closed before every notification was delivered'));
    }
    this.waiters.clear();
    await this.server.close();
    await this.transport.close();
  }

  orders(): SandboxOrder[] {
    return this.store.finalOrders();
  }

  publishedOrders(): SandboxOrder[] {
    return this.store.publishedOrders();
  }

  ordersWithDroppedHooks(): string[] {
    return this.dispatcher.ordersWithDroppedHooks();
  }

  feedDepth(): number {
    return this.feed.depth();
  }

  stats(): VtexSandboxStats {
    return {
      ...this.dispatcher.stats(),
      ...this.feed.stats(),
      getOrderRequests: this.getOrderRequests,
      catalogRequests: this.catalogRequests,
      pricingRequests: this.pricingRequests,
      feedRequests: this.feedRequests,
      faultsInjected:
        this.faults.faultsInjected + this.catalogFaults.faultsInjected + this.pricingFaults.faultsInjected + this.masterDataFaults.faultsInjected + this.feedFaults.faultsInjected,
    };
  }

  whenAllDelivered(timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new Error('the VTEX sandbox is closed'));
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const why = this.hook === null && !this.publisher.isStarted ? ' (no hook has been configured)' : '';
          reject(new Error(`VTEX sandbox: notifications not all delivered within ${timeoutMs} ms${why}: ${JSON.stringify(this.stats())}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  pause(): void {
    this.publisher.pause();
    this.dispatcher.pause();
  }

  resume(): void {
    this.publisher.resume();
    this.dispatcher.resume();
  }

  updateSku(skuId: string, change: SkuChange): void {
    this.catalog.updateSku(skuId, change);
  }

  setPrice(skuId: string, price: SkuPriceChange | null): void {
    this.catalog.setPrice(skuId, price);
  }

  customers(): ClDocument[] {
    return this.customerIndex.documents();
  }

  updateCustomer(userId: string, patch: CustomerPatch): ClDocument {
    return this.customerIndex.update(userId, patch);
  }

  private backend(): OmsBackend {
    return {
      appKey: this.appKey,
      appToken: this.appToken,
      faults: this.faults,
      getOrder: (id) => {
        const entry = this.store.find(id);
        return entry === undefined ? undefined : this.store.current(entry);
      },
      listOrders: (params) => listOrders(this.store.all(), params),
      hookConfig: () => this.hook,
      saveHookConfig: (config) => this.saveHookConfig(config),
      deleteHookConfig: () => {
        const existed = this.hook !== null;
        this.hook = null;
        return existed;
      },
      countGetOrderRequest: () => {
        this.getOrderRequests++;
      },
      sleep: (ms) => this.sleeps.sleep(ms),
    };
  }

  private catalogRoutes(): SandboxRoutes[] {
    const sleep = (ms: number): Promise<void> => this.sleeps.sleep(ms);
    return [
      createCatalogRoutes({
        faults: this.catalogFaults,
        sleep,
        products: () => this.catalog.products(),
        skuContext: (skuId) => {
          const state = this.catalog.sku(skuId);
          return state === undefined ? undefined : skuContext(state, this.account);
        },
        countRequest: () => {
          this.catalogRequests++;
        },
      }),
      createPricingRoutes({
        account: this.account,
        faults: this.pricingFaults,
        sleep,
        price: (skuId) => {
          const price = this.catalog.sku(skuId)?.price;
          return price === undefined || price === null ? undefined : skuPrice(skuId, price);
        },
        countRequest: () => {
          this.pricingRequests++;
        },
      }),
    ];
  }

  private masterDataRoutes(): SandboxRoutes {
    return createMasterDataRoutes({
      customers: this.customerIndex,
      scrolls: this.scrolls,
      faults: this.masterDataFaults,
      sleep: (ms) => this.sleeps.sleep(ms),
    });
  }

  private feedRoutes(): SandboxRoutes {
    return createFeedRoutes({
      feed: this.feed,
      faults: this.feedFaults,
      sleep: (ms) => this.sleeps.sleep(ms),
      // A feed is a reader as much as a hook is: the store's history starts flowing.
      configured: () => {
        if (this.state !== 'closed') this.publisher.start();
      },
      countRequest: () => {
        this.feedRequests++;
      },
    });
  }

  private async saveHookConfig(config: HookConfig): Promise<{ ok: true } | { ok: false; message: string }> {
    let failure: string | null = null;
    try {
      const status = await this.transport.post(config.hook, PING_BODY);
      if (status !== 200) failure = `answered HTTP ${status}`;
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    if (failure !== null) {
      this.logger.warn({ url: config.hook.url, failure }, 'hook ping failed; configuration not saved');
      return { ok: false, message: `The hook endpoint ${config.hook.url} must answer the ping with HTTP 200 (${failure})` };
    }
    this.hook = config;
    this.logger.info({ url: config.hook.url, filter: config.filter.type }, 'hook configured');
    if (this.state !== 'closed') {
      this.publisher.start();
      this.dispatcher.wake();
    }
    return { ok: true };
  }

  private hookTarget(): HookTarget | null {
    return this.hook === null ? null : this.hook.hook;
  }

  private onPublish(entry: StoredOrder, step: number): void {
    // The order now exists for the API, so its shopper has a CL document.
    if (step === 0) this.customerIndex.observe(entry.generated);
    const steps = entry.generated.timeline.steps;
    const current = steps[step];
    if (current === undefined) return;
    const previous = steps[step - 1];
    const order = entry.generated.order;
    const lastState = previous?.status ?? '';
    const lastChange = formatZulu((previous ?? current).at);
    const currentChange = formatZulu(current.at);
    // Before the hook and apart from it: the feed is the safety net for what the hook loses (dropHookRate).
    this.feed.offer({ domain: order.origin, state: current.status, lastState, orderId: order.orderId, lastChange, currentChange });
    const hook = this.hook;
    if (hook === null || !hookFilterMatches(hook.filter, current.status)) return;
    this.dispatcher.plan(
      {
        Domain: order.origin,
        OrderId: order.orderId,
        State: current.status,
        LastState: lastState,
        LastChange: lastChange,
        CurrentChange: currentChange,
        Origin: { Account: this.account, Key: this.appKey },
      },
      step,
    );
  }

  private createLiveOrder(): void {
    const entry = this.store.add(this.factory.live(this.nextIndex++, Date.now()));
    this.publisher.add(entry, true);
  }

  private isSettled(): boolean {
    return this.publisher.isStarted && this.publisher.isDrained() && this.dispatcher.isSettled();
  }

  private checkWaiters(): void {
    if (this.waiters.size === 0 || !this.isSettled()) return;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    this.waiters.clear();
  }
}

function rate(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within [0, 1], got ${value}`);
  return value;
}
