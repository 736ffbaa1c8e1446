import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDL_PATH } from '../../src/schema/print-schema.js';

/**
 * A front-end's build: GraphQL Code Generator (typescript + typescript-operations) over the
 * committed SDL and an operation document, then the TypeScript compiler over code that uses the
 * generated types. The SDL drift test (graphql.test.ts) keeps the SDL equal to the model, so a
 * model change that breaks this front-end fails here.
 */
const DOCUMENTS = fileURLToPath(new URL('../fixtures/frontend/*.graphql', import.meta.url));

/** Code a dashboard would write against the generated types; must compile under `strict`. */
const DASHBOARD_TS = `
import type { SalesDashboardQuery, SalesDashboardQueryVariables, ServedFrom } from './generated.js';
import type { SalesRow, StringFilter } from './schema-types.js';

/** A full row, as a test mock of the API would build it. */
export const mockRow: SalesRow = { revenue: 1.5, orders: 2, channel: 'Site', isSale: true, orderDate: { day: '2025-03-14T00:00:00.000' } };
export const siteOnly: StringFilter = { equals: ['Site'] };

export const variables: SalesDashboardQueryVariables = {
  where: { channel: { in: ['Site'] }, OR: [{ revenue: { gt: 100 } }, { orderDate: { inDateRange: ['last 7 days'] } }] },
  limit: 30,
};

export function total(data: SalesDashboardQuery): number {
  return data.sales.rows.reduce((sum, row) => sum + (row.revenue ?? 0), 0);
}

export function labels(data: SalesDashboardQuery): string[] {
  return data.sales.rows.map((row) => \`\${row.orderDate.day ?? '?'} \${row.channel ?? ''} \${row.ticket ?? 0} \${row.orders ?? 0}\`);
}

export const source = (data: SalesDashboardQuery): ServedFrom => data.sales.servedFrom;
export const top = (data: SalesDashboardQuery): (string | null | undefined)[] => data.topProducts.rows.map((r) => r.product);
`;

/** The same dashboard misusing the types: each line must be a compile error. */
const WRONG_TS = `
import type { SalesDashboardQuery, SalesDashboardQueryVariables } from './generated.js';
export const a = (d: SalesDashboardQuery): string => d.sales.rows[0]!.revenue;
export const b = (d: SalesDashboardQuery) => d.sales.rows[0]!.coupon;
export const c: SalesDashboardQueryVariables = { where: { revenue: { gt: 'lots' } } };
export const e: SalesDashboardQueryVariables = { where: { nope: { equals: ['x'] } } };
`;

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-codegen-'));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Generated {
  /** `typescript`: every schema type (what a mock or a form builder uses). */
  readonly schemaTypes: string;
  /** `typescript-operations`: the operations' result and variable types, with the inputs and enums they use. */
  readonly operations: string;
}

/**
 * typescript-operations 6 emits the input and enum types its operations use, so the two
 * plugins write separate files, as a front-end following the plugins' documentation would.
 */
async function codegen(schema: string): Promise<Generated> {
  const outputs = await generate(
    {
      schema,
      documents: DOCUMENTS,
      generates: {
        [path.join(dir, 'schema-types.ts')]: { plugins: ['typescript'], config: { enumsAsTypes: true } },
        [path.join(dir, 'generated.ts')]: { plugins: ['typescript-operations'], config: { enumType: 'string-literal' } },
      },
      silent: true,
      errorsOnly: true,
    },
    false,
  );
  const content = (name: string) => {
    const out = (outputs as readonly { filename: string; content: string }[]).find((o) => path.basename(o.filename) === name);
    if (!out) throw new Error(`codegen produced no ${name}`);
    return out.content;
  };
  return { schemaTypes: content('schema-types.ts'), operations: content('generated.ts') };
}

/** Type-checks `source` beside the generated types; returns the compiler's messages. */
function typeCheck(generated: Generated, source: string): string[] {
  fs.writeFileSync(path.join(dir, 'schema-types.ts'), generated.schemaTypes);
  fs.writeFileSync(path.join(dir, 'generated.ts'), generated.operations);
  fs.writeFileSync(path.join(dir, 'dashboard.ts'), source);
  const program = ts.createProgram([path.join(dir, 'dashboard.ts')], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, noUncheckedIndexedAccess: true, types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${d.file ? path.basename(d.file.fileName) : ''}:${line} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('GraphQL Code Generator against the committed SDL', () => {
  it('generates operation types a strict TypeScript front-end compiles against', async () => {
    const generated = await codegen(SDL_PATH);
    expect(generated.operations).toContain('export type SalesDashboardQuery');
    expect(generated.schemaTypes).toContain('export type SalesRow');
    const errors = typeCheck(generated, DASHBOARD_TS);
    expect(errors, errors.join("\n")).toEqual([]);
  });

  it('catches misuse of the generated types, so the check above means something', async () => {
    const errors = typeCheck(await codegen(SDL_PATH), WRONG_TS);
    // Lines 3 to 6 of WRONG_TS, one mistake each.
    expect(new Set(errors.map((e) => e.split(' ')[0]))).toEqual(new Set(['dashboard.ts:3', 'dashboard.ts:4', 'dashboard.ts:5', 'dashboard.ts:6']));
  });

  it('fails when the model renames a member the front-end uses', async () => {
    const sdl = fs.readFileSync(SDL_PATH, 'utf8');
    const broken = sdl.replace(/(type SalesRow \{[^}]*?\n\s*)averageTicket: Float\n/, '$1avgTicket: Float\n');
    expect(broken).not.toBe(sdl);
    const file = path.join(dir, 'broken.graphql');
    fs.writeFileSync(file, broken);
    await expect(codegen(file)).rejects.toThrow(/averageTicket/);
  });
});
