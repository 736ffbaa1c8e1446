import { ean13CheckDigit } from './ean.js';

/**
 * A small fixed catalog of a Brazilian fashion + home + beauty retailer. Fixed on purpose: gold
 * tables, the Cube model and dashboards can be asserted against known SKUs and categories, and the
 * bulk loader never pays to invent products. Prices are cents.
 */

export interface CatalogCategory {
  readonly id: number;
  readonly name: string;
}

export interface CatalogSku {
  readonly skuId: string;
  readonly productId: string;
  readonly name: string;
  readonly refId: string;
  readonly ean: string;
  readonly brandName: string;
  readonly brandId: string;
  /** VTEX path form, department first: `/1/11/`. */
  readonly categoriesIds: string;
  readonly categories: readonly CatalogCategory[];
  readonly price: number;
  readonly listPrice: number;
  readonly costPrice: number;
  readonly weightGrams: number;
  /** Relative sales frequency. */
  readonly popularity: number;
  /** Eligible for item-level promotions (price tags). */
  readonly promoEligible: boolean;
  readonly slug: string;
}

const DEPARTMENTS: Record<number, string> = { 1: 'Moda', 2: 'Calçados', 3: 'Casa', 4: 'Beleza' };
const CATEGORIES: Record<number, string> = {
  11: 'Camisetas', 12: 'Calças', 13: 'Vestidos', 14: 'Casacos e Moletons',
  21: 'Sandálias', 22: 'Tênis', 23: 'Sapatos e Botas',
  31: 'Cozinha', 32: 'Cama', 33: 'Banho', 34: 'Decoração', 35: 'Eletroportáteis',
  41: 'Perfumaria', 42: 'Maquiagem', 43: 'Corpo e Banho', 44: 'Cabelos', 45: 'Skincare',
};
const BRANDS: Record<string, string> = {
  Hering: '2000001', Reserva: '2000002', Farm: '2000003', Havaianas: '2000004', Olympikus: '2000005',
  Melissa: '2000006', Arezzo: '2000007', Tramontina: '2000008', Santista: '2000009', Buddemeyer: '2000010',
  'Tok&Stok': '2000011', Mondial: '2000012', 'O Boticário': '2000013', Natura: '2000014',
  'Quem Disse, Berenice?': '2000015', Granado: '2000016', 'Salon Line': '2000017',
};

