/**
 * The VTEX OMS "Get order" document (`GET /api/oms/pvt/orders/{orderId}`), as the sandbox emits
 * it: every property the official OpenAPI declares for the 200 response, null or empty where there
 * is nothing to say. Money is integer cents everywhere except `priceTags[].rawValue`, which VTEX
 * gives in reais.
 *
 * Two places follow the live API and the OpenAPI's own example rather than its schema:
 * `items[].priceTags` are objects (the schema says strings, its description says "objects"), and
 * each item carries `priceDefinition` (singular, as in the example) rather than `priceDefinitions`.
 */

export type VtexOrigin = 'Marketplace' | 'Fulfillment' | 'Chain';
export type VtexPaymentGroup = 'creditCard' | 'debitCard' | 'bankInvoice' | 'promissory' | 'giftCard' | 'instantPayment';

export interface VtexTotal {
  id: 'Items' | 'Discounts' | 'Shipping' | 'Tax';
  name: string;
  value: number;
  alternativeTotals: Array<{ id: string; name: string; value: number }> | null;
}

export interface VtexSeller {
  id: string;
  name: string;
  logo: string | null;
  fulfillmentEndpoint: string;
}

export interface VtexCancellationData {
  RequestedByUser: boolean | null;
  RequestedBySystem: boolean | null;
  RequestedBySellerNotification: boolean | null;
  RequestedByPaymentNotification: boolean | null;
  Reason: string | null;
  CancellationDate: string | null;
}

export interface VtexPriceTag {
  name: string;
  /** Line total of the modifier in cents; negative for discounts. */
  value: number;
  isPercentual: boolean;
  identifier: string;
  /** Same as `value`, in reais. */
  rawValue: number;
}

export interface VtexItemAdditionalInfo {
  brandName: string;
  brandId: string;
  categoriesIds: string;
  categories: ReadonlyArray<{ id: number; name: string }>;
  productClusterId: string;
  commercialConditionId: string;
  dimension: { cubicweight: number; height: number; length: number; weight: number; width: number };
  offeringInfo: string | null;
  offeringType: string | null;
  offeringTypeId: string | null;
}

export interface VtexOrderItem {
  uniqueId: string;
  id: string;
  productId: string;
  ean: string | null;
  lockId: string;
  itemAttachment: { content: Record<string, unknown>; name: string | null };
  attachments: string[];
  quantity: number;
  seller: string;
  name: string;
  refId: string;
  price: number;
  listPrice: number;
  manualPrice: string | null;
  priceTags: VtexPriceTag[];
  imageUrl: string;
  detailUrl: string;
  components: string[];
  bundleItems: Array<{ id: number; quantity: number }>;
  params: string[];
  offerings: string[];
  attachmentOfferings: unknown[] | null;
  sellerSku: string;
  priceValidUntil: string | null;
  commission: number;
  tax: number;
  preSaleDate: string | null;
  additionalInfo: VtexItemAdditionalInfo;
  measurementUnit: string;
  unitMultiplier: number;
  sellingPrice: number;
  isGift: boolean;
  shippingPrice: string | null;
  rewardValue: number;
  freightCommission: number;
  priceDefinition: {
    sellingPrices: Array<{ value: number; quantity: number }>;
    calculatedSellingPrice: number;
    total: number;
    reason: string | null;
  };
  taxCode: string | null;
  parentItemIndex: number | null;
  parentAssemblyBinding: string | null;
  callCenterOperator: string | null;
  serialNumbers: string | null;
  assemblies: string[] | null;
  costPrice: number;
}

export interface VtexClientProfile {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  documentType: string;
  document: string;
  phone: string;
  corporateName: string | null;
  tradeName: string | null;
  corporateDocument: string | null;
  stateInscription: string | null;
  corporatePhone: string | null;
  isCorporate: boolean;
  userProfileId: string;
  userProfileVersion: string | null;
  customerClass: string | null;
  customerCode: string | null;
}

export interface VtexAddress {
  addressType: string;
  receiverName: string;
  addressId: string;
  versionId: string | null;
  entityId: string | null;
  postalCode: string;
  city: string;
  state: string;
  country: string;
  street: string;
  number: string;
  neighborhood: string;
  complement: string;
  reference: string | null;
  geoCoordinates: readonly number[];
}

