import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarolApp } from '../../src/main.js';
import { silentLogger } from '../../src/observability/logger.js';
import { FAILED_DATA_TEST, writeBadStoreTargets } from '../fixtures/bad-store-targets.js';
import { openWatchedPage, requireChromium } from '../fixtures/chromium.js';
import { startSmallSandboxFarol } from '../fixtures/small-sandbox-farol.js';
import { describeWithDebianPackages } from '../fixtures/require-debian-package.js';
import { receiver, type Receiver } from '../alerts/alerts-fixture.js';

const ANALYST_KEY = 'page-analyst-key-0123456789abcdef';
const APP_KEY = 'page-app-key-0123456789abcdef';
const ADMIN_KEY = 'page-admin-key-0123456789abcdef';
/** The alert rule the failed store-targets run fires. */
const RULE = 'store-targets-runs';
/** Kept after the run (gitignored) so a person can look at what the test saw. */
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'web-page');
const chromiumRequirement = requireChromium();
const executablePath = chromiumRequirement.found;

/** Pixels of the chart's canvas that are not blank (evaluated in the page; the tests compile without DOM types). */
const PAINTED_PIXELS = `(() => {
  const canvas = document.querySelector('#chart canvas');
  if (!canvas || canvas.width === 0) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
  return n;
})()`;

/**
 * Coloured pixels in the plot area, below the legend (the grid starts 40 px down): axes and
 * labels are grey, so these are the drawn bars or lines, not the legend's swatches.
 */
const PLOTTED_PIXELS = `(() => {
  const canvas = document.querySelector('#chart canvas');
  const ratio = canvas.width / canvas.clientWidth;
  const top = Math.ceil(40 * ratio);
  const data = canvas.getContext('2d').getImageData(0, top, canvas.width, canvas.height - top).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
  }
  return n;
})()`;

