import type { CatalogView } from '../metrics/metrics-service.js';
import type { SqlColumnSpec, SqlTableSpec } from './catalog-responder.js';
import { sqlTypeOfMember } from './sql-types.js';

/**
 * The tables a caller sees through the SQL API: one per view of `catalog` (pass the engine's
 * `catalog(ctx)`, which already holds only the views and members the caller's role may see),
 * named as the view; its columns are the view's dimensions (time dimensions as `timestamp`)
 * then its measures, named without the view prefix. Segments are not columns. The catalog
 * responder lists exactly these in `information_schema` and `pg_catalog`, so what a BI tool
 * discovers is what the semantic router accepts.
 */
export function sqlTablesFor(catalog: readonly CatalogView[]): readonly SqlTableSpec[] {
  return Object.freeze(
    catalog.map((view) =>
      Object.freeze({
        name: view.name,
        ...(view.description ? { description: view.description } : {}),
        columns: Object.freeze(
          [...view.dimensions, ...view.measures].map(
            (m): SqlColumnSpec => Object.freeze({ name: shortName(m.name), type: sqlTypeOfMember(m), ...(m.description ? { description: m.description } : {}) }),
          ),
        ),
      }),
    ),
  );
}

/** `sales.revenue` → `revenue`. */
export function shortName(member: string): string {
  return member.slice(member.indexOf('.') + 1);
}
