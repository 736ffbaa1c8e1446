/**
 * The API key lives in sessionStorage only: this tab, until it closes. Never localStorage,
 * cookies or the URL. The name is GraphiQL's too, so both pages in one tab share a sign-in.
 */
const STORAGE_KEY = 'farol.apiKey';

export function readKey(): string | undefined {
  return window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function saveKey(key: string): void {
  window.sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
}
