import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelLoadError, modelRepository, readModelFiles } from './model-repository.js';
import { useModelDirs } from '../../../test/fixtures/model-dir.js';

const modelDir = useModelDirs();

describe('readModelFiles', () => {
  it('reads YAML and JS model files recursively, sorted, with relative names', async () => {
    const dir = modelDir({ 'views/b.yml': 'views: []', 'cubes/a.yaml': 'cubes: []', 'cubes/c.js': 'cube(`c`, {})', 'README.md': '# notes' });
    const files = await readModelFiles(dir);
    expect(files.map((f) => f.fileName)).toEqual(['cubes/a.yaml', 'cubes/c.js', 'views/b.yml']);
    const repo = modelRepository(dir, files);
    expect(repo.localPath()).toBe(path.resolve(dir));
    expect((await repo.dataSchemaFiles()).map((f) => f.content)).toEqual(['cubes: []', 'cube(`c`, {})', 'views: []']);
  });

  it('refuses Jinja and Python models, naming every file', async () => {
    const dir = modelDir({
      'cubes/ok.yml': 'cubes: []',
      'cubes/templated.yml': 'cubes:\n  - name: x\n    sql_table: "{{ schema }}.x"\n',
      'globals.py': 'x = 1',
      'macros.jinja': '{% macro m() %}{% endmacro %}',
    });
    const err = await readModelFiles(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelLoadError);
    const problems = (err as ModelLoadError).problems.join('\n');
    expect(problems).toContain('cubes/templated.yml:3: Jinja syntax');
    expect(problems).toContain('globals.py: Jinja/Python models are not supported');
    expect(problems).toContain('macros.jinja');
  });

  it('fails clearly on a missing or empty folder', async () => {
    await expect(readModelFiles(path.join(os.tmpdir(), 'farol-no-such-model'))).rejects.toThrow(/cannot read the folder/);
    await expect(readModelFiles(modelDir({ 'notes.txt': 'x' }))).rejects.toThrow(/no model files/);
  });
});
