import type { CubeCompilers, CubeMemberDefinition, CubeMetaMember } from './cube-types.js';
import { WALL_CLOCK_META } from './wall-clock-time.js';

/**
 * The catalog's conventions, checked when the model compiles so a member that breaks one fails
 * start-up (see cube/README.md):
 * - every public view member (measure, dimension, segment) has a `title` and a `description`
 *   written in the model, not Cube's generated ones;
 * - every one has an owner, `meta: { owner: <team e-mail address> }`, on the member or on the
 *   cube member it exposes: who answers for its definition;
 * - every measure has a `format`: `number`, `currency` or `percent` (currency with its ISO code);
 * - `meta.wall_clock` (wall-clock-time.ts) is `true` only on time dimensions.
 */
export const MEASURE_FORMATS = ['number', 'currency', 'percent'] as const;

/** A team mailbox: one `@`, a dot in the domain, no spaces. */
const OWNER = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

type Kind = 'measures' | 'dimensions' | 'segments';

/** Every broken convention, one line each, naming the view member; empty when the model is clean. */
export function governanceProblems(compilers: CubeCompilers): string[] {
  const problems: string[] = [];
  const cubes = compilers.cubeEvaluator.evaluatedCubes;
  for (const { config } of compilers.metaTransformer.cubes) {
    if (config.type !== 'view' || !config.public) continue;
    const kinds: Record<Kind, readonly CubeMetaMember[]> = { measures: config.measures, dimensions: config.dimensions, segments: config.segments };
    for (const kind of Object.keys(kinds) as Kind[]) {
      for (const m of kinds[kind]) {
        if (!m.isVisible || !m.public) continue;
        const own = cubes[config.name]?.[kind]?.[localName(m.name)];
        const exposed = m.aliasMember ? memberDefinition(compilers, kind, m.aliasMember) : undefined;
        problems.push(...memberProblems(m, kind, own, exposed));
      }
    }
  }
  return problems;
}

function memberProblems(m: CubeMetaMember, kind: Kind, own: CubeMemberDefinition | undefined, exposed: CubeMemberDefinition | undefined): string[] {
  const out: string[] = [];
  const written = (field: 'title' | 'description') => nonEmpty(own?.[field]) || nonEmpty(exposed?.[field]);
  if (!written('title')) out.push(`${m.name}: no title`);
  if (!written('description')) out.push(`${m.name}: no description`);
  const owner = own?.meta?.['owner'] ?? exposed?.meta?.['owner'] ?? m.meta?.['owner'];
  if (owner === undefined) out.push(`${m.name}: no owner (meta: { owner: <team e-mail address> })`);
  else if (typeof owner !== 'string' || !OWNER.test(owner)) out.push(`${m.name}: owner ${JSON.stringify(owner)} is not a team e-mail address`);
  if (kind === 'measures') {
    const format = typeof m.format === 'string' ? m.format : m.format?.type;
    if (!(MEASURE_FORMATS as readonly (string | undefined)[]).includes(format)) {
      out.push(`${m.name}: format ${JSON.stringify(format ?? null)} is not one of ${MEASURE_FORMATS.join(', ')}`);
    } else if (format === 'currency' && !m.currency) out.push(`${m.name}: format currency without a currency code`);
  }
  const wallClock = m.meta?.[WALL_CLOCK_META];
  if (wallClock !== undefined && (wallClock !== true || kind !== 'dimensions' || m.type !== 'time')) {
    out.push(`${m.name}: meta.${WALL_CLOCK_META} must be true, and only on a time dimension`);
  }
  return out;
}

function memberDefinition(compilers: CubeCompilers, kind: Kind, path: string): CubeMemberDefinition | undefined {
  const [cube, name] = path.split('.');
  return cube && name ? compilers.cubeEvaluator.evaluatedCubes[cube]?.[kind]?.[name] : undefined;
}

function localName(member: string): string {
  return member.slice(member.indexOf('.') + 1);
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}