export interface VtexPickupAddress {
  addressType: string | null;
  receiverName: string | null;
  addressId: string | null;
  versionId: string | null;
  entityId: string | null;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  street: string | null;
  number: string | null;
  neighborhood: string | null;
  complement: string | null;
  reference: string | null;
  geoCoordinates: readonly number[] | null;
}

export interface VtexSla {
  id: string;
  name: string;
  shippingEstimate: string;
  deliveryWindow: string | null;
  price: number;
  deliveryChannel: string;
  selectedDeliveryChannel: string;
  pickupStoreInfo: {
    additionalInfo: string | null;
    address: VtexPickupAddress | null;
    dockId: string | null;
    friendlyName: string | null;
    isPickupStore: boolean;
  };
  polygonName: string | null;
  lockTTL: string;
  pickupPointId: string;
  transitTime: string;
  pickupDistance: number;
}

export interface VtexLogisticsInfo {
  itemIndex: number;
  selectedSla: string;
  lockTTL: string;
  price: number;
  listPrice: number;
  sellingPrice: number;
  deliveryWindow: string | null;
  deliveryCompany: string;
  shippingEstimate: string;
  shippingEstimateDate: string;
  slas: VtexSla[];
  shipsTo: readonly string[];
  deliveryIds: Array<{
    courierId: string;
    courierName: string;
    dockId: string;
    quantity: number;
    warehouseId: string;
    accountCarrierName: string;
    kitItemDetails: string[] | null;
  }>;
  deliveryChannels: ReadonlyArray<{ id: string; stockBalance: number }>;
  deliveryChannel: string;
  selectedDeliveryChannel: string;
  pickupStoreInfo: {
    additionalInfo: string | null;
    address: string | null;
    dockId: string | null;
    friendlyName: string | null;
    isPickupStore: boolean;
  } | null;
  addressId: string | null;
  versionId: string | null;
  entityId: string | null;
  polygonName: string | null;
  pickupPointId: string | null;
  transitTime: string | null;
}

export interface VtexShippingData {
  id: string;
  address: VtexAddress;
  logisticsInfo: VtexLogisticsInfo[];
  trackingHints: Array<{ trackingId: string; courierName: string; trackingUrl: string; trackingLabel: string }> | null;
  selectedAddresses: VtexAddress[];
  contactInformation: Array<Record<string, string>>;
}

export interface VtexBillingAddress {
  postalCode: string;
  city: string;
  state: string;
  country: string;
  street: string;
  number: string;
  neighborhood: string;
  complement: string | null;
  reference: string | null;
  geoCoordinates: readonly number[];
}

export interface VtexPayment {
  id: string;
  paymentSystem: string;
  paymentSystemName: string;
  value: number;
  installments: number;
  referenceValue: number;
  cardHolder: string | null;
  cardNumber: string | null;
  firstDigits: string | null;
  lastDigits: string | null;
  cvv2: string | null;
  expireMonth: string | null;
  expireYear: string | null;
  url: string | null;
  giftCardId: string | null;
  giftCardName: string | null;
  giftCardCaption: string | null;
  redemptionCode: string | null;
  group: VtexPaymentGroup;
  tid: string;
  dueDate: string | null;
  connectorResponses: {
    Message: string | null;
    tid: string;
    authorizationId: string;
    status: string;
    delayToAutoSettle: number;
    ReturnCode: string | null;
    nsu: string;
    code: string;
    message: string;
    Tid: string;
    acquirer: string;
    authId: string;
    paymentId: string;
    delayToAutoSettleAfterAntifraud: string;
  };
  giftCardProvider: string | null;
  giftCardAsDiscount: boolean | null;
  koinUrl: string | null;
  accountId: string | null;
  parentAccountId: string | null;
  bankIssuedInvoiceIdentificationNumber: string | null;
  bankIssuedInvoiceIdentificationNumberFormatted: string | null;
  bankIssuedInvoiceBarCodeNumber: string | null;
  bankIssuedInvoiceBarCodeType: string | null;
  billingAddress: VtexBillingAddress | null;
  paymentOrigin: string | null;
}

