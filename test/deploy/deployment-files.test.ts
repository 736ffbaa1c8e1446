import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FarolMetrics, METRIC } from '../../src/observability/farol-metrics.js';

// No container engine runs here: these files are checked with parsers and schemas, not run.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const yamlFile = (file: string) => parseYaml(read(file), { merge: true }) as Record<string, unknown>;
/** Names that say a value is a secret; such values may only come from the environment or a secret file. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|API_KEY|APP_KEY|KEYS|CREDENTIAL|WEBHOOK/i;

describe('Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(read('Dockerfile'));
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  /** Instructions per stage, by the line each FROM starts. */
  const stages = froms.map((from, i) => {
    const start = from.getRange().start.line;
    const end = froms[i + 1]?.getRange().start.line ?? Number.MAX_SAFE_INTEGER;
    return { name: from.getBuildStage(), instructions: instructions.filter((x) => x.getRange().start.line > start && x.getRange().start.line < end) };
  });
  const args = (x: Instruction) => x.getArgumentsContent() ?? '';
  const of = (list: readonly Instruction[], keyword: string) => list.filter((x) => x.getKeyword() === keyword);
  const runtime = stages.at(-1)!;
  const build = stages[0]!;

  it('is multi-stage: dependencies with dev tools and the build in one stage, production dependencies only in the last', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(froms.every((f) => f.getImageName() === 'node')).toBe(true);
    const buildRuns = of(build.instructions, 'RUN').map(args);
    expect(buildRuns.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(buildRuns.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    const runtimeRuns = of(runtime.instructions, 'RUN').map(args);
    expect(runtimeRuns.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runtimeRuns.some((r) => /\bnpm run build\b|\btsc\b/.test(r))).toBe(false);
    const fromBuild = runtime.instructions.filter((x): x is Copy => x instanceof Copy && x.getFromFlag()?.getValue() === build.name);
    // dist holds the compiled service and the page Vite built (dist/web).
    expect(fromBuild.map(args)).toEqual(['/app/dist ./dist']);
    expect(of(build.instructions, 'COPY').map(args)).toEqual(expect.arrayContaining(['web ./web']));
    // The Cube model is read at run time.
    expect(of(runtime.instructions, 'COPY').map(args)).toEqual(expect.arrayContaining(['cube ./cube']));
  });

  it('runs no install script (nothing downloads during npm ci)', () => {
    const installs = of(instructions, 'RUN').map(args).filter((r) => /\bnpm (ci|install)\b/.test(r));
    expect(installs.length).toBe(2);
    for (const r of installs) expect(r).toContain('--ignore-scripts');
  });

  it('runs as a user other than root, with a HEALTHCHECK on /healthz', () => {
    const users = of(runtime.instructions, 'USER').map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const health = dockerfile.getHEALTHCHECKs();
    expect(health).toHaveLength(1);
    expect(args(health[0]!)).toContain('/healthz');
    expect(health[0]!.getRange().start.line).toBeGreaterThan(froms.at(-1)!.getRange().start.line);
    expect(of(runtime.instructions, 'CMD').map(args).at(-1)).toContain('dist/cli.js');
  });

  it('keeps the DuckDB file on a volume', () => {
    const volumes = of(runtime.instructions, 'VOLUME').map(args).join(' ');
    expect(volumes).toContain('/data');
    expect(of(runtime.instructions, 'ENV').map(args).join(' ')).toMatch(/FAROL_WAREHOUSE=duckdb:\/data\//);
  });

  it('holds no secret: no ENV or ARG named like one, no .env copied in', () => {
    for (const x of [...of(instructions, 'ENV'), ...of(instructions, 'ARG')]) expect(args(x), args(x)).not.toMatch(SECRET_NAME);
    for (const x of [...of(instructions, 'COPY'), ...of(instructions, 'ADD')]) expect(args(x)).not.toMatch(/\.env\b|secrets?\//);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['.env', 'data', 'node_modules']));
  });
});

describe('docker-compose.yml', () => {
  const compose = yamlFile('docker-compose.yml') as {
    services: Record<string, { profiles?: string[]; environment?: Record<string, string>; volumes?: string[]; secrets?: string[]; networks?: Record<string, { aliases?: string[] }>; image?: string; build?: unknown }>;
    secrets: Record<string, { environment?: string; file?: string }>;
    volumes: Record<string, unknown>;
  };
  const schema = JSON.parse(read('test/fixtures/compose-spec/compose-spec.json')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // The schema names draft-07 by its https address; ajv knows the same meta-schema by its http one.
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  const validate = ajv.compile(schema);

  it('is valid against the Compose specification schema', () => {
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema check is real: a malformed service is refused, naming where', () => {
    const broken = structuredClone(compose) as Record<string, unknown>;
    (broken.services as Record<string, unknown>).grafana = { image: 'grafana/grafana', ports: 3000, restart: 'sometimes', healthcheck: { interval: 5 } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/services/grafana/ports']));
  });

  it('runs exactly one Farol per profile, known to Prometheus as "farol"', () => {
    const farols = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    expect(farols.map(([n, s]) => [n, s.profiles])).toEqual([['farol-demo', ['demo']], ['farol', ['production']]]);
    for (const [, s] of farols) expect(s.networks?.default?.aliases).toContain('farol');
    expect(compose.services.prometheus?.profiles).toBeUndefined();
    expect(compose.services.grafana?.profiles).toBeUndefined();
  });

  it('has a production profile with BigQuery credentials mounted, alert webhooks and a persistent volume', () => {
    const prod = compose.services.farol!;
    expect(prod.environment).toMatchObject({
      GOOGLE_APPLICATION_CREDENTIALS: '/run/secrets/bigquery_credentials',
      SLACK_WEBHOOK_URL: expect.stringMatching(/^\$\{SLACK_WEBHOOK_URL/),
      TEAMS_WEBHOOK_URL: expect.stringMatching(/^\$\{TEAMS_WEBHOOK_URL/),
      FAROL_SANDBOX: 'off',
    });
    expect(prod.secrets).toContain('bigquery_credentials');
    expect(compose.secrets.bigquery_credentials?.file).toMatch(/^\$\{BIGQUERY_CREDENTIALS_FILE/);
    expect(prod.volumes).toContain('farol-data:/data');
    expect(Object.keys(compose.volumes)).toContain('farol-data');
  });

  it('writes no secret in the file: every secret-named variable is interpolated from the environment', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(key) && key !== 'GOOGLE_APPLICATION_CREDENTIALS') expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+(:?[-?][^}]*)?\}$/);
      }
    }
    expect(compose.secrets.farol_metrics_token).toEqual({ environment: 'FAROL_METRICS_TOKEN' });
  });

  it('mounts files that exist: the Prometheus config and Grafana provisioning and dashboards', () => {
    const binds = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).filter((v) => v.startsWith('./')));
    expect(binds.length).toBeGreaterThanOrEqual(3);
    for (const bind of binds) expect(fs.existsSync(path.join(ROOT, bind.split(':')[0]!)), bind).toBe(true);
    expect(compose.services.prometheus?.volumes).toContain('./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(compose.services.prometheus?.secrets).toContain('farol_metrics_token');
  });
});

