import fs from 'node:fs/promises';
import path from 'node:path';
import type { CubeSchemaFile, CubeSchemaRepository } from './cube-types.js';

/** Files Cube compiles without its native module. */
const MODEL_FILE = /\.(ya?ml|js)$/i;
/** Files that need Cube's native module (Jinja templating, Python helpers). */
const NATIVE_ONLY_FILE = /\.(jinja|py)$/i;
/** Cube routes a YAML file through Jinja as soon as it contains any of these. */
const JINJA_SYNTAX = /{%|%}|{{|}}/;

export class ModelLoadError extends Error {
  constructor(
    readonly modelDir: string,
    readonly problems: readonly string[],
  ) {
    super(`Cube model in ${modelDir} cannot be loaded:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ModelLoadError';
  }
}

/**
 * Reads every model file under `modelDir` (recursively, sorted, so compile order and error
 * reports are stable). Jinja/Python models are refused up front with the files named, because
 * Cube would otherwise fail on them with a message about its native module.
 */
export async function readModelFiles(modelDir: string): Promise<CubeSchemaFile[]> {
  const root = path.resolve(modelDir);
  let entries: string[];
  try {
    entries = (await fs.readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .sort();
  } catch (err) {
    throw new ModelLoadError(root, [`cannot read the folder: ${(err as Error).message}`]);
  }

  const problems: string[] = [];
  const files: CubeSchemaFile[] = [];
  for (const fileName of entries) {
    if (NATIVE_ONLY_FILE.test(fileName)) {
      problems.push(`${fileName}: Jinja/Python models are not supported; use plain YAML or JavaScript`);
      continue;
    }
    if (!MODEL_FILE.test(fileName)) continue;
    const content = await fs.readFile(path.join(root, fileName), 'utf8');
    if (!fileName.endsWith('.js') && JINJA_SYNTAX.test(content)) {
      const line = content.split('\n').findIndex((l) => JINJA_SYNTAX.test(l)) + 1;
      problems.push(`${fileName}:${line}: Jinja syntax ({{ }}, {% %}) is not supported; use plain YAML`);
      continue;
    }
    files.push({ fileName, content });
  }
  if (problems.length === 0 && files.length === 0) problems.push('no model files (*.yml, *.yaml, *.js) found');
  if (problems.length > 0) throw new ModelLoadError(root, problems);
  return files;
}

/** A Cube `SchemaFileRepository` over files already read, so compiling never touches the disk. */
export function modelRepository(modelDir: string, files: readonly CubeSchemaFile[]): CubeSchemaRepository {
  const root = path.resolve(modelDir);
  return {
    localPath: () => root,
    dataSchemaFiles: async () => files.map((f) => ({ ...f })),
  };
}
