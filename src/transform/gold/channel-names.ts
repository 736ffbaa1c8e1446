/**
 * Display names for sales channels. VTEX orders carry a trade-policy id (`salesChannel`) and,
 * for marketplace orders, the affiliate id; neither comes with a name. Trade policy 1 is every
 * store's default (the online store); marketplace affiliates use well-known three-letter ids.
 * FAROL_CHANNEL_NAMES can name the rest (`sc:2=App,mkt:XYZ=Parceiro`).
 */
export const KNOWN_AFFILIATES: Readonly<Record<string, string>> = {
  MLB: 'Mercado Livre',
  AMZ: 'Amazon',
  MGZ: 'Magalu',
  MAG: 'Magalu',
  B2W: 'Americanas',
  AME: 'Americanas',
  SHP: 'Shopee',
  CNV: 'Casas Bahia',
  VIA: 'Casas Bahia',
  CRF: 'Carrefour',
  NTS: 'Netshoes',
  DAF: 'Dafiti',
};

export interface ChannelRef {
  readonly key: string;
  readonly name: string;
  readonly type: 'site' | 'marketplace';
  readonly salesChannel: string;
  readonly affiliateId: string | null;
}

export function channelFor(
  salesChannel: string,
  affiliateId: string | null,
  overrides: Readonly<Record<string, string>> = {},
): ChannelRef {
  if (affiliateId) {
    const key = `mkt:${affiliateId}`;
    const name = overrides[key] ?? KNOWN_AFFILIATES[affiliateId.toUpperCase()] ?? `Marketplace ${affiliateId}`;
    return { key, name, type: 'marketplace', salesChannel, affiliateId };
  }
  const key = `sc:${salesChannel}`;
  const name = overrides[key] ?? (salesChannel === '1' ? 'Loja online' : `Política comercial ${salesChannel}`);
  return { key, name, type: 'site', salesChannel, affiliateId: null };
}

/** SQL for the channel key, the same rule as `channelFor`, for set-based gold builds. */
export const CHANNEL_KEY_SQL = (alias: string) =>
  `CASE WHEN coalesce(${alias}.affiliate_id, '') <> '' THEN 'mkt:' || ${alias}.affiliate_id ELSE 'sc:' || ${alias}.sales_channel END`;
