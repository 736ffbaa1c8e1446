import fs from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { rulesFileSchema, type AlertRules } from './alert-rules.js';

/** Largest rules file read; a rules file is hand-written, so anything bigger is a mistake. */
export const MAX_RULES_FILE_BYTES = 1024 * 1024;

export class AlertRulesError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`alert rules ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AlertRulesError';
  }
}

export function loadRulesFile(file: string): AlertRules {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_RULES_FILE_BYTES) throw new AlertRulesError(file, [`the file has ${size} bytes; at most ${MAX_RULES_FILE_BYTES} are read`]);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AlertRulesError) throw err;
    throw new AlertRulesError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  return parseRules(text, file);
}

/** YAML text → rules. Every problem names the rule (by name when it has one) and the field. */
export function parseRules(text: string, file = '<rules>'): AlertRules {
  // Aliases are refused outright: a billion-laughs document must not expand.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new AlertRulesError(file, doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    throw new AlertRulesError(file, [`YAML: ${(err as Error).message}`]);
  }
  const parsed = rulesFileSchema.safeParse(data);
  if (!parsed.success) throw new AlertRulesError(file, parsed.error.issues.map((i) => describeIssue(i, data)));
  const names = new Set<string>();
  const problems: string[] = [];
  for (const r of parsed.data.rules) {
    if (names.has(r.name)) problems.push(`rules: the name "${r.name}" is used twice; rule names are the key alerts are kept by`);
    names.add(r.name);
  }
  if (problems.length > 0) throw new AlertRulesError(file, problems);
  return { routes: parsed.data.routes ?? {}, rules: parsed.data.rules };
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const [top, index, ...rest] = issue.path;
  if (top === 'rules' && typeof index === 'number') {
    const raw = (data as { rules?: unknown[] }).rules?.[index] as { name?: unknown } | undefined;
    const who = typeof raw?.name === 'string' ? `rule "${raw.name.slice(0, 80)}"` : `rules[${index}]`;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = rest.length > 0 ? rest.join('.') : keys.length > 0 ? keys.join(', ') : 'kind';
    return `${who}, field ${field}: ${issue.message}`;
  }
  return `${issue.path.join('.') || 'file'}: ${issue.message}`;
}
