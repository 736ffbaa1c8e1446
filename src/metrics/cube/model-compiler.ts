import { cubeYamlParser, schemaCompilerModule } from './cube-modules.js';
import { isCubeCompileError, type CubeCompilers, type CubeSchemaFile } from './cube-types.js';
import { governanceProblems } from './model-governance.js';
import { modelRepository, readModelFiles } from './model-repository.js';
import { noJinjaNativeInstance } from './no-jinja-native.js';

export class ModelCompileError extends Error {
  constructor(
    readonly modelDir: string,
    /** Cube's messages, one problem per line, grouped by file where Cube knows it. */
    readonly details: string,
  ) {
    super(`Cube model in ${modelDir} failed to compile:\n${details}`);
    this.name = 'ModelCompileError';
  }
}

export interface CompiledModel {
  readonly modelDir: string;
  readonly compilers: CubeCompilers;
  readonly files: readonly string[];
  readonly compileMs: number;
}

/**
 * Reads and compiles the Cube model once. Any problem (unreadable folder, Jinja, YAML syntax,
 * schema errors, a public member breaking the conventions of model-governance.ts) throws with every message Cube reported, so start-up fails instead of serving
 * a half-compiled model. Cube's transpiler worker threads are terminated on every path, so the
 * process can exit.
 */
export async function compileModel(modelDir: string): Promise<CompiledModel> {
  const started = performance.now();
  const files = await readModelFiles(modelDir);
  const repository = modelRepository(modelDir, files);
  const compilers = schemaCompilerModule().prepareCompiler(repository, {
    nativeInstance: noJinjaNativeInstance(),
    standalone: true,
  });
  try {
    await compilers.compiler.compile();
  } catch (err) {
    throw new ModelCompileError(repository.localPath(), describeCompileFailure(err, files));
  } finally {
    await compilers.compiler.workerPool?.terminate();
  }
  // The catalog's conventions (owner, title, description, format) fail start-up like a schema error.
  const problems = governanceProblems(compilers);
  if (problems.length > 0) throw new ModelCompileError(repository.localPath(), indent(problems.join('\n')));
  return {
    modelDir: repository.localPath(),
    compilers,
    files: files.map((f) => f.fileName),
    compileMs: performance.now() - started,
  };
}

function describeCompileFailure(err: unknown, files: readonly CubeSchemaFile[]): string {
  if (isCubeCompileError(err)) return indent(err.messages.trim());
  if ((err as { name?: unknown }).name === 'YAMLException') {
    // YAML syntax errors escape Cube's error reporter, and cross its worker threads, without
    // the file name; parsing each file again with Cube's parser finds it.
    const located = locateYamlErrors(files);
    if (located.length > 0) return indent(located.join('\n'));
  }
  return indent(err instanceof Error ? err.message : String(err));
}

function locateYamlErrors(files: readonly CubeSchemaFile[]): string[] {
  const yaml = cubeYamlParser();
  const problems: string[] = [];
  for (const f of files) {
    if (f.fileName.endsWith('.js')) continue;
    try {
      yaml.load(f.content, { filename: f.fileName });
    } catch (e) {
      const { reason, mark } = e as { reason?: string; mark?: { line?: number; column?: number } };
      problems.push(`${f.fileName}:${(mark?.line ?? 0) + 1}:${(mark?.column ?? 0) + 1}: YAML syntax error: ${reason ?? (e as Error).message}`);
    }
  }
  return problems;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
