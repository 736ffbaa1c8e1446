import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MODEL_DIR, type GoldFixture } from './gold-fixtures.js';

/**
 * The repository's model plus a view exposing a personal-data member (`customer_sales.customer`,
 * the customer key), over gold customers whose keys look like a CPF, an e-mail and a phone: what
 * the tests of masking need on every face (engine, typed GraphQL, Cube's API).
 */
const CUSTOMER_SALES_VIEW = `
views:
  - name: customer_sales
    cubes:
      - join_path: orders
        includes:
          - revenue
      - join_path: orders.order_customers
        includes:
          - name: customer_key
            alias: customer
          - state
`;

/** Fixture customer → the personal-looking key it gets. */
export const PII_CUSTOMER_KEYS: Readonly<Record<string, string>> = { c1: 'cpf:12345678909', c2: 'email:joao.silva@gmail.com', c3: 'phone:+5511987654334' };

/** Rewrites the fixture's customer keys and returns a temp model folder with the view; the caller removes it. */
export async function withCustomerSalesView(fixture: GoldFixture, prefix: string): Promise<string> {
  for (const [from, to] of Object.entries(PII_CUSTOMER_KEYS)) {
    await fixture.warehouse.query(`UPDATE gold.dim_customer SET customer_key = ? WHERE customer_key = ?`, [to, from]);
    await fixture.warehouse.query(`UPDATE gold.fct_orders SET customer_key = ? WHERE customer_key = ?`, [to, from]);
  }
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(MODEL_DIR, modelDir, { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'views', 'customer_sales.yml'), CUSTOMER_SALES_VIEW);
  return modelDir;
}
