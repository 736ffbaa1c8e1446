/**
 * Draws explorer rows with Apache ECharts (only the parts used, so the bundle stays small). With
 * a grain, time runs along x and each dimension value × measure is a series (revenue by channel:
 * one line per channel); without one, x is the dimension values. Canvas rendering and a canvas
 * tooltip keep the chart inside a CSP that allows no inline styles in markup.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ExplorerState } from './explorer-query.js';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type Row = Readonly<Record<string, unknown>>;

export interface ChartData {
  readonly categories: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
}

/** Rows → x categories and named series; titles label members. */
export function chartData(rows: readonly Row[], state: ExplorerState, title: (member: string) => string): ChartData {
  const timeKey = state.timeDimension && state.grain ? `${state.timeDimension}.${state.grain}` : undefined;
  const seriesDims = timeKey ? state.dimensions : [];
  const xOf = (r: Row) => (timeKey ? String(r[timeKey] ?? '') : state.dimensions.map((d) => String(r[d] ?? '∅')).join(' · ') || 'total');
  const categories = [...new Set(rows.map(xOf))];
  if (timeKey) categories.sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const series = new Map<string, (number | null)[]>();
  for (const r of rows) {
    const group = seriesDims.map((d) => String(r[d] ?? '∅')).join(' · ');
    for (const m of state.measures) {
      const name = [group, state.measures.length > 1 || !group ? title(m) : ''].filter(Boolean).join(' — ');
      let values = series.get(name);
      if (!values) series.set(name, (values = categories.map(() => null)));
      const v = r[m];
      values[index.get(xOf(r)) ?? 0] = typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v);
    }
  }
  return { categories: categories.map((c) => (timeKey ? c.replace(/T00:00:00\.000$/, '') : c)), series: [...series].map(([name, values]) => ({ name, values })) };
}

export class Chart {
  readonly #chart: echarts.ECharts;

  constructor(container: HTMLElement) {
    this.#chart = echarts.init(container, undefined, { renderer: 'canvas' });
    window.addEventListener('resize', () => this.#chart.resize());
  }

  draw(data: ChartData, kind: ExplorerState['chart']): void {
    this.#chart.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: [...data.categories] },
        yAxis: { type: 'value' },
        series: data.series.map((s) => ({ name: s.name, type: kind, data: [...s.values], connectNulls: false, showSymbol: data.categories.length < 60 })),
      },
      { notMerge: true },
    );
  }

  clear(): void {
    this.#chart.clear();
  }
}