// skuId, productId, name, refId, brand, category, price, listPrice, cost, grams, popularity, promo
type Row = readonly [string, string, string, string, string, number, number, number, number, number, number, boolean];
const ROWS: readonly Row[] = [
  ['2001', '1001', 'Camiseta Básica Algodão Branca M', 'CAM-BAS-BR-M', 'Hering', 11, 4990, 5990, 1900, 180, 14, true],
  ['2002', '1001', 'Camiseta Básica Algodão Preta G', 'CAM-BAS-PT-G', 'Hering', 11, 4990, 5990, 1900, 190, 12, true],
  ['2003', '1002', 'Camiseta Estampada Reserva P', 'RSV-CAM-EST-P', 'Reserva', 11, 12900, 12900, 4800, 200, 6, false],
  ['2004', '1003', 'Calça Jeans Skinny Feminina 38', 'CAL-SKN-AZ-38', 'Hering', 12, 15990, 19990, 6400, 520, 7, true],
  ['2005', '1004', 'Calça Jeans Reta Masculina 42', 'RSV-CAL-RET-42', 'Reserva', 12, 25900, 25900, 9800, 640, 4, false],
  ['2006', '1005', 'Vestido Midi Estampado M', 'FRM-VES-MID-M', 'Farm', 13, 39800, 39800, 15200, 380, 3, false],
  ['2007', '1006', 'Vestido Curto Floral P', 'FRM-VES-FLO-P', 'Farm', 13, 29800, 34800, 11400, 300, 4, true],
  ['2008', '1007', 'Jaqueta Jeans Unissex M', 'JAQ-JNS-UNI-M', 'Hering', 14, 21990, 21990, 8800, 780, 3, true],
  ['2009', '1008', 'Moletom Canguru Cinza G', 'MOL-CNG-CZ-G', 'Hering', 14, 15990, 17990, 6100, 650, 5, true],
  ['2010', '1009', 'Camisa Polo Piquet Azul M', 'RSV-POL-AZ-M', 'Reserva', 11, 18900, 18900, 7000, 260, 5, false],
  ['2011', '1010', 'Sandália Havaianas Top Preta 37/38', 'HAV-TOP-PT-3738', 'Havaianas', 21, 4499, 4999, 1700, 220, 16, false],
  ['2012', '1011', 'Sandália Havaianas Slim Rosa 35/36', 'HAV-SLM-RS-3536', 'Havaianas', 21, 5499, 5499, 2100, 200, 10, false],
  ['2013', '1012', 'Tênis Olympikus Corre 3 Preto 41', 'OLK-CR3-PT-41', 'Olympikus', 22, 39999, 44999, 17000, 780, 4, true],
  ['2014', '1013', 'Tênis Olympikus Index Branco 39', 'OLK-IDX-BR-39', 'Olympikus', 22, 21999, 21999, 9000, 720, 6, true],
  ['2015', '1014', 'Sandália Melissa Possession Bege 36', 'MEL-POS-BG-36', 'Melissa', 21, 19990, 19990, 7900, 350, 5, false],
  ['2016', '1015', 'Scarpin Arezzo Couro Preto 36', 'ARZ-SCP-PT-36', 'Arezzo', 23, 34990, 34990, 13900, 560, 3, false],
  ['2017', '1016', 'Bota Cano Curto Couro Caramelo 37', 'ARZ-BOT-CR-37', 'Arezzo', 23, 49990, 59990, 19900, 980, 2, true],
  ['2018', '1017', 'Tênis Casual Lona Branco 40', 'OLK-LON-BR-40', 'Olympikus', 22, 12999, 14999, 5200, 610, 6, true],
  ['2019', '1018', 'Jogo de Panelas Antiaderente 5 Peças', 'TRM-PAN-5PC', 'Tramontina', 31, 44990, 59990, 21000, 4800, 3, true],
  ['2020', '1019', 'Faqueiro Inox 24 Peças', 'TRM-FAQ-24PC', 'Tramontina', 31, 18990, 18990, 8200, 1500, 4, false],
  ['2021', '1020', 'Frigideira Antiaderente 24 cm', 'TRM-FRG-24', 'Tramontina', 31, 8990, 10990, 3900, 900, 7, true],
  ['2022', '1021', 'Jogo de Cama Casal 4 Peças Percal', 'STS-JCC-4PC', 'Santista', 32, 22990, 22990, 9800, 1700, 4, true],
  ['2023', '1022', 'Jogo de Toalhas 5 Peças Banho', 'BDM-TOA-5PC', 'Buddemeyer', 33, 18990, 21990, 8100, 1900, 4, true],
  ['2024', '1023', 'Toalha de Banho Gigante Branca', 'BDM-TOA-GIG-BR', 'Buddemeyer', 33, 7990, 7990, 3300, 600, 8, false],
  ['2025', '1024', 'Travesseiro Fibra Siliconada 50x70', 'STS-TRV-5070', 'Santista', 32, 6990, 8990, 2800, 900, 8, true],
  ['2026', '1025', 'Edredom Queen Dupla Face', 'STS-EDR-QN', 'Santista', 32, 29990, 29990, 12600, 2600, 2, false],
  ['2027', '1026', 'Vaso Decorativo Cerâmica Branco', 'TKS-VAS-CER-BR', 'Tok&Stok', 34, 8990, 8990, 3600, 1100, 4, false],
  ['2028', '1027', 'Cafeteira Elétrica 30 Xícaras', 'MDL-CAF-30X', 'Mondial', 35, 15990, 17990, 7400, 1800, 4, true],
  ['2029', '1028', 'Malbec Desodorante Colônia 100 ml', 'BOT-MAL-100', 'O Boticário', 41, 21990, 21990, 8400, 420, 6, false],
  ['2030', '1029', 'Egeo Dolce Desodorante Colônia 90 ml', 'BOT-EGD-90', 'O Boticário', 41, 15990, 15990, 6000, 380, 6, true],
  ['2031', '1030', 'Kaiak Clássico Masculino 100 ml', 'NAT-KAI-100', 'Natura', 41, 16990, 16990, 6500, 400, 6, false],
  ['2032', '1031', 'Essencial Feminino Deo Parfum 100 ml', 'NAT-ESS-F-100', 'Natura', 41, 24990, 24990, 9600, 430, 4, false],
  ['2033', '1032', 'Hidratante Corporal Tododia Ameixa 400 ml', 'NAT-TOD-AME-400', 'Natura', 43, 5990, 6990, 2200, 460, 12, true],
  ['2034', '1033', 'Base Líquida Matte 30 ml', 'QDB-BAS-MAT-30', 'Quem Disse, Berenice?', 42, 7990, 7990, 2900, 90, 7, true],
  ['2035', '1034', 'Batom Líquido Matte Vermelho', 'QDB-BAT-LIQ-VM', 'Quem Disse, Berenice?', 42, 4990, 4990, 1700, 40, 9, true],
  ['2036', '1035', 'Sabonete Glicerina Tradicional 90 g', 'GRN-SAB-GLI-90', 'Granado', 43, 990, 990, 380, 100, 15, false],
  ['2037', '1036', 'Shampoo Nutrição 300 ml', 'SLN-SHP-NUT-300', 'Salon Line', 44, 2490, 2990, 900, 330, 11, true],
  ['2038', '1037', 'Protetor Solar Fotoequilíbrio FPS 50 200 ml', 'NAT-PRT-FPS50', 'Natura', 45, 6990, 6990, 2700, 240, 8, true],
  ['2039', '1038', 'Kit Presente Lily Eau de Parfum + Hidratante', 'BOT-LIL-KIT', 'O Boticário', 41, 34990, 39990, 14200, 900, 2, true],
  ['2040', '1039', 'Creme Facial Chronos 40 g', 'NAT-CHR-40', 'Natura', 45, 11990, 11990, 4600, 90, 5, false],
];

