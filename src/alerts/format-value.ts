/** Numbers in messages as people in Brazil read them: `R$ 1.234,50`, `1.234`. */
export function formatValue(value: number | null | undefined, currency?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return currency
    ? new Intl.NumberFormat('pt-BR', { style: 'currency', currency, maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2 }).format(value)
    : new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 2 }).format(value);
}

/** `-62%`, `+15%`; undefined when the base is zero. */
export function formatChange(value: number | null, expected: number | null): string | undefined {
  if (value === null || expected === null || expected === 0) return undefined;
  const pct = ((value - expected) / Math.abs(expected)) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A small text sparkline of recent values (`▅▆▇▆▂`): one character per value, scaled to their range. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.map((v) => BARS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))]).join('');
}
