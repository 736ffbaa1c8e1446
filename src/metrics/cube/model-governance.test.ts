import { describe, expect, it } from 'vitest';
import { useModelDirs } from '../../../test/fixtures/model-dir.js';
import { compileModel, ModelCompileError } from './model-compiler.js';

const modelDir = useModelDirs();

/** A cube whose members are written as `members` says, and a view exposing all of them. */
function model(members: string): Record<string, string> {
  return {
    'cubes/things.yml': `cubes:
  - name: things
    sql_table: gold.things
    public: false
    measures:
${members}
    dimensions:
      - name: id
        title: Thing
        description: The thing's id.
        sql: id
        type: string
        primary_key: true
        meta: { owner: things-team@farol.example }
`,
    'views/stuff.yml': 'views:\n  - name: stuff\n    cubes:\n      - join_path: things\n        includes: "*"\n',
  };
}

const GOOD = `      - name: total
        title: Total
        description: Sum of amounts.
        sql: amount
        type: sum
        format: currency
        currency: BRL
        meta: { owner: things-team@farol.example }
      - name: made_at
        title: Made at
        description: When.
        sql: made_at
        type: max
        format: number
        meta: { owner: things-team@farol.example }
`;

async function problems(members: string): Promise<string> {
  const err = await compileModel(modelDir(model(members))).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelCompileError);
  return (err as ModelCompileError).details;
}

describe('model conventions at compile', () => {
  it('accept members with a title, description, owner and format', async () => {
    await expect(compileModel(modelDir(model(GOOD)))).resolves.toBeTruthy();
  });

  it('refuse a member without an owner, or with one that is not a team e-mail, naming it', async () => {
    const details = await problems(GOOD.replace('        meta: { owner: things-team@farol.example }\n', '').replace('meta: { owner: things-team@farol.example }', "meta: { owner: 'Maria; DROP TABLE' }"));
    expect(details).toContain('stuff.total: no owner (meta: { owner: <team e-mail address> })');
    expect(details).toContain('stuff.made_at: owner "Maria; DROP TABLE" is not a team e-mail address');
  });

  it('refuse a measure without a format of number, currency or percent, and currency without a code', async () => {
    const details = await problems(GOOD.replace('        format: number\n', '').replace('        currency: BRL\n', ''));
    expect(details).toContain('stuff.made_at: format null is not one of number, currency, percent');
    expect(details).toContain('stuff.total: format currency without a currency code');
  });

  it("refuse Cube's generated title and a missing description", async () => {
    const details = await problems(GOOD.replace('        title: Total\n', '').replace('        description: When.\n', ''));
    expect(details).toContain('stuff.total: no title');
    expect(details).toContain('stuff.made_at: no description');
  });

  it('refuse the wall-clock marker anywhere but on a time dimension', async () => {
    const details = await problems(GOOD.replace('meta: { owner: things-team@farol.example }', 'meta: { owner: things-team@farol.example, wall_clock: true }'));
    expect(details).toContain('stuff.total: meta.wall_clock must be true, and only on a time dimension');
  });
});