export interface VtexPaymentData {
  giftCards: unknown[] | null;
  transactions: Array<{ isActive: boolean; transactionId: string; merchantName: string; payments: VtexPayment[] }>;
}

/** UTM fields are null when the visit did not carry them, as the live API returns them. */
export interface VtexMarketingData {
  id: string;
  utmSource: string | null;
  utmPartner: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  coupon: string | null;
  utmiCampaign: string | null;
  utmipage: string | null;
  utmiPart: string | null;
  marketingTags: string[];
}

export interface VtexPackage {
  items: Array<{ itemIndex: number; quantity: number; price: number; description: string | null; unitMultiplier: number | null }>;
  courier: string | null;
  invoiceNumber: string;
  invoiceValue: number;
  invoiceUrl: string | null;
  issuanceDate: string;
  trackingNumber: string | null;
  invoiceKey: string | null;
  trackingUrl: string | null;
  embeddedInvoice: string;
  type: 'Output' | 'Input';
  courierStatus: null;
  cfop: string | null;
  /** Only populated for returns, which the sandbox does not generate. */
  restitutions: Record<string, never>;
  volumes: number;
  EnableInferItems: boolean | null;
}

export interface VtexItemMetadata {
  Id: string;
  Seller: string;
  Name: string;
  SkuName: string;
  ProductId: string;
  RefId: string;
  Ean: string;
  ImageUrl: string;
  DetailUrl: string;
  AssemblyOptions: unknown[] | null;
}

export interface VtexRateAndBenefit {
  description: string | null;
  featured: boolean;
  id: string;
  name: string;
  matchedParameters: Record<string, string>;
  additionalInfo: Record<string, unknown> | null;
}

export interface SandboxOrder {
  orderId: string;
  sequence: string;
  marketplaceOrderId: string;
  marketplaceServicesEndpoint: string;
  sellerOrderId: string;
  origin: VtexOrigin;
  affiliateId: string;
  salesChannel: string;
  merchantName: string | null;
  status: string;
  workflowIsInError: boolean;
  statusDescription: string;
  value: number;
  creationDate: string;
  lastChange: string;
  orderGroup: string;
  followUpEmail: string;
  lastMessage: string | null;
  hostname: string;
  isCompleted: boolean;
  roundingError: number;
  orderFormId: string;
  allowCancellation: boolean;
  allowEdition: boolean;
  isCheckedIn: boolean;
  authorizedDate: string | null;
  invoicedDate: string | null;
  cancelReason: string | null;
  checkedInPickupPointId: string | null;
  totals: VtexTotal[];
  sellers: VtexSeller[];
  clientPreferencesData: { locale: string; optinNewsLetter: boolean };
  cancellationData: VtexCancellationData | null;
  taxData: null;
  subscriptionData: null;
  itemMetadata: { Items: VtexItemMetadata[] };
  marketplace: { baseURL: string; isCertified: boolean | null; name: string };
  storePreferencesData: {
    countryCode: string;
    currencyCode: string;
    currencyFormatInfo: {
      CurrencyDecimalDigits: number;
      CurrencyDecimalSeparator: string;
      CurrencyGroupSeparator: string;
      CurrencyGroupSize: number;
      StartsWithCurrencySymbol: boolean;
    };
    currencyLocale: number;
    currencySymbol: string;
    timeZone: string;
  };
  customData: null;
  commercialConditionData: string | null;
  openTextField: Record<string, string> | null;
  invoiceData: null;
  changesAttachment: null;
  callCenterOperatorData: null;
  packageAttachment: { packages: VtexPackage[] };
  paymentData: VtexPaymentData;
  shippingData: VtexShippingData;
  ratesAndBenefitsData: { id: string; rateAndBenefitsIdentifiers: VtexRateAndBenefit[] };
  marketingData: VtexMarketingData | null;
  giftRegistryData: null;
  clientProfileData: VtexClientProfile;
  items: VtexOrderItem[];
  marketplaceItems: string[];
  authorizationPolicyData: unknown[];
}
