import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Turns VTEX's official OpenAPI files (3.0: Orders, Catalog, Pricing, Master Data v1) into ajv
 * validators for the sandbox's responses. Copies of the files are kept in
 * test/fixtures/vtex-openapi (see its README for the source).
 */

export const ORDERS_OPENAPI_PATH = fileURLToPath(new URL('../fixtures/vtex-openapi/orders-api.json', import.meta.url));
export const CATALOG_OPENAPI_PATH = fileURLToPath(new URL('../fixtures/vtex-openapi/catalog-api.json', import.meta.url));
export const PRICING_OPENAPI_PATH = fileURLToPath(new URL('../fixtures/vtex-openapi/pricing-api.json', import.meta.url));

const COMPONENTS_ID = 'vtex-orders-openapi';
/** Keywords that only mean something to OpenAPI tooling. */
const OPENAPI_ONLY = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'nullable', 'deprecated', 'readOnly', 'writeOnly']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ConvertOptions {
  /**
   * The OpenAPI marks almost nothing in Get order as required, which would let a missing field
   * pass. With this set, every declared property is required (null is still accepted where the
   * schema says nullable), except at the listed paths (`items[].priceDefinitions`).
   */
  readonly requireAllExcept?: ReadonlySet<string>;
  /** Replacements for schema nodes the OpenAPI gets wrong, keyed by path; see GET_ORDER_ERRATA. */
  readonly errata?: Readonly<Record<string, JsonObject>>;
  /** The `$id` under which the document's components were registered; the Orders file's by default. */
  readonly componentsId?: string;
}

/**
 * Where the OpenAPI contradicts its own description/example and VTEX's live responses, the
 * sandbox follows the live API and the test corrects the schema here, in one visible place.
 */
export const GET_ORDER_ERRATA: Readonly<Record<string, JsonObject>> = {
  // Typed `string` in the schema, but described as "List of objects with item's price modifiers";
  // the objects have the shape the same OpenAPI gives for taxData priceTags.
  'items[].priceTags[]': {
    type: 'object',
    required: ['name', 'value', 'isPercentual', 'identifier', 'rawValue'],
    properties: {
      name: { type: 'string' },
      value: { type: 'integer' },
      isPercentual: { type: 'boolean' },
      identifier: { type: 'string' },
      rawValue: { type: 'number' },
    },
  },
  // UTM fields the visit did not carry are null (as in the reference sample payload).
  'marketingData.utmSource': { type: 'string', nullable: true },
  'marketingData.utmPartner': { type: 'string', nullable: true },
  'marketingData.utmMedium': { type: 'string', nullable: true },
  'marketingData.utmCampaign': { type: 'string', nullable: true },
  'marketingData.coupon': { type: 'string', nullable: true },
  'marketingData.utmiCampaign': { type: 'string', nullable: true },
  'marketingData.utmipage': { type: 'string', nullable: true },
  'marketingData.utmiPart': { type: 'string', nullable: true },
};

/**
 * Declared but legitimately absent: the sandbox emits `priceDefinition` (the name in the OpenAPI
 * example and the live API), and a package only has a `Refund` restitution after a return.
 */
export const GET_ORDER_NOT_REQUIRED: ReadonlySet<string> = new Set([
  'items[].priceDefinitions',
  'packageAttachment.packages[].restitutions.Refund',
]);

/**
 * List-orders stats components whose types were evidently inferred from an example where the
 * values happened to be whole numbers: a mean or standard deviation of item counts is a number.
 */
export const COMPONENT_PROPERTY_ERRATA: Readonly<Record<string, Readonly<Record<string, JsonObject>>>> = {
  Fulfillment1: { Mean: { type: 'number' }, StdDev: { type: 'number' } },
};

/**
 * GetProductAndSkuIds declares `data` with one property literally named "Product ID", a stand-in
 * for the real keys (which the example shows: product ids mapping to arrays of SKU ids).
 */
