import type { MemberAnnotation, MetricsResult } from '../metrics-service.js';
import type { ModelCatalog, ModelMember } from './model-catalog.js';
import type { ResolvedQuery } from './query-resolution.js';

/**
 * Cube names result columns by alias (`sales__order_date_day`); its query object maps each alias
 * back to a member (`sales.order_date.day`). This turns that map into the columns the engine
 * reads rows by, and the annotation it returns with them.
 */
export type ColumnKind = 'measure' | 'dimension' | 'timeDimension';

/** One result column: the SQL alias and the member names its value is reported under. */
export interface PlanColumn {
  readonly alias: string;
  readonly names: readonly string[];
  readonly kind: ColumnKind;
}

/**
 * Plain members claim their own name first; a time dimension with a granularity is reported as
 * `view.member.granularity` and, when nothing else claimed it, also as `view.member`.
 */
export function planColumns(aliasToMember: Record<string, string>, catalog: ModelCatalog): readonly PlanColumn[] {
  const entries = Object.entries(aliasToMember);
  const claimed = new Set(entries.map(([, name]) => name));
  return Object.freeze(
    entries.map(([alias, name]): PlanColumn => {
      const parts = name.split('.');
      if (parts.length === 3) {
        const base = `${parts[0]}.${parts[1]}`;
        const names = claimed.has(base) ? [name] : [name, base];
        claimed.add(base);
        return Object.freeze({ alias, names: Object.freeze(names), kind: 'timeDimension' });
      }
      const kind = catalog.member(name)?.kind;
      return Object.freeze({ alias, names: Object.freeze([name]), kind: kind === 'measure' ? 'measure' : kind === 'timeDimension' ? 'timeDimension' : 'dimension' });
    }),
  );
}

export function annotate(query: ResolvedQuery, columns: readonly PlanColumn[], catalog: ModelCatalog): MetricsResult['annotation'] {
  const of = (name: string): MemberAnnotation => toAnnotation(catalog.member(name), name);
  const timeDimensions: MemberAnnotation[] = [];
  const dimensions: MemberAnnotation[] = [];
  for (const c of columns) {
    const [name] = c.names as [string];
    const parts = name.split('.');
    if (parts.length === 3) timeDimensions.push(Object.freeze({ ...of(`${parts[0]}.${parts[1]}`), name, granularity: parts[2] }));
    else if (c.kind !== 'measure') dimensions.push(of(name));
  }
  return Object.freeze({
    measures: Object.freeze(query.measures.map(of)),
    dimensions: Object.freeze(dimensions),
    timeDimensions: Object.freeze(timeDimensions),
    segments: Object.freeze(query.segments.map(of)),
  });
}

function toAnnotation(m: ModelMember | undefined, name: string): MemberAnnotation {
  if (!m) return Object.freeze({ name, title: name, shortTitle: name, type: 'string' });
  return Object.freeze({ name: m.name, title: m.title, shortTitle: m.shortTitle, type: m.type, format: m.format, currency: m.currency, description: m.description });
}