/** GS1 Brasil prefix 789 + a made-up company code; the product code is derived from the SKU id. */
const EAN_COMPANY = '789876';

export const CATALOG: readonly CatalogSku[] = Object.freeze(ROWS.map(toSku));

export const CATALOG_BY_SKU_ID: ReadonlyMap<string, CatalogSku> = new Map(CATALOG.map((sku) => [sku.skuId, sku]));

function toSku(row: Row): CatalogSku {
  const [skuId, productId, name, refId, brandName, categoryId, price, listPrice, costPrice, weightGrams, popularity, promoEligible] = row;
  const departmentId = Math.floor(categoryId / 10);
  const body = `${EAN_COMPANY}${skuId.padStart(6, '0')}`;
  const brandId = BRANDS[brandName];
  const department = DEPARTMENTS[departmentId];
  const category = CATEGORIES[categoryId];
  if (brandId === undefined || department === undefined || category === undefined) {
    throw new Error(`catalog row ${skuId} references an unknown brand or category`);
  }
  return Object.freeze({
    skuId,
    productId,
    name,
    refId,
    ean: `${body}${ean13CheckDigit(body)}`,
    brandName,
    brandId,
    categoriesIds: `/${departmentId}/${categoryId}/`,
    categories: Object.freeze([
      Object.freeze({ id: categoryId, name: category }),
      Object.freeze({ id: departmentId, name: department }),
    ]),
    price,
    listPrice,
    costPrice,
    weightGrams,
    popularity,
    promoEligible,
    slug: slugify(name),
  });
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
