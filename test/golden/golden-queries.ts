import type { ModelCatalog } from '../../src/metrics/cube/model-catalog.js';

/** One query whose generated SQL is kept as a golden file at `<view>/<name>.sql`. */
export interface GoldenQuery {
  readonly view: string;
  readonly name: string;
  readonly query: Record<string, unknown>;
}

const DATE_RANGE = ['2025-03-01', '2025-03-31'];

/**
 * The queries come from the compiled model, not from a list kept by hand: every public measure of
 * every view alone, each time dimension at day and month over a fixed date range, each segment,
 * and one breakdown by the view's first two dimensions with a filter. A KPI added to `cube/model`
 * gets a case here, and the test fails until its golden file is written (`UPDATE_GOLDEN=1`).
 */
export function goldenQueries(catalog: ModelCatalog): GoldenQuery[] {
  const out: GoldenQuery[] = [];
  for (const view of catalog.views) {
    const first = view.measures[0];
    const time = view.dimensions.find((d) => d.kind === 'timeDimension');
    for (const m of view.measures) {
      // A rolling window ends in a date range: it is kept with the view's time dimension over one.
      const window = catalog.isCumulative(m.name) && time ? { timeDimensions: [{ dimension: time.name, dateRange: DATE_RANGE }] } : {};
      out.push({ view: view.name, name: `measure.${local(m.name)}`, query: { measures: [m.name], ...window } });
    }
    if (!first) continue;
    for (const t of view.dimensions.filter((d) => d.kind === 'timeDimension')) {
      for (const granularity of ['day', 'month']) {
        out.push({
          view: view.name,
          name: `time.${local(t.name)}.${granularity}`,
          query: { measures: [first.name], timeDimensions: [{ dimension: t.name, granularity, dateRange: DATE_RANGE }] },
        });
      }
    }
    for (const s of view.segments) out.push({ view: view.name, name: `segment.${local(s.name)}`, query: { measures: [first.name], segments: [s.name] } });
    const dims = view.dimensions.filter((d) => d.kind === 'dimension' && d.type === 'string').slice(0, 2);
    if (dims.length > 0) {
      out.push({
        view: view.name,
        name: `breakdown.${dims.map((d) => local(d.name)).join('.')}`,
        query: {
          measures: view.measures.slice(0, 2).map((m) => m.name),
          dimensions: dims.map((d) => d.name),
          filters: [{ member: dims[0]!.name, operator: 'notEquals', values: ["O'Brien; DROP TABLE gold.fct_orders"] }],
          order: [[view.measures[0]!.name, 'desc']],
          limit: 50,
        },
      });
    }
  }
  return out;
}

function local(member: string): string {
  return member.slice(member.indexOf('.') + 1);
}