export const PRODUCT_AND_SKU_IDS_ERRATA: Readonly<Record<string, JsonObject>> = {
  data: {
    type: 'object',
    propertyNames: { pattern: '^[1-9][0-9]*$' },
    additionalProperties: { type: 'array', items: { type: 'integer' } },
  },
};

/**
 * Pricing types its amounts as integers, yet they are currency units with cents (its own example
 * has fixed prices of 666.66, and live prices such as 199.9), so they are numbers. `markup` is a
 * whole percentage and stays an integer.
 */
export const PRICING_COMPONENT_ERRATA: Readonly<Record<string, Readonly<Record<string, JsonObject>>>> = {
  Getprice: { listPrice: { type: 'number' }, costPrice: { type: 'number' }, basePrice: { type: 'number' } },
};

/** One vendored OpenAPI file, its components registered in an ajv instance of its own. */
export interface OpenApiDocument {
  /** The validator for the `status` response of `GET path` with `contentType`, converted with `options`. */
  response(path: string, options?: ConvertOptions & { contentType?: string; status?: string }): ValidateFunction;
  component(name: string): ValidateFunction;
}

export function loadOpenApi(
  file: string,
  componentsId: string,
  componentErrata: Readonly<Record<string, Readonly<Record<string, JsonObject>>>> = {},
): OpenApiDocument {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv;
  addFormats(ajv);
  const components = (doc.components as JsonObject).schemas as JsonObject;
  const convertedComponents: JsonObject = {};
  for (const [name, schema] of Object.entries(components)) {
    const patch = componentErrata[name];
    const patched = patch === undefined ? schema : { ...(schema as JsonObject), properties: { ...((schema as JsonObject).properties as JsonObject), ...patch } };
    convertedComponents[name] = convert(patched, '', { componentsId });
  }
  ajv.addSchema({ $id: componentsId, components: { schemas: convertedComponents } });

  const paths = doc.paths as JsonObject;
  return {
    response(path, { contentType = 'application/json', status = '200', ...options } = {}) {
      const op = (paths[path] as JsonObject).get as JsonObject;
      const response = (op.responses as JsonObject)[status] as JsonObject;
      const schema = ((response.content as JsonObject)[contentType] as JsonObject).schema as JsonObject;
      const converted = convert(schema, '', { ...options, componentsId }) as JsonObject;
      // A response that is only a component reference: requiring everything applies to that component's top level.
      const ref = typeof schema.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1] : undefined;
      if (ref === undefined || options.requireAllExcept === undefined) return ajv.compile(converted);
      const declared = Object.keys(((components[ref] as JsonObject).properties as JsonObject | undefined) ?? {});
      return ajv.compile({ allOf: [converted, { required: declared.filter((name) => !options.requireAllExcept?.has(name)) }] });
    },
    component: (name) => ajv.compile({ $ref: `${componentsId}#/components/schemas/${name}` }),
  };
}

export interface OrdersApiValidators {
  readonly getOrder: ValidateFunction;
  readonly listOrders: ValidateFunction;
  readonly hookNotification: ValidateFunction;
}

export function loadOrdersApiValidators(): OrdersApiValidators {
  const api = loadOpenApi(ORDERS_OPENAPI_PATH, COMPONENTS_ID, COMPONENT_PROPERTY_ERRATA);
  return {
    getOrder: api.response('/api/oms/pvt/orders/{orderId}', { requireAllExcept: GET_ORDER_NOT_REQUIRED, errata: GET_ORDER_ERRATA }),
    listOrders: api.response('/api/oms/pvt/orders', { contentType: 'application/json; charset=utf-8' }),
    hookNotification: api.component('HookConfiguration'),
  };
}

export interface CatalogApiValidators {
  /** `GET /api/catalog_system/pvt/products/GetProductAndSkuIds`. */
  readonly productAndSkuIds: ValidateFunction;
  /** `GET /api/catalog_system/pvt/sku/stockkeepingunitbyid/{skuId}`. */
  readonly skuContext: ValidateFunction;
}