describe('deploy/prometheus.yml', () => {
  const prom = yamlFile('deploy/prometheus.yml') as {
    scrape_configs: { job_name: string; metrics_path: string; authorization?: { type: string; credentials?: string; credentials_file?: string }; static_configs: { targets: string[] }[] }[];
  };

  it('scrapes Farol /metrics with the token from the Compose secret, never an inline one', () => {
    const job = prom.scrape_configs.find((j) => j.job_name === 'farol');
    expect(job).toBeDefined();
    expect(job!.metrics_path).toBe('/metrics');
    expect(job!.static_configs.flatMap((s) => s.targets)).toEqual(['farol:4000']);
    expect(job!.authorization).toEqual({ type: 'Bearer', credentials_file: '/run/secrets/farol_metrics_token' });
  });
});

describe('Grafana provisioning and dashboard', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/farol.json')) as { uid: string; panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const datasources = yamlFile('deploy/grafana/provisioning/datasources/prometheus.yml') as { datasources: { uid: string; type: string; url: string }[] };
  const providers = yamlFile('deploy/grafana/provisioning/dashboards/farol.yml') as { providers: { type: string; options: { path: string } }[] };
  const compose = yamlFile('docker-compose.yml') as { services: { grafana: { volumes: string[] } } };

  it('uses only metric names Farol registers (histograms by their _bucket series)', async () => {
    const registered = new Set((await new FarolMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(exprs.flatMap((e) => e.match(/\bfarol_[a-z0-9_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) expect(registered.has(name.replace(/_(bucket|sum|count)$/, '')), name).toBe(true);
  });

  it('charts every Farol metric: ingest, freshness vs SLA, refreshes, data tests, GraphQL/SQL p50/p99, cache hit ratio, alerts', () => {
    const all = exprs.join('\n');
    for (const name of Object.values(METRIC)) expect(all, name).toContain(name);
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const t of ['Records ingested', 'Freshness vs SLA', 'Refresh duration', 'Data-test failures', 'GraphQL latency p50 / p99', 'SQL API latency p50 / p99', 'cache hit ratio', 'Alerts sent and failed']) {
      expect(titles).toContain(t);
    }
  });

  it('reads the provisioned Prometheus data source, from the folder Compose mounts the dashboards in', () => {
    const [ds] = datasources.datasources;
    expect(ds).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) expect(p.datasource?.uid, p.title).toBe(ds!.uid);
    const [provider] = providers.providers;
    expect(provider?.type).toBe('file');
    expect(compose.services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${provider!.options.path}:ro`);
    expect(compose.services.grafana.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  });
});
