import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientQuery, clientQueryNames } from '../fixtures/pg-client-queries.js';
import { GraphqlTestServer } from '../schema/graphql-test-server.js';
import { DEBIAN_PYTHON, describeWithDebianPackages, requireCommand, requirePythonModule } from '../fixtures/require-debian-package.js';
import { KEYS, startSqlApiHarness, type SqlApiHarness } from './sql-api-harness.js';

/**
 * Debian's own clients against the SQL API: psql (`postgresql-client`) and Python's psycopg2
 * (`python3-psycopg2`), each asked the question GraphQL answers in the same test, over one engine
 * and one gold fixture; and psql's `\dt` and `\d sales` listing the governed views.
 */

const QUESTION_SQL = "SELECT channel, MEASURE(revenue) AS revenue, MEASURE(orders) AS orders FROM sales WHERE order_date >= '2025-03-14' GROUP BY 1 ORDER BY 1";
const QUESTION = {
  measures: ['sales.revenue', 'sales.orders'],
  dimensions: ['sales.channel'],
  filters: [{ member: 'sales.order_date', operator: 'afterOrOnDate', values: ['2025-03-14'] }],
  order: [{ member: 'sales.channel', direction: 'ASC' }],
};

let h: SqlApiHarness;
let gql: GraphqlTestServer;

beforeAll(async () => {
  h = await startSqlApiHarness();
  gql = new GraphqlTestServer({
    engine: h.engine,
    views: h.engine.modelViews,
    auth: { apiKeys: Object.entries(KEYS).map(([role, key]) => ({ kind: 'plain' as const, key, role })) },
  });
  await gql.start();
}, 120_000);
afterAll(async () => {
  await gql?.stop();
  await h?.close();
});

