import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeWarehouse, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults with an empty environment (the sandbox stands in for VTEX)', () => {
    const c = loadConfig({});
    expect(c.server.port).toBe(4000);
    expect(c.warehouse).toEqual({ kind: 'duckdb', path: 'data/farol.duckdb' });
    expect(c.timezone).toBe('America/Sao_Paulo');
    expect(c.auth).toEqual({ apiKeys: [], jwt: undefined, accessFile: undefined });
    expect(c.vtex).toBeUndefined();
    expect(c.sandbox.enabled).toBe(true);
    expect(Object.isFrozen(c) && Object.isFrozen(c.server)).toBe(true);
  });

  it('parses API keys with roles and real VTEX credentials', () => {
    const c = loadConfig({
      FAROL_API_KEYS: 'aaaaaaaaaaaaaaaaaaaa:analyst, bbbbbbbbbbbbbbbbbbbb:pos',
      VTEX_ACCOUNT: 'minhaloja', VTEX_APP_KEY: 'vtexappkey-minhaloja-X', VTEX_APP_TOKEN: 'secret', VTEX_HOOK_TOKEN: 'hook-token-0123456789',
    });
    expect(c.auth.apiKeys).toEqual([
      { kind: 'plain', key: 'aaaaaaaaaaaaaaaaaaaa', role: 'analyst' },
      { kind: 'plain', key: 'bbbbbbbbbbbbbbbbbbbb', role: 'pos' },
    ]);
    expect(c.vtex?.baseUrl).toBe('https://minhaloja.vtexcommercestable.com.br');
    expect(c.sandbox.enabled).toBe(false);
  });

  it('accepts keys already hashed, and the JWT and access-file settings', () => {
    const hex = 'ab'.repeat(32);
    const c = loadConfig({
      FAROL_API_KEYS: `sha256:${hex.toUpperCase()}=store_manager, cccccccccccccccccccc=app`,
      FAROL_JWT_SECRET: 's'.repeat(32),
      FAROL_JWT_ISSUER: 'https://idp.example.com/',
      FAROL_JWT_AUDIENCE: 'farol',
      FAROL_ACCESS_FILE: 'access.yml',
    });
    expect(c.auth.apiKeys).toEqual([
      { kind: 'sha256', sha256: hex, role: 'store_manager' },
      { kind: 'plain', key: 'cccccccccccccccccccc', role: 'app' },
    ]);
    expect(c.auth.jwt).toEqual({ secret: 's'.repeat(32), jwksUrl: undefined, issuer: 'https://idp.example.com/', audience: 'farol', roleClaim: 'role' });
    expect(c.auth.accessFile).toBe('access.yml');
  });

  it('listens on 127.0.0.1 while the generated admin key is the only key, on every interface once keys are set, and where FAROL_HOST says', () => {
    expect(loadConfig({}).server.host).toBe('127.0.0.1');
    expect(loadConfig({ FAROL_API_KEYS: 'aaaaaaaaaaaaaaaaaaaa:app' }).server.host).toBe('0.0.0.0');
    expect(loadConfig({ FAROL_HOST: '0.0.0.0' }).server.host).toBe('0.0.0.0');
    expect(loadConfig({ FAROL_HOST: '10.0.0.5', FAROL_API_KEYS: 'aaaaaaaaaaaaaaaaaaaa:app' }).server.host).toBe('10.0.0.5');
  });

  it('reads the GraphQL limits and CORS origins, with defaults', () => {
    const d = loadConfig({});
    expect(d.server.corsOrigins).toEqual([]);
    expect(d.queryTimeoutMs).toBe(30_000);
    expect(d.graphql.maxResponseBytes).toBe(32 * 1024 * 1024);
    const c = loadConfig({
      FAROL_CORS_ORIGINS: 'https://painel.example.com.br, http://localhost:5173/',
      FAROL_QUERY_TIMEOUT_MS: '5000',
      FAROL_GRAPHQL_MAX_RESPONSE_BYTES: '1048576',
    });
    expect(c.server.corsOrigins).toEqual(['https://painel.example.com.br', 'http://localhost:5173']);
    expect(c.queryTimeoutMs).toBe(5_000);
    expect(c.graphql.maxResponseBytes).toBe(1_048_576);
  });

  it('refuses a CORS entry that is not an origin, naming it', () => {
    for (const bad of ['*', 'painel.example.com', 'https://painel.example.com/app', 'ftp://x.example']) {
      expect(() => loadConfig({ FAROL_CORS_ORIGINS: bad })).toThrow(/FAROL_CORS_ORIGINS: entry 1/);
    }
  });

  it('turns pre-aggregations on by default, off with FAROL_PREAGGREGATIONS=off, and names the variable for anything else', () => {
    expect(loadConfig({}).preAggregations).toBe(true);
    expect(loadConfig({ FAROL_PREAGGREGATIONS: 'off' }).preAggregations).toBe(false);
    expect(loadConfig({ FAROL_PREAGGREGATIONS: 'on' }).preAggregations).toBe(true);
    for (const bad of ['yes', 'true', '1', 'OFF ']) expect(() => loadConfig({ FAROL_PREAGGREGATIONS: bad })).toThrow(/FAROL_PREAGGREGATIONS/);
  });

  it('reads channel display names', () => {
    expect(loadConfig({ FAROL_CHANNEL_NAMES: 'sc:2=App, mkt:XYZ=Loja Parceira' }).channelNames).toEqual({
      'sc:2': 'App',
      'mkt:XYZ': 'Loja Parceira',
    });
  });

  it.each([
    [{ FAROL_PORT: 'abc' }, 'FAROL_PORT'],
    [{ FAROL_PORT: '70000' }, 'FAROL_PORT'],
    [{ FAROL_WAREHOUSE: 'postgres://x' }, 'FAROL_WAREHOUSE'],
    [{ FAROL_TIMEZONE: 'Mars/Olympus' }, 'FAROL_TIMEZONE'],
    [{ FAROL_API_KEYS: 'short:admin' }, 'FAROL_API_KEYS'],
    [{ FAROL_API_KEYS: 'aaaaaaaaaaaaaaaaaaaa:Root!' }, 'FAROL_API_KEYS'],
    [{ FAROL_API_KEYS: 'sha256:abc=admin' }, 'FAROL_API_KEYS'],
    [{ FAROL_JWT_SECRET: 'too-short' }, 'FAROL_JWT_SECRET'],
    [{ FAROL_JWT_JWKS_URL: 'ftp://idp/jwks' }, 'FAROL_JWT_JWKS_URL'],
    [{ VTEX_ACCOUNT: 'loja' }, 'VTEX_APP_KEY'],
    [{ VTEX_ACCOUNT: 'loja', VTEX_APP_KEY: 'k', VTEX_APP_TOKEN: 't' }, 'VTEX_HOOK_TOKEN'],
    [{ VTEX_BASE_URL: 'not a url' }, 'VTEX_BASE_URL'],
    [{ FAROL_CHANNEL_NAMES: 'app=App' }, 'FAROL_CHANNEL_NAMES'],
  ])('stops on a bad value and names the variable: %o', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('never echoes a secret value in its message', () => {
    try {
      loadConfig({ FAROL_API_KEYS: 'supersecretvalue:Root!', FAROL_JWT_SECRET: 'supersecretshort' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('supersecretvalue');
      expect((err as Error).message).not.toContain('supersecretshort');
    }
  });
});

describe('loadConfig with a BigQuery warehouse', () => {
  const problemsOf = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  };

  it('parses bigquery:<project>.<dataset> with location, bytes cap and a local data folder', () => {
    const c = loadConfig({
      FAROL_WAREHOUSE: 'bigquery:acme-data.farol_prod', FAROL_BIGQUERY_LOCATION: 'southamerica-east1',
      FAROL_BIGQUERY_MAX_BYTES_BILLED: '1000000', FAROL_DATA_DIR: '/var/lib/farol',
    });
    expect(c.warehouse).toEqual({
      kind: 'bigquery', projectId: 'acme-data', dataset: 'farol_prod', location: 'southamerica-east1', maximumBytesBilled: 1_000_000,
      keyFilename: undefined, apiEndpoint: undefined,
    });
    // The hook's durable queue stays a local file: BigQuery is no place to acknowledge a webhook from.
    expect(c.storage).toMatchObject({ dataDir: '/var/lib/farol', inboxPath: '/var/lib/farol/farol.inbox.duckdb', bronzeDir: '/var/lib/farol/farol.bronze' });
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:example.com:acme-data.farol' }).warehouse).toMatchObject({ projectId: 'example.com:acme-data', dataset: 'farol' });
  });

  it('caps bytes billed at 100 GiB unless told otherwise, and 0 turns the cap off', () => {
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol' }).warehouse).toMatchObject({ maximumBytesBilled: 100 * 1024 ** 3, location: undefined });
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', FAROL_BIGQUERY_MAX_BYTES_BILLED: '0' }).warehouse).toMatchObject({ maximumBytesBilled: undefined });
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol' }).storage.inboxPath).toBe(path.resolve('data/farol.inbox.duckdb'));
  });

  it('spaces landings 10 s apart on BigQuery (its load-job quota), not at all on DuckDB, unless FAROL_LANDING_MIN_INTERVAL says', () => {
    expect(loadConfig({}).worker.minLandingIntervalMs).toBe(0);
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol' }).worker.minLandingIntervalMs).toBe(10_000);
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', FAROL_LANDING_MIN_INTERVAL: '30s' }).worker.minLandingIntervalMs).toBe(30_000);
    expect(loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', FAROL_LANDING_MIN_INTERVAL: '0' }).worker.minLandingIntervalMs).toBe(0);
    expect(loadConfig({ FAROL_LANDING_MIN_INTERVAL: '500ms' }).worker.minLandingIntervalMs).toBe(500);
    for (const bad of ['soon', '-1s', '2h']) {
      expect(problemsOf({ FAROL_LANDING_MIN_INTERVAL: bad }).join('\n')).toContain(`FAROL_LANDING_MIN_INTERVAL: expected a duration such as 10s or 500ms (at most 1h), or 0; got "${bad}"`);
    }
  });

  it('refuses malformed targets and settings, naming the variable and what was wrong', () => {
    const cases: [Record<string, string>, string][] = [
      [{ FAROL_WAREHOUSE: 'bigquery:' }, 'FAROL_WAREHOUSE: expected "<project>.<dataset>" after "bigquery:"'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data' }, 'expected "<project>.<dataset>"'],
      [{ FAROL_WAREHOUSE: 'bigquery:Acme_Data.farol' }, 'project "Acme_Data" is not a GCP project id'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.farol-prod' }, 'dataset "farol-prod" is not a BigQuery dataset name'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.farol`; DROP' }, 'is not a BigQuery dataset name'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.' }, 'dataset "" is not a BigQuery dataset name'],
      [{ FAROL_WAREHOUSE: 'postgres://x' }, 'or "bigquery:<project>.<dataset>"'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', FAROL_BIGQUERY_LOCATION: 'south america' }, 'FAROL_BIGQUERY_LOCATION: expected a BigQuery location'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', FAROL_BIGQUERY_MAX_BYTES_BILLED: '10GB' }, 'FAROL_BIGQUERY_MAX_BYTES_BILLED: expected a whole number of bytes'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', FAROL_BIGQUERY_MAX_BYTES_BILLED: '-1' }, 'FAROL_BIGQUERY_MAX_BYTES_BILLED'],
      [{ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' }, 'GOOGLE_APPLICATION_CREDENTIALS: no readable file at /nonexistent/key.json'],
      [{ FAROL_BIGQUERY_LOCATION: 'US' }, 'FAROL_BIGQUERY_LOCATION: only used with FAROL_WAREHOUSE=bigquery'],
      [{ FAROL_DATA_DIR: '/tmp/x' }, 'FAROL_DATA_DIR: only used with FAROL_WAREHOUSE=bigquery'],
    ];
    for (const [env, text] of cases) expect(problemsOf(env).join('\n'), JSON.stringify(env)).toContain(text);
  });

  it('names the key file but never holds or prints its content', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bq-key-'));
    const keyFile = path.join(dir, 'sa.json');
    const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIEsecretsecret\n-----END PRIVATE KEY-----\n';
    fs.writeFileSync(keyFile, JSON.stringify({ type: 'service_account', private_key: privateKey, client_email: 'farol@acme-data.iam.gserviceaccount.com' }));
    try {
      const c = loadConfig({ FAROL_WAREHOUSE: 'bigquery:acme-data.farol', GOOGLE_APPLICATION_CREDENTIALS: keyFile });
      expect(c.warehouse).toMatchObject({ keyFilename: keyFile });
      expect(JSON.stringify(c)).not.toContain('secretsecret');
      expect(describeWarehouse(c.warehouse)).toBe(`bigquery:acme-data.farol (BigQuery, key file ${keyFile})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('serves the SQL API on 15432 beside the HTTP API by default; 0 or off turns it off; TLS needs both files', () => {
    expect(loadConfig({}).sqlApi).toEqual({ host: '127.0.0.1', port: 15432, tls: undefined });
    expect(loadConfig({ FAROL_HOST: '10.0.0.5', FAROL_SQL_PORT: '25432' }).sqlApi).toEqual({ host: '10.0.0.5', port: 25432, tls: undefined });
    expect(loadConfig({ FAROL_SQL_HOST: '0.0.0.0' }).sqlApi?.host).toBe('0.0.0.0');
    expect(loadConfig({ FAROL_SQL_PORT: 'off' }).sqlApi).toBeUndefined();
    expect(loadConfig({ FAROL_SQL_PORT: '0' }).sqlApi).toBeUndefined();
    expect(() => loadConfig({ FAROL_SQL_PORT: '5432x' })).toThrow(/FAROL_SQL_PORT: expected a port/);
    expect(() => loadConfig({ FAROL_SQL_PORT: '70000' })).toThrow(/FAROL_SQL_PORT/);
    expect(() => loadConfig({ FAROL_SQL_TLS_CERT: '/nowhere/cert.pem' })).toThrow(/set both/);
    expect(() => loadConfig({ FAROL_SQL_TLS_CERT: '/nowhere/cert.pem', FAROL_SQL_TLS_KEY: '/nowhere/key.pem' })).toThrow(/FAROL_SQL_TLS_CERT: no readable file at \/nowhere\/cert.pem/);
  });
});
