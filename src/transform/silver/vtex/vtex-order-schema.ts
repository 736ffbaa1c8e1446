import { z } from 'zod';

/**
 * The part of VTEX's Get order response (`GET /api/oms/pvt/orders/{orderId}`) that silver uses.
 * Unlisted fields are ignored, not rejected: VTEX adds fields freely, and bronze keeps the full
 * payload anyway. Amounts are integer cents. Nullable wherever VTEX documents or sends null.
 */
const cents = z.number().int();
const optionalText = z.string().nullish();
/** VTEX timestamps: ISO-8601 with offset and up to 7 fractional digits. */
export const vtexTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:?\d{2})$/, 'expected an ISO-8601 timestamp with offset');

export const vtexOrderItemSchema = z.object({
  id: z.string().min(1),
  productId: optionalText,
  ean: optionalText,
  refId: optionalText,
  name: optionalText,
  seller: optionalText,
  quantity: z.number().int().min(0),
  price: cents,
  listPrice: cents.nullish(),
  sellingPrice: cents,
  costPrice: cents.nullish(),
  isGift: z.boolean().nullish(),
  additionalInfo: z
    .object({ brandName: optionalText, brandId: optionalText, categoriesIds: optionalText })
    .nullish(),
});

export const vtexOrderSchema = z.object({
  orderId: z.string().min(1),
  sequence: optionalText,
  orderGroup: optionalText,
  origin: optionalText,
  affiliateId: optionalText,
  salesChannel: z.string().min(1),
  hostname: optionalText,
  status: z.string().min(1),
  value: cents,
  creationDate: vtexTimestamp,
  lastChange: vtexTimestamp,
  authorizedDate: vtexTimestamp.nullish(),
  invoicedDate: vtexTimestamp.nullish(),
  totals: z.array(z.object({ id: z.string(), value: cents })),
  items: z.array(vtexOrderItemSchema),
  sellers: z.array(z.object({ id: z.string(), name: optionalText })).nullish(),
  clientProfileData: z
    .object({
      email: optionalText,
      firstName: optionalText,
      lastName: optionalText,
      documentType: optionalText,
      document: optionalText,
      phone: optionalText,
      corporateDocument: optionalText,
      isCorporate: z.boolean().nullish(),
      userProfileId: optionalText,
    })
    .nullish(),
  shippingData: z
    .object({
      address: z.object({ city: optionalText, state: optionalText, postalCode: optionalText }).nullish(),
    })
    .nullish(),
  paymentData: z
    .object({
      transactions: z
        .array(
          z.object({
            payments: z
              .array(z.object({ group: optionalText, paymentSystemName: optionalText, installments: z.number().int().nullish() }))
              .nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
  marketingData: z
    .object({ utmSource: optionalText, utmMedium: optionalText, utmCampaign: optionalText, coupon: optionalText })
    .nullish(),
  storePreferencesData: z.object({ currencyCode: optionalText }).nullish(),
  cancellationData: z.object({ CancellationDate: vtexTimestamp.nullish() }).nullish(),
});

export type VtexOrder = z.infer<typeof vtexOrderSchema>;
export type VtexOrderItem = z.infer<typeof vtexOrderItemSchema>;
