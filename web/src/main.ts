/**
 * The operator's page: sign in with an API key (kept in this tab's sessionStorage only), then
 * the KPI explorer, sources and runs, data tests and alerts, each asking the GraphQL API with
 * that key. Every panel handles its own refusal, so a role sees what it may and is told the rest.
 */
import { loadAlerts } from './alerts-panel.js';
import { ApiError, graphql } from './api-client.js';
import { byId } from './dom.js';
import { ExplorerPanel } from './explorer-panel.js';
import { loadDataTests, loadSources } from './operations-panels.js';
import { forgetKey, readKey, saveKey } from './session-key.js';

/** How often sources, data tests and alerts are read again while the page is open. */
const REFRESH_MS = 30_000;

const explorer = new ExplorerPanel();
let refresh: number | undefined;

function notice(text: string): void {
  byId('notice').textContent = text;
}

function showSignedIn(signedIn: boolean): void {
  byId('sign-in').hidden = signedIn;
  byId('signed-in').hidden = !signedIn;
  byId('panels').hidden = !signedIn;
}

async function refreshOperations(): Promise<void> {
  await Promise.all([loadSources(byId('sources-panel')), loadDataTests(byId('data-tests-panel')), loadAlerts(byId('alerts-panel'))]);
}

/** Checks the key with the one query every valid key may make, then opens the panels. */
async function start(): Promise<void> {
  try {
    await graphql('{ __typename }');
  } catch (err) {
    forgetKey();
    showSignedIn(false);
    notice(err instanceof ApiError && err.status === 401 ? 'That key was refused.' : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  notice('');
  showSignedIn(true);
  byId('who').textContent = 'Signed in';
  await Promise.all([explorer.load(), refreshOperations()]);
  window.clearInterval(refresh);
  refresh = window.setInterval(() => void refreshOperations(), REFRESH_MS);
}

byId<HTMLFormElement>('sign-in').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = byId<HTMLInputElement>('api-key');
  const key = input.value.trim();
  input.value = '';
  if (!key) return notice('Paste an API key first.');
  saveKey(key);
  void start();
});

byId('sign-out').addEventListener('click', () => {
  forgetKey();
  window.clearInterval(refresh);
  showSignedIn(false);
  notice('Signed out; the key is gone from this tab.');
});

if (readKey()) void start();
else showSignedIn(false);
