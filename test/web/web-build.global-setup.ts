import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEB = path.join(ROOT, 'web');
const BUILT = path.join(ROOT, 'dist', 'web', 'index.html');

/** The newest modification time under `dir` (the page's sources; GraphiQL's assets are not part of the build). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'graphiql') latest = Math.max(latest, newest(file));
    } else latest = Math.max(latest, fs.statSync(file).mtimeMs);
  }
  return latest;
}

/**
 * Tests that load the page need it built (a fresh clone has no dist/web). Built once per test
 * run, and only when the sources are newer than the build, so most runs pay one directory walk.
 */
export default async function setup(): Promise<void> {
  const builtAt = fs.existsSync(BUILT) ? fs.statSync(BUILT).mtimeMs : 0;
  if (builtAt >= newest(WEB)) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'error' });
}
