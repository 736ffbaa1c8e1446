import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { ClubMemberIndex, Customer360Service } from '../src/customers/index.js';
import { DEFAULT_MODEL_DIR } from '../src/main.js';
import { createSemanticEngine } from '../src/metrics/semantic-engine.js';
import { silentLogger } from '../src/observability/logger.js';
import { WAREHOUSE_MIGRATIONS } from '../src/pipeline/warehouse-migrations.js';
import { registerPosRoute } from '../src/pos/index.js';
import { Authenticator } from '../src/auth/index.js';
import { registerGraphql } from '../src/schema/index.js';
import { cpfCheckDigits } from '../src/shared/brazil-documents.js';
import { DataVersions } from '../src/warehouse/data-version.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { postLoad } from './post-load.js';
import { median, quantile } from './stats.js';

export interface CustomerLatency {
  readonly customers: number;
  readonly activeMembers: number;
  readonly lookupP50Ms: number;
  readonly lookupP99Ms: number;
  /** The same lookup by hand on a bare DuckDB connection. */
  readonly directLookupP50Ms: number;
  readonly validateInProcessP50Us: number;
  readonly validateInProcessP99Us: number;
  readonly indexLoadMs: number;
  readonly posHttpPerSecond: number;
  readonly posHttpP99Ms: number;
  readonly graphqlValidatePerSecond: number;
}

const APP_KEY = 'bench-app-key-0123456789abcdef';
const POS_KEY = 'bench-pos-key-0123456789abcdef';

function cpf(i: number): string {
  const base = String(10_000_000 + i * 37).padStart(9, '0');
  return base + cpfCheckDigits(base);
}

/**
 * The CRM and till read paths over `n` customers (a third of them active club members) written
 * straight into gold.customer_360 of a fresh warehouse: `customer(document)` over GraphQL/HTTP,
 * each lookup a different customer and uncached (Farol's cache is bypassed by asking each
 * customer once; DuckDB's buffers stay warm); `validateCustomer` in-process and over HTTP with
 * 32 keep-alive clients, both as JSON (`POST /pos/validate`) and as GraphQL.
 */
export async function benchCustomerLatency(n = 200_000, lookups = 500, seconds = 5): Promise<CustomerLatency> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bench-c360-'));
  const warehouse = await DuckDbWarehouse.open({ path: path.join(dir, 'farol.duckdb') });
  try {
    await warehouse.migrate(WAREHOUSE_MIGRATIONS);
    const rows = Array.from({ length: n }, (_, i) => {
      const doc = cpf(i);
      const club = i % 3 === 0 ? 'active' : i % 3 === 1 ? null : 'canceled';
      return [`cpf:${doc}`, 'cpf', `Cliente ${i}`, 'Cliente', doc, 'cpf', `c${i}@exemplo.com.br`, 7, 700, 100, 7, true, 'loyal', club, club ? 'ouro' : null, club ? true : null, '2026-11-29'];
    });
    await warehouse.append({ schema: 'gold', table: 'customer_360' },
      ['customer_id', 'key_type', 'name', 'first_name', 'document', 'document_type', 'email', 'orders', 'ltv', 'average_ticket', 'orders_last_365d', 'is_returning', 'segment', 'club_status', 'club_tier', 'marketing_opt_in', 'refreshed_on'],
      rows);
    const versions = new DataVersions();
    const index = new ClubMemberIndex(warehouse, versions);
    const t0 = performance.now();
    await index.whenCurrent();
    const indexLoadMs = performance.now() - t0;

    // In-process: the index alone, documents as a till sends them (punctuated).
    const docs = Array.from({ length: 100_000 }, (_, i) => { const d = cpf((i * 7) % n); return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`; });
    const samples: number[] = [];
    for (const d of docs) {
      const a = process.hrtime.bigint();
      index.validate(d);
      samples.push(Number(process.hrtime.bigint() - a) / 1_000);
    }

    const engine = await createSemanticEngine({ warehouse, modelDir: DEFAULT_MODEL_DIR, dataVersions: versions, timezone: 'America/Sao_Paulo', cache: { maxEntries: 10, ttlMs: 60_000 }, logger: silentLogger() });
    const app = Fastify();
    const authenticator = new Authenticator({ config: { apiKeys: [{ kind: 'plain', key: APP_KEY, role: 'app' }, { kind: 'plain', key: POS_KEY, role: 'pos' }], jwt: undefined, accessFile: undefined } });
    await registerGraphql(app, { metrics: engine, customers: new Customer360Service(warehouse, versions), clubIndex: index, authenticator, logger: silentLogger() });
    await registerPosRoute(app, { clubIndex: index, authenticator, logger: silentLogger() });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const pool = new Pool(base, { connections: 1 });
    try {
      const bare = await warehouse.bareConnection();
      const direct: number[] = [];
      for (let i = 0; i < lookups; i++) {
        const a = performance.now();
        await bare.runAndReadAll('SELECT customer_id, name, ltv, orders, club_status, club_tier FROM gold.customer_360 WHERE customer_id = $1', [`cpf:${cpf((i * 389 + 1) % n)}`]);
        direct.push(performance.now() - a);
      }
      bare.closeSync();
      const lookup: number[] = [];
      for (let i = 0; i < lookups; i++) {
        const a = performance.now();
        const res = await pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_KEY}` },
          body: JSON.stringify({ query: 'query($d: String!) { customer(document: $d) { id name ltv orders club { status tier } } }', variables: { d: cpf((i * 389) % n) } }) });
        const body = (await res.body.json()) as { data?: { customer?: { id: string } } };
        lookup.push(performance.now() - a);
        if (!body.data?.customer) throw new Error('customer lookup found no one');
      }
      // The load comes from another thread, so client and server do not share an event loop.
      const load = async (path: string, body: (i: number) => string, key: string) => {
        const total = Math.round(seconds * 3_000);
        const r = await postLoad({ base, path, headers: { authorization: `Bearer ${key}` }, bodies: Array.from({ length: 5_000 }, (_, i) => body(i)), total, concurrency: 32 });
        if (r.ok !== total) throw new Error(`${path}: ${total - r.ok} requests did not answer 200`);
        return { perSecond: r.ok / r.seconds, p99: quantile(r.latencies, 0.99) };
      };
      const pos = await load('/pos/validate', (i) => JSON.stringify({ document: docs[i % docs.length] }), POS_KEY);
      const gql = await load('/graphql', (i) => JSON.stringify({ query: 'query($d: String!) { validateCustomer(document: $d) { documentValid activeMember tier firstName marketingOptIn } }', variables: { d: docs[i % docs.length] } }), POS_KEY);
      return {
        customers: n, activeMembers: index.size ?? 0,
        lookupP50Ms: median(lookup), lookupP99Ms: quantile(lookup, 0.99), directLookupP50Ms: median(direct),
        validateInProcessP50Us: median(samples), validateInProcessP99Us: quantile(samples, 0.99), indexLoadMs,
        posHttpPerSecond: pos.perSecond, posHttpP99Ms: pos.p99, graphqlValidatePerSecond: gql.perSecond,
      };
    } finally {
      await pool.close();
      await app.close();
      index.stop();
    }
  } finally {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchCustomerLatency(Number(process.argv[2] ?? 200_000)));
}
