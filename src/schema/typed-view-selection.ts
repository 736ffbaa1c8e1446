import {
  getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind,
  type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode,
} from 'graphql';
import { GRANULARITIES } from '../metrics/metrics-query.js';
import type { TypedMember, TypedView } from './typed-view-model.js';

type Granularity = (typeof GRANULARITIES)[number];
const GRANULARITY_SET: ReadonlySet<string> = new Set(GRANULARITIES);

/** The field of a typed result that holds its rows. */
export const ROWS_FIELD = 'rows';
/** The field of a typed row that holds its measures against the prior period (`compare`). */
export const COMPARISON_FIELD = 'comparison';

/** What one typed view field asks the engine for: the members selected under `rows`. */
export interface SelectedMembers {
  /** Measures and non-time dimensions, each once, in the order first selected. */
  readonly members: readonly TypedMember[];
  /** Time dimensions with the granularities selected on them. */
  readonly times: ReadonlyMap<TypedMember, ReadonlySet<Granularity>>;
  /** Measures selected under `comparison` (also in `members`: the current value is what they are compared with). */
  readonly compared: readonly TypedMember[];
}

/**
 * Reads the selection of a typed view field the way execution will: through aliases (two
 * aliases of one member are one member), fragment spreads and inline fragments, skipping what
 * `@skip`/`@include` leave out. `info.fieldNodes` holds every node merged into this response
 * key, so `sales { a: rows { revenue } b: rows { orders } }` asks for both measures.
 */
export function selectedMembers(view: TypedView, info: GraphQLResolveInfo): SelectedMembers {
  const members = new Set<TypedMember>();
  const compared = new Set<TypedMember>();
  const times = new Map<TypedMember, Set<Granularity>>();
  const reader = new SelectionReader(info.fragments, info.variableValues);
  for (const node of info.fieldNodes) {
    for (const rows of reader.fields(node.selectionSet)) {
      if (rows.name.value !== ROWS_FIELD) continue;
      for (const f of reader.fields(rows.selectionSet)) {
        if (f.name.value === COMPARISON_FIELD) {
          for (const c of reader.fields(f.selectionSet)) {
            const measure = view.byField.get(c.name.value);
            if (measure?.kind === 'measure') {
              members.add(measure);
              compared.add(measure);
            }
          }
          continue;
        }
        const member = view.byField.get(f.name.value);
        if (!member) continue; // __typename
        if (member.valueKind !== 'time') {
          members.add(member);
          continue;
        }
        const granularities = times.get(member) ?? new Set<Granularity>();
        for (const g of reader.fields(f.selectionSet)) if (GRANULARITY_SET.has(g.name.value)) granularities.add(g.name.value as Granularity);
        if (granularities.size > 0) times.set(member, granularities);
      }
    }
  }
  return { members: [...members], times, compared: [...compared] };
}

class SelectionReader {
  constructor(
    private readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>,
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {}

  /** The fields a selection set contains once fragments are expanded and directives applied. */
  fields(set: SelectionSetNode | undefined): FieldNode[] {
    const out: FieldNode[] = [];
    if (!set) return out;
    // Iterative, with the fragments already entered, so a fragment reached twice is read once.
    const seen = new Set<string>();
    const stack: SelectionSetNode[] = [set];
    while (stack.length > 0) {
      for (const s of (stack.pop() as SelectionSetNode).selections) {
        if (!this.included(s)) continue;
        if (s.kind === Kind.FIELD) out.push(s);
        else if (s.kind === Kind.INLINE_FRAGMENT) stack.push(s.selectionSet);
        else if (!seen.has(s.name.value)) {
          seen.add(s.name.value);
          const fragment = this.fragments[s.name.value];
          if (fragment) stack.push(fragment.selectionSet);
        }
      }
    }
    return out;
  }

  private included(node: Parameters<typeof getDirectiveValues>[1]): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.['if'] !== false;
  }
}
