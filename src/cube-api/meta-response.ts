import type { CatalogMember, CatalogView } from '../metrics/metrics-service.js';

/** A member as Cube's `/v1/meta` lists it. */
export interface CubeMetaMember {
  readonly name: string;
  readonly title: string;
  readonly shortTitle: string;
  readonly description?: string;
  readonly type: string;
  readonly format?: string;
  readonly currency?: string;
  readonly aggType?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly isVisible: true;
  readonly public: true;
  readonly drillMembers?: readonly string[];
  readonly drillMembersGrouped?: { readonly measures: readonly string[]; readonly dimensions: readonly string[] };
  readonly cumulative?: boolean;
  readonly cumulativeTotal?: boolean;
  readonly suggestFilterValues?: boolean;
  readonly primaryKey?: boolean;
}

export interface CubeMetaView {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly type: 'view';
  readonly isVisible: true;
  readonly public: true;
  readonly measures: readonly CubeMetaMember[];
  readonly dimensions: readonly CubeMetaMember[];
  readonly segments: readonly CubeMetaMember[];
  readonly hierarchies: readonly never[];
  readonly folders: readonly never[];
  readonly nestedFolders: readonly never[];
}

/**
 * `/v1/meta` as Cube answers it for views, from the caller's catalog: the engine already left out
 * every member the caller's role may not see and every view its row rules cannot reach, so the
 * answer is exactly what this caller may query. Cubes are never listed (they are not public).
 */
export function toCubeMeta(views: readonly CatalogView[]): { readonly cubes: readonly CubeMetaView[] } {
  return {
    cubes: views.map((v) => ({
      name: v.name,
      title: v.title,
      ...(v.description === undefined ? {} : { description: v.description }),
      type: 'view',
      isVisible: true,
      public: true,
      measures: v.measures.map((m) => ({ ...member(m), cumulative: false, cumulativeTotal: false, drillMembers: [], drillMembersGrouped: { measures: [], dimensions: [] } })),
      dimensions: v.dimensions.map((m) => ({ ...member(m), suggestFilterValues: true, primaryKey: false })),
      // Cube's segments carry no type; the engine calls them boolean.
      segments: v.segments.map(({ name, title, shortTitle, description, meta }) => ({
        name, title, shortTitle, ...(description === undefined ? {} : { description }), ...(meta === undefined ? {} : { meta }), type: 'boolean', isVisible: true, public: true,
      })),
      hierarchies: [],
      folders: [],
      nestedFolders: [],
    })),
  };
}

function member(m: CatalogMember): CubeMetaMember {
  return {
    name: m.name,
    title: m.title,
    shortTitle: m.shortTitle,
    ...(m.description === undefined ? {} : { description: m.description }),
    type: m.type,
    ...(m.format === undefined ? {} : { format: m.format }),
    ...(m.currency === undefined ? {} : { currency: m.currency }),
    ...(m.aggType === undefined ? {} : { aggType: m.aggType }),
    ...(m.meta === undefined ? {} : { meta: m.meta }),
    isVisible: true,
    public: true,
  };
}
