import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FarolApp } from '../../src/main.js';
import { openWatchedPage, requireChromium } from '../fixtures/chromium.js';
import { startSmallSandboxFarol } from '../fixtures/small-sandbox-farol.js';
import { describeWithDebianPackages } from '../fixtures/require-debian-package.js';

const API_KEY = 'browser-test-key-0123456789abcdef';
const chromiumRequirement = requireChromium();
const executablePath = chromiumRequirement.found;

describeWithDebianPackages('GraphiQL in a browser', [chromiumRequirement], () => {
  let dir: string;
  let app: FarolApp;
  let browser: Browser;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-browser-'));
    app = await startSmallSandboxFarol(dir, API_KEY, {
      FAROL_API_KEYS: `${API_KEY}:analyst`,
    });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens GraphiQL, takes the key, runs a query and shows rows, loading nothing from elsewhere', async () => {
    const { page, requested, problems, close } = await openWatchedPage(browser);

    await page.goto(`${app.url}/graphql`);
    // Without a key the schema fetch is refused; the page says so.
    await expect.poll(() => page.textContent('#farol-key-status')).toMatch(/no key/);
    await page.fill('#farol-api-key', API_KEY);
    await page.click('#farol-use-key');
    await expect.poll(() => page.textContent('#farol-key-status')).toMatch(/key in use/);

    await page.click('.graphiql-execute-button');
    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.textContent(), { timeout: 30_000 }).toMatch(/"sales\.orders": [1-9]/);
    expect(await response.textContent()).toContain('sales.channel');

    // Evaluated in the page; written as text since the tests compile without the DOM types.
    expect(await page.evaluate<string | null>("window.sessionStorage.getItem('farol.apiKey')")).toBe(API_KEY);
    const local = await page.evaluate<string>('JSON.stringify(Object.entries(window.localStorage))');
    expect(local).not.toContain(API_KEY);
    expect(requested.filter((u) => !u.startsWith(app.url))).toEqual([]);
    // 401s before the key was given are expected; nothing else may go wrong.
    expect(problems.filter((p) => !/401/.test(p)), problems.join("\n")).toEqual([]);
    await close();
  }, 90_000);
});
