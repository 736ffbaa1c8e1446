import type { CatalogMember, CatalogView, MemberKind, TableLineageLookup, ViewLineage } from '../metrics-service.js';
import type { CubeMemberFormat, CubeMetaConfig, CubeMetaMember, CubeCompilers } from './cube-types.js';

/** A queryable member: a visible member of a view. */
export interface ModelMember extends CatalogMember {
  readonly view: string;
  /** Personal data: `meta: { pii: true }` on the member or on the cube member it exposes. */
  readonly pii: boolean;
  /** A `rolling_window` measure: its window ends at each row's time bucket, or at the date range's end. */
  readonly rolling: boolean;
}

/** A public view with its members as the model defines them, before any caller's access applies. */
export interface ModelView extends CatalogView {
  readonly measures: readonly ModelMember[];
  readonly dimensions: readonly ModelMember[];
  readonly segments: readonly ModelMember[];
}

/**
 * What the compiled model offers the API: views only. Cubes are the building blocks views are
 * made of; they stay out of the catalog and out of queries, so the public surface is exactly
 * what the views in `cube/model/views/` list.
 */
export class ModelCatalog {
  private readonly members = new Map<string, ModelMember>();
  private readonly cubeMembers = new Set<string>();
  private readonly cubeDimensions = new Set<string>();
  private readonly piiCubeMembers = new Set<string>();
  /** Cube's meta marks `cumulative` on the cube's measure only, not on the view member aliasing it. */
  private readonly rollingCubeMeasures = new Set<string>();
  readonly views: readonly ModelView[];

  constructor(
    metaCubes: readonly { readonly config: CubeMetaConfig }[],
    /** `sql_table` of each cube, by cube name. */
    cubeTables: Readonly<Record<string, string>> = {},
    lineage: TableLineageLookup = () => undefined,
  ) {
    const views: ModelView[] = [];
    for (const { config } of metaCubes) {
      if (config.type !== 'view') {
        for (const m of [...config.measures, ...config.dimensions, ...config.segments]) {
          this.cubeMembers.add(m.name);
          if (isPii(m)) this.piiCubeMembers.add(m.name);
        }
        for (const m of config.dimensions) this.cubeDimensions.add(m.name);
        for (const m of config.measures) if (m.cumulative === true) this.rollingCubeMeasures.add(m.name);
      }
    }
    for (const { config } of metaCubes) {
      if (config.type !== 'view') continue;
      if (!config.isVisible || !config.public) continue;
      const view = Object.freeze({
        name: config.name,
        title: config.title,
        description: config.description,
        measures: this.add(config.name, config.measures, () => 'measure'),
        dimensions: this.add(config.name, config.dimensions, (m) => (m.type === 'time' ? 'timeDimension' : 'dimension')),
        segments: this.add(config.name, config.segments, () => 'segment'),
        lineage: viewLineage([...config.measures, ...config.dimensions, ...config.segments], cubeTables, lineage),
      });
      views.push(view);
    }
    this.views = Object.freeze(views.sort((a, b) => a.name.localeCompare(b.name)));
  }

  static fromCompilers(compilers: CubeCompilers, lineage?: TableLineageLookup): ModelCatalog {
    const tables: Record<string, string> = {};
    for (const [name, cube] of Object.entries(compilers.cubeEvaluator.evaluatedCubes)) {
      if (!cube.isView && cube.sqlTable) tables[name] = cube.sqlTable();
    }
    return new ModelCatalog(compilers.metaTransformer.cubes, tables, lineage);
  }

  member(name: string): ModelMember | undefined {
    return this.members.get(name);
  }

  /** True for a dimension of a cube (not a view): what row-level rules are written against. */
  isCubeDimension(name: string): boolean {
    return this.cubeDimensions.has(name);
  }

  /** True for a rolling-window (cumulative) measure of a view. */
  isCumulative(name: string): boolean {
    return this.members.get(name)?.rolling === true || this.rollingCubeMeasures.has(name);
  }

  /** True for a member of a cube (not a view): it exists, but is not part of the public surface. */
  isCubeMember(name: string): boolean {
    return this.cubeMembers.has(name);
  }

  private add(view: string, metas: readonly CubeMetaMember[], kindOf: (m: CubeMetaMember) => MemberKind): readonly ModelMember[] {
    const out: ModelMember[] = [];
    for (const m of metas) {
      if (!m.isVisible || !m.public) continue;
      const kind = kindOf(m);
      const member: ModelMember = Object.freeze({
        name: m.name,
        view,
        kind,
        title: m.title,
        shortTitle: m.shortTitle,
        type: kind === 'segment' ? 'boolean' : (m.type ?? 'string'),
        format: formatName(m.format),
        currency: m.currency,
        description: m.description,
        aggType: kind === 'measure' ? m.aggType : undefined,
        meta: m.meta,
        pii: isPii(m) || (m.aliasMember !== undefined && this.piiCubeMembers.has(m.aliasMember)),
        rolling: kind === 'measure' && (m.cumulative === true || (m.aliasMember !== undefined && this.rollingCubeMeasures.has(m.aliasMember))),
      });
      this.members.set(m.name, member);
      out.push(member);
    }
    return Object.freeze(out);
  }
}

/** The gold tables behind a view's members (via the cubes they alias), and what feeds those tables. */
function viewLineage(members: readonly CubeMetaMember[], cubeTables: Readonly<Record<string, string>>, lookup: TableLineageLookup): ViewLineage {
  const cubes = new Set(members.map((m) => m.aliasMember?.split('.')[0]).filter((c): c is string => c !== undefined));
  const gold = [...new Set([...cubes].map((c) => cubeTables[c]).filter((t): t is string => t !== undefined))].sort();
  const silver = new Set<string>();
  const bronze = new Set<string>();
  const sources = new Set<string>();
  for (const t of gold) {
    const up = lookup(t);
    up?.silver.forEach((x) => silver.add(x));
    up?.bronze.forEach((x) => bronze.add(x));
    up?.sources.forEach((x) => sources.add(x));
  }
  return Object.freeze({ gold, silver: [...silver].sort(), bronze: [...bronze].sort(), sources: [...sources].sort() });
}

function isPii(m: CubeMetaMember): boolean {
  return m.meta?.['pii'] === true;
}

function formatName(format: CubeMemberFormat | undefined): string | undefined {
  if (format === undefined || typeof format === 'string') return format;
  return format.value ?? format.type;
}
