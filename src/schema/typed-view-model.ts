import type { ModelMember, ModelView } from '../metrics/model-views.js';

/**
 * What the typed GraphQL API exposes of one view: its GraphQL names and, for each member, the
 * field that carries it and the kind of value it holds. Derived from the model alone, so adding
 * a member to a view adds a field without code changes.
 */

/**
 * The GraphQL shape of a member's values.
 * - `int`: measures that count (`count`, `countDistinct`, `countDistinctApprox`); a count is a
 *   whole number, and GraphQL's 32-bit Int holds any count of rows this warehouse answers.
 * - `float`: every other measure and number dimension (sums of money, ratios, averages).
 * - `string`, `boolean`: dimensions of those types.
 * - `time`: time dimensions, an object with one local ISO string per granularity.
 * Personal-data members are `string` (or `time`) whatever their type: a masked value is text.
 */
export type TypedValueKind = 'int' | 'float' | 'string' | 'boolean' | 'time';

export interface TypedMember {
  /** `view.member`, as the engine knows it. */
  readonly member: string;
  /** The field on the row type and in `where`: `average_ticket` → `averageTicket`. */
  readonly field: string;
  /** The value in the view's measure or dimension enum: `AVERAGE_TICKET`. */
  readonly enumValue: string;
  readonly kind: 'measure' | 'dimension';
  readonly valueKind: TypedValueKind;
  readonly source: ModelMember;
}

export interface TypedSegment {
  readonly member: string;
  readonly enumValue: string;
  readonly source: ModelMember;
}

export interface TypedView {
  readonly view: ModelView;
  /** The root field: the view name in camelCase, `View` appended when that name is taken. */
  readonly field: string;
  /** Prefix of the view's type names: `Sales` → `SalesRow`, `SalesWhere`, ... */
  readonly typePrefix: string;
  readonly members: readonly TypedMember[];
  readonly segments: readonly TypedSegment[];
  /** Members by their row field name. */
  readonly byField: ReadonlyMap<string, TypedMember>;
}

const COUNT_AGGREGATIONS: ReadonlySet<string> = new Set(['count', 'countDistinct', 'countDistinctApprox']);
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * `average_ticket` → `averageTicket`. The first letter is always lower case, so no field can
 * be `where`'s own `AND`/`OR`.
 */
export function camelCase(snake: string): string {
  const [head = '', ...rest] = snake.split('_').filter((p) => p !== '');
  return head.charAt(0).toLowerCase() + head.slice(1) + rest.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/** `product_sales` → `ProductSales`. */
export function pascalCase(snake: string): string {
  const camel = camelCase(snake);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** `averageTicket` or `average_ticket` → `AVERAGE_TICKET`. */
export function enumValueName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** The member's own name: `sales.average_ticket` → `average_ticket`. */
function shortName(member: string): string {
  return member.slice(member.indexOf('.') + 1);
}

function valueKind(m: ModelMember): TypedValueKind {
  if (m.type === 'time') return 'time';
  if (m.pii) return 'string';
  if (m.kind === 'measure') return m.aggType !== undefined && COUNT_AGGREGATIONS.has(m.aggType) ? 'int' : 'float';
  if (m.type === 'number') return 'float';
  if (m.type === 'boolean') return 'boolean';
  return 'string';
}

/**
 * The typed description of `view`. `takenFields` are root fields that already exist; a view
 * whose name is one of them gets `View` appended (`customers` → `customersView`). Throws, naming
 * the view and members, when two members would share a field or enum value, or a name is not a
 * valid GraphQL name: start-up fails rather than serving an API that drops a member.
 */
export function typedView(view: ModelView, takenFields: ReadonlySet<string>): TypedView {
  const base = camelCase(view.name);
  const renamed = takenFields.has(base);
  const field = renamed ? `${base}View` : base;
  const typePrefix = renamed ? `${pascalCase(view.name)}View` : pascalCase(view.name);
  assertName(field, `view "${view.name}"`);

  const members: TypedMember[] = [];
  const fields = new Map<string, TypedMember>();
  const enums = new Map<string, string>();
  for (const source of [...view.measures, ...view.dimensions]) {
    const short = shortName(source.name);
    const m: TypedMember = Object.freeze({
      member: source.name,
      field: camelCase(short),
      enumValue: enumValueName(short),
      kind: source.kind === 'measure' ? 'measure' : 'dimension',
      valueKind: valueKind(source),
      source,
    });
    assertName(m.field, `member "${source.name}"`);
    assertName(m.enumValue, `member "${source.name}"`);
    const clash = fields.get(m.field)?.member ?? enums.get(`${m.kind}:${m.enumValue}`);
    if (clash !== undefined) {
      throw new Error(`typed GraphQL schema: members "${clash}" and "${source.name}" of view "${view.name}" would share the name ${m.field} / ${m.enumValue}`);
    }
    fields.set(m.field, m);
    enums.set(`${m.kind}:${m.enumValue}`, source.name);
    members.push(m);
  }
  const segments = view.segments.map((source) => {
    const s: TypedSegment = Object.freeze({ member: source.name, enumValue: enumValueName(shortName(source.name)), source });
    assertName(s.enumValue, `segment "${source.name}"`);
    return s;
  });
  return Object.freeze({ view, field, typePrefix, members: Object.freeze(members), segments: Object.freeze(segments), byField: fields });
}

function assertName(name: string, what: string): void {
  if (!GRAPHQL_NAME.test(name) || name.startsWith('__')) {
    throw new Error(`typed GraphQL schema: ${what} gives "${name}", which is not a GraphQL name`);
  }
}
