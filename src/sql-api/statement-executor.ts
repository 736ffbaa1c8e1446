import type { SecurityContext } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { ModelView } from '../metrics/model-views.js';
import type { CatalogResponder, SqlSessionState, SqlTableSpec } from './catalog-responder.js';
import { semanticRows } from './semantic-rows.js';
import { translateSelect } from './select-translator.js';
import { nodeKind, type ParsedStatement } from './sql-parser.js';
import { routeStatement } from './statement-router.js';
import { sqlTypeOfOid, TYPE_OIDS, TYPE_SIZES, type SqlType } from './sql-types.js';
import { toText } from './value-encoding.js';

export interface ResultField {
  readonly name: string;
  readonly typeOid: number;
  readonly typeSize: number;
}

/** A statement ready to stream: its columns (none for SET, BEGIN, …), rows as text, and its command tag. */
export interface StatementRun {
  readonly fields: readonly ResultField[];
  readonly rows: AsyncIterable<readonly (string | null)[]>;
  command(rowCount: number): string;
}

/** Who is asking in this session and what they see; fixed at login. */
export interface SessionScope {
  readonly ctx: SecurityContext;
  readonly tables: readonly SqlTableSpec[];
  readonly visible: ReadonlySet<string>;
  readonly state: SqlSessionState;
}

/** Statement kinds reported to `onStatement` (a closed list, so a metric's label stays bounded). */
export type StatementKind = 'select' | 'catalog' | 'set' | 'show' | 'transaction' | 'other';

export interface StatementExecutorDeps {
  readonly metrics: MetricsService;
  /** Told of every statement run (not of describe-only starts), with the seconds it took to answer or fail. */
  readonly onStatement?: (kind: StatementKind, seconds: number) => void;
  /** Every public view of the model, by name (`SemanticEngine.modelViews`). */
  readonly views: ReadonlyMap<string, ModelView>;
  readonly catalog: CatalogResponder;
}

/**
 * Runs one parsed statement: routes it, then either translates it for the semantic engine or
 * hands it to the catalog responder. `params` undefined means "describe only": the answer's
 * columns are known without values for a semantic statement; a catalog statement is run with
 * NULL parameters to learn its columns.
 */
export class StatementExecutor {
  constructor(private readonly deps: StatementExecutorDeps) {}

  async start(stmt: ParsedStatement, params: readonly (string | null)[] | undefined, paramCount: number, scope: SessionScope, signal: AbortSignal): Promise<StatementRun> {
    const report = this.deps.onStatement;
    if (!report || params === undefined) return this.begin(stmt, params, paramCount, scope, signal);
    const started = performance.now();
    const done = (kind: StatementKind) => report(kind, (performance.now() - started) / 1000);
    let kind: StatementKind = 'other';
    try {
      const run = await this.begin(stmt, params, paramCount, scope, signal, (k) => (kind = k));
      return { ...run, rows: observed(run.rows, () => done(kind)) };
    } catch (err) {
      done(kind);
      throw err;
    }
  }

  private async begin(
    stmt: ParsedStatement,
    params: readonly (string | null)[] | undefined,
    paramCount: number,
    scope: SessionScope,
    signal: AbortSignal,
    routed: (kind: StatementKind) => void = () => undefined,
  ): Promise<StatementRun> {
    const route = routeStatement(stmt.node, { visible: scope.visible });
    routed(route.kind === 'catalog' ? catalogKind(stmt.node) : 'select');
    if (route.kind === 'catalog') {
      const result = await this.deps.catalog.run(stmt.text, params ?? Array.from({ length: paramCount }, () => null), scope.tables, scope.state);
      return {
        fields: result.fields.map((f) => ({ name: f.name, typeOid: f.typeOid, typeSize: sizeOf(f.typeOid) })),
        rows: fromArray(result.rows),
        command: () => result.command,
      };
    }
    const view = this.deps.views.get(route.view);
    const table = scope.tables.find((t) => t.name === route.view);
    // The router accepts only views in the caller's tables, which come from the model.
    if (!view || !table) throw new Error(`view "${route.view}" is in the caller's tables but not in the model`);
    const plan = translateSelect({ select: route.select, view, alias: route.alias, table, params });
    const fields = plan.columns.map((c) => ({ name: c.name, typeOid: TYPE_OIDS[c.type], typeSize: TYPE_SIZES[c.type] }));
    if (params === undefined) return { fields, rows: fromArray([]), command: (n) => `SELECT ${n}` };
    const { metrics } = this.deps;
    const hidden = new Set(scope.ctx.data.piiVisible ? [] : view.dimensions.filter((d) => d.pii).map((d) => d.name));
    const orderable = (member: string) => !hidden.has(member);
    const rows = (async function* () {
      for await (const row of semanticRows(plan, metrics, scope.ctx, signal, { orderable })) {
        yield plan.columns.map((c) => toText(row[c.key] ?? c.ifNull ?? null, c.type));
      }
    })();
    return { fields, rows, command: (n) => `SELECT ${n}` };
  }
}

/** What kind of system statement the catalog answers, from the parse tree's node type. */
function catalogKind(node: ParsedStatement['node']): StatementKind {
  switch (nodeKind(node)) {
    case 'VariableSetStmt':
      return 'set';
    case 'VariableShowStmt':
      return 'show';
    case 'TransactionStmt':
      return 'transaction';
    default:
      return 'catalog';
  }
}

/** `rows`, calling `done` once when they end, fail or are abandoned. */
async function* observed<T>(rows: AsyncIterable<T>, done: () => void): AsyncGenerator<T> {
  try {
    yield* rows;
  } finally {
    done();
  }
}

function sizeOf(oid: number): number {
  const type: SqlType | undefined = sqlTypeOfOid(oid);
  return type ? TYPE_SIZES[type] : -1;
}

async function* fromArray(rows: readonly (readonly (string | null)[])[]): AsyncGenerator<readonly (string | null)[]> {
  yield* rows;
}