describeWithDebianPackages('the web page in a browser', [chromiumRequirement], () => {
  let dir: string;
  let app: FarolApp;
  let browser: Browser;
  let slack: Receiver;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-web-page-'));
    const targets = writeBadStoreTargets(dir);
    slack = await receiver();
    fs.writeFileSync(path.join(dir, 'alerts.yml'), `rules:\n  - { name: ${RULE}, kind: pipeline_failure, severity: critical, sources: [store-targets] }\n`);
    app = await startSmallSandboxFarol(dir, ANALYST_KEY, {
      FAROL_API_KEYS: `${ANALYST_KEY}:analyst,${APP_KEY}:app,${ADMIN_KEY}:admin`,
      FAROL_ALERTS_FILE: path.join(dir, 'alerts.yml'),
      SLACK_WEBHOOK_URL: slack.url,
      FAROL_STORE_TARGETS_FILE: targets,
    });
    // A spreadsheet with a negative target: the store-targets run fails on a data test.
    await app.pipeline.runner.run('store-targets', { trigger: 'cli', file: targets }).catch(() => undefined);
    // The pipeline-failure rule is judged every minute; judged now, the failed run fires it.
    await app.alerts.evaluate();
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await slack?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const openPage = () => openWatchedPage(browser, { width: 1280, height: 1000 });

  async function signIn(page: Page, key: string): Promise<void> {
    await page.fill('#api-key', key);
    await page.click('#sign-in-button');
    await expect.poll(() => page.isVisible('#panels')).toBe(true);
  }

  it('signs in, draws revenue by channel, shows the query and a link without the key, and the failed run', async () => {
    const { page, requested, problems, close } = await openPage();
    const response = await page.goto(`${app.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'; style-src 'self'/);
    expect(await page.isVisible('#panels')).toBe(false);

    await signIn(page, ANALYST_KEY);
    await expect.poll(() => page.locator('#view option').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.selectOption('#view', 'sales');
    for (const box of await page.locator('#measures input:checked').all()) await box.uncheck();
    await page.check('#measures input[data-member="sales.revenue"]');
    await page.check('#dimensions input[data-member="sales.channel"]');
    await page.selectOption('#time-dimension', 'sales.order_date');
    await page.selectOption('#grain', 'day');
    await page.selectOption('#chart-kind', 'bar');
    await page.click('#run');
    await expect.poll(() => page.textContent('#explorer-status'), { timeout: 30_000 }).toMatch(/^[1-9]\d* rows? \(data version \d+\)/);

    await expect.poll(() => page.evaluate<number>(PAINTED_PIXELS)).toBeGreaterThan(1_000);
    expect(await page.evaluate<number>(PLOTTED_PIXELS)).toBeGreaterThan(2_000);
    await page.locator('#explorer').screenshot({ path: path.join(ARTIFACTS, 'revenue-by-channel.png') });
    const headers = await page.locator('#result-table th').allTextContents();
    expect(headers.length).toBe(3);
    expect(await page.locator('#result-table tbody tr').count()).toBeGreaterThan(0);

    const cube = JSON.parse((await page.textContent('#cube-json')) ?? '{}') as Record<string, unknown>;
    expect(cube).toMatchObject({ measures: ['sales.revenue'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }] });
    expect(await page.textContent('#graphql-text')).toContain('metrics(query:');
    const link = (await page.getAttribute('#share-link', 'href')) ?? '';
    expect(link).toMatch(/#q=/);
    expect(link).not.toContain(ANALYST_KEY);
    expect(page.url()).not.toContain(ANALYST_KEY);

    // Sources: the store-targets run failed on its data test; the data-test panel names it.
    await expect.poll(() => page.locator('#sources-panel .run-failed').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.textContent('#sources-panel')).toContain('revenue_target');
    await expect.poll(() => page.textContent('#data-tests-panel')).toContain(FAILED_DATA_TEST);
    // The failed run fired the pipeline-failure alert: it is in the history, firing.
    await expect.poll(() => page.textContent('#alerts-panel'), { timeout: 30_000 }).toContain('store-targets');
    expect(await page.textContent('#alerts-panel .panel-status')).toMatch(/^[1-9]\d* firing/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'page.png'), fullPage: true });

    expect(await page.evaluate<string | null>("window.sessionStorage.getItem('farol.apiKey')")).toBe(ANALYST_KEY);
    expect(await page.evaluate<string>('JSON.stringify(Object.entries(window.localStorage)) + document.cookie')).not.toContain(ANALYST_KEY);
    expect(requested.filter((u) => !u.startsWith(app.url))).toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);

    // The link opens the same chart in a new tab, once signed in there (the key does not travel).
    const other = await openPage();
    await other.page.goto(link);
    await signIn(other.page, ANALYST_KEY);
    await expect.poll(() => other.page.textContent('#explorer-status'), { timeout: 30_000 }).toMatch(/rows? \(data version/);
    expect(await other.page.isChecked('#dimensions input[data-member="sales.channel"]')).toBe(true);
    expect(await other.page.inputValue('#chart-kind')).toBe('bar');
    await expect.poll(() => other.page.evaluate<number>(PLOTTED_PIXELS)).toBeGreaterThan(2_000);
    await other.close();
    await close();
  }, 120_000);

  it('acknowledges the alert as admin; the analyst who may not act is told so', async () => {
    const analyst = await openPage();
    await analyst.page.goto(`${app.url}/`);
    await signIn(analyst.page, ANALYST_KEY);
    await expect.poll(() => analyst.page.locator('#alerts-panel button.ack:not([disabled])').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await analyst.page.locator('#alerts-panel button.ack').first().click();
    await expect.poll(() => analyst.page.textContent('#alerts-panel .panel-status')).toBe('Your role may not acknowledge alerts.');
    await analyst.close();

    const admin = await openPage();
    await admin.page.goto(`${app.url}/`);
    await signIn(admin.page, ADMIN_KEY);
    await expect.poll(() => admin.page.locator('#alerts-panel button.ack:not([disabled])').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await admin.page.locator('#alerts-panel button.ack').first().click();
    await expect.poll(() => admin.page.textContent('#alerts-panel .panel-status')).toBe('Acknowledged.');
    expect(await admin.page.textContent('#alerts-panel')).toMatch(/by /);
    await admin.page.locator('#alerts-panel').screenshot({ path: path.join(ARTIFACTS, 'alerts.png') });
    expect(admin.problems, admin.problems.join('\n')).toEqual([]);
    await admin.close();
    // The alert also went to the Slack stand-in.
    expect(JSON.stringify(slack.bodies)).toContain(RULE);
  }, 120_000);

  it('shows a role without operations that it may not see them, and refuses a wrong key', async () => {
    const { page, close } = await openPage();
    await page.goto(`${app.url}/`);
    await page.fill('#api-key', 'not-a-key-0123456789abcdef');
    await page.click('#sign-in-button');
    await expect.poll(() => page.textContent('#notice')).toBe('That key was refused.');
    expect(await page.evaluate<string | null>("window.sessionStorage.getItem('farol.apiKey')")).toBeNull();

    await signIn(page, APP_KEY);
    await expect.poll(() => page.textContent('#sources-panel .panel-status')).toBe('Your role may not see pipeline operations.');
    await expect.poll(() => page.textContent('#data-tests-panel .panel-status')).toBe('Your role may not see data tests.');
    // The explorer still works for it: `app` has metrics.
    await expect.poll(() => page.locator('#view option').count()).toBeGreaterThan(0);
    await page.click('#sign-out');
    expect(await page.evaluate<string | null>("window.sessionStorage.getItem('farol.apiKey')")).toBeNull();
    await close();
  }, 60_000);
});

describe('serving the page', () => {
  it('answers 503 with a way out when the page is not built, and serves nothing outside it', async () => {
    const Fastify = (await import('fastify')).default;
    const { registerWebPage } = await import('../../src/web-page/register-web-page.js');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-no-page-'));
    const server = Fastify();
    await registerWebPage(server, { root: empty, logger: silentLogger() });
    const res = await server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    await server.close();

    const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');
    const served = Fastify();
    await registerWebPage(served, { root: built, logger: silentLogger() });
    const index = await served.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['cache-control']).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    const asset = await served.inject({ method: 'GET', url: script! });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const url of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/.env', '/index.html%00.js']) {
      expect((await served.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
    await served.close();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
