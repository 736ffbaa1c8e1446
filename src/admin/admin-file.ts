import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * How a `farol` command finds the running service that holds the warehouse: the service writes
 * this file beside the warehouse (mode 0600: whoever may read it may read the data anyway) with
 * its local admin URL and a token made at start, and removes it on a clean stop.
 */
export const ADMIN_FILE = '.farol-admin.json';

const adminFileSchema = z.object({ pid: z.number().int().positive(), url: z.url(), token: z.string().min(32), warehouse: z.string() });
export type AdminEndpoint = z.infer<typeof adminFileSchema>;

export function writeAdminFile(dataDir: string, endpoint: AdminEndpoint): string {
  const file = path.join(dataDir, ADMIN_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(endpoint), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

export function removeAdminFile(dataDir: string, pid = process.pid): void {
  const current = readAdminFile(dataDir);
  if (current?.pid === pid) fs.rmSync(path.join(dataDir, ADMIN_FILE), { force: true });
}

/** The endpoint of a live service for this data folder, or undefined (no file, bad file, or its process is gone). */
export function readAdminFile(dataDir: string): AdminEndpoint | undefined {
  let parsed;
  try {
    parsed = adminFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, ADMIN_FILE), 'utf8')));
  } catch {
    return undefined;
  }
  if (!parsed.success || !processAlive(parsed.data.pid)) return undefined;
  return parsed.data;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
