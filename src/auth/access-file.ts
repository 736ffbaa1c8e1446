import fs from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { MEMBER_PATTERN } from './member-patterns.js';
import { BUILT_IN_ROLES, type RolePolicy, type RowFilterRule } from './role-policy.js';
import { CAPABILITIES } from './security-context.js';

/**
 * The access file (`FAROL_ACCESS_FILE`): custom roles in YAML. See the README's Security section
 * for the format. Parsed with `yaml`, validated with zod; every problem is reported with the
 * file, the path inside it, its line and what is wrong, and loading fails on the first file
 * with any problem (a half-read policy would be a silent widening or narrowing).
 */
export class AccessFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`access file ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AccessFileError';
  }
}

const ROLE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const CUBE_DIMENSION = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

const memberPattern = z.string().regex(MEMBER_PATTERN, 'expected a member pattern such as "sales.revenue", "sales.*", "*.revenue" or "*"');

const rowRuleSchema = z
  .strictObject({
    member: z.string().regex(CUBE_DIMENSION, 'expected a cube dimension, "cube.dimension" (e.g. stores.store_key)'),
    operator: z.enum(['equals', 'notEquals']).default('equals'),
    claim: z.string().min(1).optional(),
    values: z.array(z.union([z.string().min(1), z.number()]).transform(String)).min(1).optional(),
  })
  .refine((r) => (r.claim === undefined) !== (r.values === undefined), { message: 'give exactly one of "claim" (a claim of the caller\'s token) or "values" (fixed values)' });

const roleSchema = z.strictObject({
  description: z.string().default(''),
  capabilities: z.array(z.enum(CAPABILITIES)).default([]),
  pii: z.boolean().default(false),
  members: z
    .strictObject({
      allow: z.array(memberPattern).default([]),
      deny: z.array(memberPattern).default([]),
    })
    .default({ allow: [], deny: [] }),
  rows: z.array(rowRuleSchema).default([]),
}).refine((r) => r.rows.length === 0 || !r.capabilities.includes('customers'), {
  // Row rules scope the semantic model's answers; customer 360 answers per person, not per row
  // of a view, so a row-scoped role reading it would see every store's customers.
  message: 'a role with "rows" rules may not have the "customers" capability: customer 360 is not scoped by row rules',
  path: ['capabilities'],
});

const fileSchema = z.strictObject({
  roles: z.record(z.string(), roleSchema),
});

/** Role names are checked apart from zod, whose record refinements stop at the first bad role. */
function roleNameIssues(raw: unknown): { path: PropertyKey[]; message: string }[] {
  const roles = (raw as { roles?: unknown } | null)?.roles;
  if (typeof roles !== 'object' || roles === null) return [];
  return Object.keys(roles).flatMap((name) => {
    if (name in BUILT_IN_ROLES) return [{ path: ['roles', name], message: `built-in roles (${Object.keys(BUILT_IN_ROLES).join(', ')}) cannot be redefined; pick another name` }];
    if (!ROLE_NAME.test(name)) return [{ path: ['roles', name], message: 'role names are lower case letters, digits, "_" and "-", starting with a letter' }];
    return [];
  });
}

/** Reads and validates an access file; throws `AccessFileError` listing every problem. */
export function loadAccessFile(file: string): readonly RolePolicy[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AccessFileError(file, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  return parseAccessFile(text, file);
}

/** `file` only names the source in errors. */
export function parseAccessFile(text: string, file: string): readonly RolePolicy[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new AccessFileError(
      file,
      doc.errors.map((e) => `line ${lineCounter.linePos(e.pos[0]).line}: YAML syntax: ${e.message.split('\n')[0]}`),
    );
  }
  const raw: unknown = doc.toJS();
  const parsed = fileSchema.safeParse(raw);
  const issues = [...roleNameIssues(raw), ...(parsed.success ? [] : parsed.error.issues)];
  if (!parsed.success || issues.length > 0) {
    throw new AccessFileError(
      file,
      issues.map((issue) => {
        const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
        // An unknown key is best pointed at where it is written.
        const unknown = 'code' in issue && issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
        const line = lineOf(doc, lineCounter, [...issue.path, ...unknown]);
        return `${path}${line ? ` (line ${line})` : ''}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(
    Object.entries(parsed.data.roles).map(([name, role]): RolePolicy =>
      Object.freeze({
        name,
        builtIn: false,
        description: role.description,
        capabilities: new Set(role.capabilities),
        members: Object.freeze({ allow: Object.freeze(role.members.allow), deny: Object.freeze(role.members.deny) }),
        piiVisible: role.pii,
        rowFilters: Object.freeze(
          role.rows.map((r): RowFilterRule =>
            Object.freeze({
              member: r.member,
              operator: r.operator,
              source: r.claim !== undefined ? { kind: 'claim' as const, claim: r.claim } : { kind: 'values' as const, values: Object.freeze(r.values ?? []) },
            }),
          ),
        ),
      }),
    ),
  );
}

/**
 * The line of the deepest part of `path` found in the document: for a mapping entry, the line of
 * its key (where a reader looks for `store_manager:`), else of the value.
 */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = doc.getIn(path.slice(0, n - 1) as (string | number)[], true);
    if (isMap(parent)) {
      const pair = parent.items.find((i) => isScalar(i.key) && i.key.value === path[n - 1]);
      if (pair && isScalar(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
    }
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
