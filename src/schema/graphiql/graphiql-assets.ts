import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Farol's own page script and style, beside `cube/` at the package root (from src/ or dist/ alike). */
export const GRAPHIQL_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'graphiql');

export interface StaticAsset {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
}

const require = createRequire(import.meta.url);

/** A file inside an installed package, found through its package.json (the only subpath every one exports). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * Everything the GraphiQL page loads, read once from node_modules and `web/graphiql/`: GraphiQL 3's
 * bundled UMD build (its fonts are inlined in the CSS) and React 18's UMD builds, which it
 * expects as globals. Nothing comes from a CDN, so the page works offline and behind a firewall.
 */
export function loadGraphiqlAssets(): ReadonlyMap<string, StaticAsset> {
  const files: readonly [name: string, file: string, contentType: string][] = [
    ['react.production.min.js', packageFile('react', 'umd/react.production.min.js'), JS],
    ['react-dom.production.min.js', packageFile('react-dom', 'umd/react-dom.production.min.js'), JS],
    ['graphiql.min.js', packageFile('graphiql', 'graphiql.min.js'), JS],
    ['graphiql.min.css', packageFile('graphiql', 'graphiql.min.css'), CSS],
    ['farol-graphiql.js', path.join(GRAPHIQL_WEB_DIR, 'farol-graphiql.js'), JS],
    ['farol-graphiql.css', path.join(GRAPHIQL_WEB_DIR, 'farol-graphiql.css'), CSS],
  ];
  return new Map(files.map(([name, file, contentType]) => [name, { name, contentType, body: readFileSync(file) }]));
}
