import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadModelViews } from '../metrics/model-views.js';
import { buildGraphqlSchema } from './build-schema.js';

/** The committed SDL: API changes show up in review as a diff of this file. */
export const SDL_PATH = fileURLToPath(new URL('./schema.graphql', import.meta.url));

/** The repository's model, whose views the committed SDL describes; compiled without a warehouse. */
export const REPOSITORY_MODEL_DIR = fileURLToPath(new URL('../../cube/model', import.meta.url));

/** Sorted, so moving a resolver between files does not reorder the SDL. */
export async function printGraphqlSchema(modelDir: string = REPOSITORY_MODEL_DIR): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGraphqlSchema(await loadModelViews(modelDir))))}\n`;
}

// `npx tsx src/schema/print-schema.ts` rewrites the committed SDL.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SDL_PATH, await printGraphqlSchema());
  process.stdout.write(`wrote ${SDL_PATH}\n`);
}