/** GraphQL's rows for QUESTION as `channel|revenue|orders` lines, money to the cent. */
async function graphqlLines(): Promise<string[]> {
  const res = await gql.post({ query: 'query($q: MetricsQueryInput!) { metrics(query: $q) { rows } }', variables: { q: QUESTION } }, KEYS.analyst);
  expect(res.body.errors, res.text).toBeUndefined();
  const rows = (res.body.data as { metrics: { rows: Record<string, unknown>[] } }).metrics.rows;
  expect(rows.length).toBeGreaterThan(1);
  return rows.map((r) => `${String(r['sales.channel'])}|${Number(r['sales.revenue']).toFixed(2)}|${Number(r['sales.orders'])}`);
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('the recorded Npgsql (Power BI) and pgJDBC (Looker) queries, over the wire', () => {
  // Npgsql sends its start-up queries as one simple-query batch; pgJDBC its metadata queries as
  // prepared statements with parameters. Both must come back without an error.
  it('answers Npgsql\'s start-up batch in one Query message, with the base types it maps', async () => {
    const c = await h.client(KEYS.analyst);
    const batch = clientQueryNames('npgsql').map((n) => clientQuery('npgsql', n).sql.replace(/;\s*$/, '')).join(';\n');
    const results = (await c.query(batch)) as unknown as { rows: Record<string, unknown>[] }[];
    expect(results.length).toBeGreaterThanOrEqual(clientQueryNames('npgsql').length);
    const typeNames = results.flatMap((r) => r.rows.map((row) => String(row['typname'] ?? '')));
    expect(typeNames).toEqual(expect.arrayContaining(['text', 'numeric', 'int8', 'date', 'timestamptz', 'bool', 'float8']));
  });

  it.each(clientQueryNames('pgjdbc'))('answers pgJDBC\'s %s as a prepared statement', async (name) => {
    const c = await h.client(KEYS.analyst);
    const q = clientQuery('pgjdbc', name);
    const res = await c.query({ text: q.sql, values: q.params });
    if (name === 'get-tables') expect(res.rows.map((r: Record<string, unknown>) => r['table_name'] ?? r['TABLE_NAME'])).toEqual(expect.arrayContaining(['sales']));
    expect(Array.isArray(res.rows)).toBe(true);
  });
});

describeWithDebianPackages('psql against the SQL API', [requireCommand('psql', 'postgresql-client')], ([psql]) => {
  const psqlEnv = () => ({ PGHOST: '127.0.0.1', PGPORT: String(h.server.port), PGUSER: 'analyst', PGDATABASE: 'farol', PGPASSWORD: KEYS.analyst, PGSSLMODE: 'disable' });

  it('answers the question with GraphQL\'s numbers', async () => {
    const out = await run(psql!, ['-X', '-A', '-t', '-F', '|', '-c', QUESTION_SQL], psqlEnv());
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => {
      const [channel, revenue, orders] = l.split('|');
      return `${channel}|${Number(revenue).toFixed(2)}|${Number(orders)}`;
    });
    expect(lines).toEqual(await graphqlLines());
  });

  it('lists the views with \\dt and their columns with \\d sales', async () => {
    const dt = await run(psql!, ['-X', '-A', '-t', '-c', '\\dt'], psqlEnv());
    expect(dt.code, dt.stderr).toBe(0);
    const tables = dt.stdout.trim().split('\n').map((l) => l.split('|')[1]);
    expect(tables).toEqual(expect.arrayContaining(['sales', 'product_sales', 'store_targets']));
    const d = await run(psql!, ['-X', '-A', '-t', '-c', '\\d sales'], psqlEnv());
    expect(d.code, d.stderr).toBe(0);
    const columns = new Map(d.stdout.trim().split('\n').map((l) => l.split('|') as [string, string]));
    expect(columns.get('channel')).toBe('text');
    expect(columns.get('revenue')).toBe('numeric');
    expect(columns.get('orders')).toBe('bigint');
  });

  it('refuses a wrong password and a raw table with their SQLSTATEs, and goes on after an error', async () => {
    const wrong = await run(psql!, ['-X', '-c', 'SELECT 1'], { ...psqlEnv(), PGPASSWORD: 'not-a-key' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/password authentication failed|28P01/);
    const script = '\\set VERBOSITY verbose\nSELECT * FROM gold.fct_orders;\nINSERT INTO sales (channel) VALUES (\'x\');\nSELECT MEASURE(orders) AS n FROM sales;\n';
    const out = await run(psql!, ['-X', '-A', '-t'], psqlEnv(), script);
    expect(out.stderr).toMatch(/42P01/);
    expect(out.stderr).toMatch(/25006/);
    expect(out.stdout.trim()).toMatch(/^\d+$/);
  });
});

const PSYCOPG2_SCRIPT = `
import json, sys
import psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), user="analyst", dbname="farol", password=sys.argv[2], sslmode="disable")
cur = conn.cursor()
cur.execute(sys.argv[3])
rows = [[r[0], "%.2f" % r[1], int(r[2])] for r in cur.fetchall()]
# A parameter goes through psycopg2's own quoting.
cur.execute("SELECT MEASURE(orders) AS n FROM sales WHERE channel = %s", ("Site",))
site = cur.fetchone()[0]
try:
    cur.execute("SELECT nope FROM sales GROUP BY 1")
    error = None
except psycopg2.Error as e:
    error = e.pgcode
    conn.rollback()
cur.execute("SELECT MEASURE(orders) FROM sales")
total = cur.fetchone()[0]
print(json.dumps({"rows": rows, "site": int(site), "error": error, "total": int(total)}))
`;

describeWithDebianPackages('psycopg2 against the SQL API', [requirePythonModule('psycopg2', 'python3-psycopg2')], ([python]) => {
  it('answers the question with GraphQL\'s numbers, takes parameters, and recovers after an error', async () => {
    const out = await run(python ?? DEBIAN_PYTHON, ['-c', PSYCOPG2_SCRIPT, String(h.server.port), KEYS.analyst, QUESTION_SQL]);
    expect(out.code, out.stderr).toBe(0);
    const answer = JSON.parse(out.stdout) as { rows: [string, string, number][]; site: number; error: string | null; total: number };
    expect(answer.rows.map(([c, r, o]) => `${c}|${r}|${o}`)).toEqual(await graphqlLines());
    // Site: o1, o3, o7, o8 are sales (test/metrics/gold-fixtures.ts).
    expect(answer.site).toBe(4);
    expect(answer.error).toBe('42703');
    expect(answer.total).toBeGreaterThan(answer.site);
  });
});
