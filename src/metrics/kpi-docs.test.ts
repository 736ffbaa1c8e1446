import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_README, KPI_TABLE_END, KPI_TABLE_START, generateKpiTable, withKpiTable } from './kpi-docs.js';

describe('the README KPI table', () => {
  it('is the table the model generates (run npm run docs:kpis after changing cube/model)', async () => {
    const readme = fs.readFileSync(DEFAULT_README, 'utf8');
    const table = await generateKpiTable();
    expect(withKpiTable(readme, table)).toBe(readme);
    // Every KPI the issue names is in it, with its owner and format.
    expect(table).toContain('| sales | `gmv` | measure | GMV |');
    expect(table).toMatch(/\| sales \| `cancellation_rate` \| measure \| .* \| percent \| commercial-analytics@farol\.example \|/);
    expect(table).toMatch(/\| product_sales \| `margin` \| measure \| .* \| currency \(BRL\) \| catalog-analytics@farol\.example \|/);
    expect(table).toMatch(/\| store_targets \| `month` \| dimension \| .* \| time, wall-clock \|/);
  }, 120_000);

  it('replaces only what is between the markers, and says where they go when missing', () => {
    const readme = `# x\n\n${KPI_TABLE_START}\nold | table\n${KPI_TABLE_END}\n\nafter\n`;
    expect(withKpiTable(readme, '| new |')).toBe(`# x\n\n${KPI_TABLE_START}\n| new |\n${KPI_TABLE_END}\n\nafter\n`);
    expect(() => withKpiTable('# no markers', '| t |')).toThrow(/no KPI table markers: add <!-- kpi-table:start/);
  });
});
