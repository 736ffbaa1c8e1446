import type { CubeCompilers, CubeMetaMember } from './cube-types.js';

export interface KpiTableRow {
  readonly view: string;
  /** `view.member` */
  readonly member: string;
  readonly kind: 'measure' | 'dimension' | 'segment';
  readonly title: string;
  readonly description: string;
  /** number, currency (with its code) or percent for measures; `time` for time dimensions; empty otherwise. */
  readonly format: string;
  readonly owner: string;
}

/** Every public member of every public view, views and members in model order. */
export function kpiTableRows(compilers: CubeCompilers): KpiTableRow[] {
  const rows: KpiTableRow[] = [];
  const views = compilers.metaTransformer.cubes.map((c) => c.config).filter((c) => c.type === 'view' && c.public && c.isVisible);
  for (const view of [...views].sort((a, b) => a.name.localeCompare(b.name))) {
    const add = (kind: KpiTableRow['kind'], members: readonly CubeMetaMember[]) => {
      for (const m of members) {
        if (!m.isVisible || !m.public) continue;
        rows.push({
          view: view.name,
          member: m.name,
          kind,
          title: m.shortTitle,
          description: m.description ?? '',
          format: formatOf(kind, m),
          owner: typeof m.meta?.['owner'] === 'string' ? m.meta['owner'] : '',
        });
      }
    };
    add('measure', view.measures);
    add('dimension', view.dimensions);
    add('segment', view.segments);
  }
  return rows;
}

function formatOf(kind: KpiTableRow['kind'], m: CubeMetaMember): string {
  if (kind === 'measure') {
    const f = typeof m.format === 'string' ? m.format : (m.format?.type ?? '');
    return f === 'currency' && m.currency ? `currency (${m.currency})` : f;
  }
  return kind === 'dimension' && m.type === 'time' ? (m.meta?.['wall_clock'] === true ? 'time, wall-clock' : 'time') : '';
}

/** The README's table: one line per member; pipes and line breaks in the model's text are escaped. */
export function kpiTableMarkdown(rows: readonly KpiTableRow[]): string {
  const cell = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
  const lines = [
    '| view | member | kind | title | description | format | owner |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.view} | \`${r.member.slice(r.view.length + 1)}\` | ${r.kind} | ${cell(r.title)} | ${cell(r.description)} | ${r.format} | ${r.owner} |`),
  ];
  return lines.join('\n');
}