/**
 * Every property the two Catalog responses declare is required here (the OpenAPI leaves
 * `ProductRefId`, `IsProductActive` and the range fields optional); nested components it refers
 * to (`AlternateIds`) stay as loose as declared, so tests assert what Farol reads from them.
 */
export function loadCatalogApiValidators(): CatalogApiValidators {
  const api = loadOpenApi(CATALOG_OPENAPI_PATH, 'vtex-catalog-openapi');
  const all = new Set<string>();
  return {
    productAndSkuIds: api.response('/api/catalog_system/pvt/products/GetProductAndSkuIds', { requireAllExcept: all, errata: PRODUCT_AND_SKU_IDS_ERRATA }),
    skuContext: api.response('/api/catalog_system/pvt/sku/stockkeepingunitbyid/{skuId}', { requireAllExcept: all }),
  };
}

export interface PricingApiValidators {
  /** `GET /pricing/prices/{itemId}`. */
  readonly getPrice: ValidateFunction;
}

export function loadPricingApiValidators(): PricingApiValidators {
  const api = loadOpenApi(PRICING_OPENAPI_PATH, 'vtex-pricing-openapi', PRICING_COMPONENT_ERRATA);
  return { getPrice: api.response('/pricing/prices/{itemId}') };
}

export const MASTER_DATA_OPENAPI_PATH = fileURLToPath(new URL('../fixtures/vtex-openapi/masterdata-api---v10.2.json', import.meta.url));

export interface MasterDataApiValidators {
  /** `GET /api/dataentities/{acronym}/search`: an array of documents. */
  readonly search: ValidateFunction;
  /** `GET /api/dataentities/{acronym}/scroll`: an array of documents. */
  readonly scroll: ValidateFunction;
  /** The scroll's 400 body (`{ "Message": ... }`). */
  readonly scrollError: ValidateFunction;
  /** The `Document` component: the system fields every document has, required. */
  readonly document: ValidateFunction;
  /** The CL profile fields (`createUpdateProfileRequests`), each may be null; see masterDataProfileErrata. */
  readonly clProfile: ValidateFunction;
}

/**
 * The search and scroll responses declare their items loosely (four optional system fields), so
 * tests also check each CL document against the `Document` component and the profile schema of
 * the same file. That schema describes a request body; a stored document answers null for a field
 * it has not set (a consumer's `corporateDocument`), so every profile field is nullable here.
 */
function masterDataProfileErrata(): Record<string, Record<string, JsonObject>> {
  const doc = JSON.parse(fs.readFileSync(MASTER_DATA_OPENAPI_PATH, 'utf8')) as JsonObject;
  const profile = ((doc.components as JsonObject).schemas as JsonObject).createUpdateProfileRequests as JsonObject;
  const fields: Record<string, JsonObject> = {};
  for (const [name, schema] of Object.entries(profile.properties as JsonObject)) fields[name] = { ...(schema as JsonObject), nullable: true };
  return { createUpdateProfileRequests: fields };
}

export function loadMasterDataApiValidators(): MasterDataApiValidators {
  const api = loadOpenApi(MASTER_DATA_OPENAPI_PATH, 'vtex-masterdata-openapi', masterDataProfileErrata());
  return {
    search: api.response('/api/dataentities/{acronym}/search'),
    scroll: api.response('/api/dataentities/{acronym}/scroll'),
    scrollError: api.response('/api/dataentities/{acronym}/scroll', { status: '400' }),
    document: api.component('Document'),
    clProfile: api.component('createUpdateProfileRequests'),
  };
}

export function describeErrors(errors: ErrorObject[] | null | undefined, limit = 8): string {
  return (errors ?? [])
    .slice(0, limit)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}

