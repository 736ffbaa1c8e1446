import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog.js';
import { compileModel, ModelCompileError } from './model-compiler.js';
import { useModelDirs } from '../../../test/fixtures/model-dir.js';

const modelDir = useModelDirs();

const CUBE = `cubes:
  - name: things
    sql_table: gold.things
    public: false
    measures:
      - name: count
        type: count
        title: Things
        description: Things.
        format: number
        meta: { owner: things-team@farol.example }
    dimensions:
      - name: id
        sql: id
        type: string
        primary_key: true
`;

async function compileError(dir: string): Promise<ModelCompileError> {
  const err = await compileModel(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelCompileError);
  return err as ModelCompileError;
}

describe('compileModel', () => {
  it('compiles a plain YAML model; only views reach the catalog', async () => {
    const dir = modelDir({ 'cubes/things.yml': CUBE, 'views/stuff.yml': 'views:\n  - name: stuff\n    cubes:\n      - join_path: things\n        includes: [count]\n' });
    const model = await compileModel(dir);
    expect(model.files).toEqual(['cubes/things.yml', 'views/stuff.yml']);
    const catalog = ModelCatalog.fromCompilers(model.compilers);
    expect(catalog.views.map((v) => v.name)).toEqual(['stuff']);
    expect(catalog.member('stuff.count')?.kind).toBe('measure');
    expect(catalog.member('things.count')).toBeUndefined();
    expect(catalog.isCubeMember('things.count')).toBe(true);
  });

  it("lists Cube's schema errors", async () => {
    const dir = modelDir({
      'cubes/things.yml': CUBE.replace('type: count', 'type: bogus'),
      'views/stuff.yml': 'views:\n  - name: stuff\n    cubes:\n      - join_path: things\n        includes: [count, missing]\n',
    });
    const err = await compileError(dir);
    expect(err.message).toContain(`Cube model in ${dir} failed to compile`);
    expect(err.details).toContain('measures.count.type = bogus');
    expect(err.details).toContain("Member 'missing' is included in 'stuff' but not defined in any cube");
  });

  it('names the file and line of a YAML syntax error', async () => {
    const dir = modelDir({ 'cubes/things.yml': CUBE, 'cubes/broken.yml': 'cubes:\n  - name: broken\n    description: a: b\n' });
    const err = await compileError(dir);
    expect(err.details).toMatch(/cubes\/broken\.yml:3:\d+: YAML syntax error/);
  });

  it('leaves no worker threads behind: a process that compiled exits on its own', () => {
    const good = modelDir({ 'cubes/things.yml': CUBE });
    // A YAML syntax error aborts Cube mid-transpile, before its own clean-up of the workers.
    const bad = modelDir({ 'cubes/things.yml': CUBE, 'cubes/broken.yml': 'cubes:\n  - name: broken\n    description: a: b\n' });
    const script = path.join(good, 'compile-twice.mts');
    const compiler = fileURLToPath(new URL('./model-compiler.ts', import.meta.url));
    fs.writeFileSync(
      script,
      `import { compileModel } from ${JSON.stringify(compiler)};
await compileModel(${JSON.stringify(bad)}).catch(() => console.log('bad model rejected'));
await compileModel(${JSON.stringify(good)});
console.log('compiled');
`,
    );
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout).toBe('bad model rejected\ncompiled\n');
    // A lingering worker keeps the child alive until the timeout kills it (status null).
    expect(child.status, child.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
