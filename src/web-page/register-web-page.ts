import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { WEB_PAGE_CSP, webPageHeaders } from './web-page-headers.js';

/**
 * Serves the built page (`npm run build` → dist/web) at `/`. Only the files present at start-up
 * get routes (no wildcard), so nothing else on the server is shadowed and no path outside
 * `root` can be asked for. The page holds no data: every panel calls the API with the key the
 * user types. Without a build, `/` says how to make one instead of failing start-up.
 */
export async function registerWebPage(app: FastifyInstance, opts: { readonly root: string; readonly logger: Logger }): Promise<void> {
  if (!fs.existsSync(path.join(opts.root, 'index.html'))) {
    opts.logger.warn({ root: opts.root }, 'the web page is not built; `/` answers 503 until `npm run build` has run');
    app.get('/', async (_req, reply) =>
      reply.code(503).header('content-type', 'text/plain; charset=utf-8').header('content-security-policy', WEB_PAGE_CSP)
        .send(`The page is not built: run \`npm run build\` (it writes ${opts.root}), then restart Farol.\n`),
    );
    return;
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: opts.root,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      cacheControl: false,
      dotfiles: 'deny',
      setHeaders(res, file) {
        for (const [name, value] of Object.entries(webPageHeaders(file))) res.setHeader(name, value);
      },
    });
  });
}