/** OpenAPI 3.0 schema → JSON Schema (draft-07 subset ajv understands), path-aware for the options. */
export function convert(node: Json, path: string, options: ConvertOptions): Json {
  if (Array.isArray(node)) return node.map((item) => convert(item, path, options));
  if (node === null || typeof node !== 'object') return node;
  const erratum = options.errata?.[path];
  const source: JsonObject = erratum ?? node;

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (OPENAPI_ONLY.has(key)) continue;
    switch (key) {
      case '$ref':
        out.$ref = typeof value === 'string' && value.startsWith('#/components/') ? `${options.componentsId ?? COMPONENTS_ID}${value}` : value;
        break;
      case 'properties': {
        const props: JsonObject = {};
        for (const [name, schema] of Object.entries(value as JsonObject)) props[name] = convert(schema, join(path, name), options);
        out.properties = props;
        break;
      }
      case 'items':
        out.items = convert(value, `${path}[]`, options);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'object' && value !== null ? convert(value, `${path}{}`, options) : value;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = (value as Json[]).map((schema) => convert(schema, path, options));
        break;
      default:
        out[key] = value;
    }
  }

  if (options.requireAllExcept !== undefined && out.properties !== undefined) {
    const declared = Object.keys(out.properties as JsonObject).filter((name) => !options.requireAllExcept?.has(join(path, name)));
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), ...declared])];
  }

  if (source.nullable === true) return nullable(out);
  return out;
}

function nullable(schema: JsonObject): JsonObject {
  if (typeof schema.type === 'string') {
    const withNull: JsonObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) withNull.enum = [...schema.enum, null];
    return withNull;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/**
 * The feed configuration's filter has both shapes' fields declared side by side; a FromWorkflow
 * filter has no `expression`, a FromOrders one no `status`. Everything else the GET answer
 * declares is required here.
 */
export const FEED_CONFIG_NOT_REQUIRED: ReadonlySet<string> = new Set(['filter.status', 'filter.expression', 'filter.disableSingleFire']);

export interface OrdersFeedValidators {
  /** `GET /api/orders/feed`: an array of `Getfeedorderstatus` items. */
  readonly readItems: ValidateFunction;
  /** `GET /api/orders/feed/config`. */
  readonly getConfig: ValidateFunction;
  /** The `POST /api/orders/feed/config` request body (what a client sends). */
  readonly saveConfigRequest: ValidateFunction;
  /** The `POST /api/orders/feed` (commit) request body. */
  readonly commitRequest: ValidateFunction;
}

/**
 * Feed v3 needs no schema corrections. Where the sandbox departs from the OpenAPI it is more
 * lenient, following VTEX's guide, and the tests say so where they check it: `filter` and `queue`
 * may be left out of a configuration (the schema requires both), the guide's lower-case
 * `messageRetentionPeriodInSeconds` is read too, and a read without `maxlot` (required here)
 * gets one item. The GET configuration answers with the schema's spelling,
 * `MessageRetentionPeriodInSeconds`, where the OpenAPI's own example writes it lower-case.
 */
export function loadOrdersFeedValidators(): OrdersFeedValidators {
  const api = loadOpenApi(ORDERS_OPENAPI_PATH, COMPONENTS_ID, COMPONENT_PROPERTY_ERRATA);
  const doc = JSON.parse(fs.readFileSync(ORDERS_OPENAPI_PATH, 'utf8')) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const requestBody = (path: string): ValidateFunction => {
    const op = ((doc.paths as JsonObject)[path] as JsonObject).post as JsonObject;
    const content = (op.requestBody as JsonObject).content as JsonObject;
    return ajv.compile(convert((content['application/json'] as JsonObject).schema as JsonObject, '', {}) as JsonObject);
  };
  return {
    readItems: api.response('/api/orders/feed'),
    getConfig: api.response('/api/orders/feed/config', { requireAllExcept: FEED_CONFIG_NOT_REQUIRED }),
    saveConfigRequest: requestBody('/api/orders/feed/config'),
    commitRequest: requestBody('/api/orders/feed'),
  };
}
