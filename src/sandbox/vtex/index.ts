/** The VTEX OMS sandbox: a local, seeded stand-in for a VTEX store's Orders API and order hook. */
export {
  createVtexSandbox,
  generateOrders,
  DEFAULT_APP_TOKEN,
  DEFAULT_DELIVERY_CONCURRENCY,
  DEFAULT_DUPLICATE_RATE,
  DEFAULT_HISTORY,
  DEFAULT_PUBLISH_INTERVAL_MS,
  DEFAULT_REORDER_WINDOW,
  DEFAULT_RETRY,
  DEFAULT_SEED,
  type ClDocument,
  type CustomerPatch,
  type SandboxOrder,
  type VtexSandbox,
  type VtexSandboxOptions,
  type VtexSandboxStats,
} from './vtex-sandbox.js';
export { DEFAULT_ACCOUNT, generateOrder } from './order-generator.js';
export type { HookNotification } from './hook-dispatcher.js';
export { SANDBOX_STATUSES, type SandboxStatus } from './status-timeline.js';
export { generateCpf, isValidCpf } from './cpf.js';
export { generateCnpj, isValidCnpj } from './cnpj.js';
export { CATALOG, type CatalogSku } from './catalog-fixture.js';
export { STORES, ONLINE_STORE_ID, type StoreFixture } from './store-fixture.js';
export type * from './vtex-order-types.js';
export { SANDBOX_CHANNEL_NAMES } from './sales-channel-fixture.js';
