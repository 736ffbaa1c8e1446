import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlainApiKey } from './auth/index.js';

export const GENERATED_KEY_FILE = '.farol-api-key';

/**
 * With no FAROL_API_KEYS the API still needs a key: one admin key is generated on first start
 * and kept beside the warehouse (mode 0600), so it stays valid across restarts like the data.
 */
export function loadOrCreateLocalApiKey(dataDir: string): { key: PlainApiKey; created: boolean } {
  const file = path.join(dataDir, GENERATED_KEY_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) return { key: { kind: 'plain', key: existing, role: 'admin' }, created: false };
  } catch {
    // absent: create below
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = `farol_${randomBytes(24).toString('base64url')}`;
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key: { kind: 'plain', key, role: 'admin' }, created: true };
}
