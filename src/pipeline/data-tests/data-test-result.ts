import { dataTestColumnLabel, dataTestId, type DataTest, type DataTestResult } from './data-test.js';

/** What evaluating a test found, before it is worded. */
export type DataTestOutcome =
  | { readonly kind: 'rows'; readonly failingCount: number; readonly sampleKeys: readonly string[] }
  | {
      readonly kind: 'freshness';
      /** The newest value (ISO-8601), null for an empty table. */
      readonly latest: string | null;
      readonly stale: boolean;
    };

/** How many sample keys a message quotes (the result carries them all). */
export const MESSAGE_SAMPLE_KEYS = 3;

export function dataTestResult(test: DataTest, outcome: DataTestOutcome): DataTestResult {
  const failingCount = outcome.kind === 'rows' ? outcome.failingCount : freshnessFails(asFreshness(test), outcome) ? 1 : 0;
  return {
    testId: dataTestId(test),
    table: test.table,
    column: dataTestColumnLabel(test),
    kind: test.kind,
    severity: test.severity,
    status: failingCount > 0 ? 'failed' : 'passed',
    failingCount,
    sampleKeys: outcome.kind === 'rows' ? outcome.sampleKeys : [],
    message: dataTestMessage(test, outcome),
  };
}

export function dataTestMessage(test: DataTest, outcome: DataTestOutcome): string {
  const subject = `${test.table}.${dataTestColumnLabel(test)}`;
  if (outcome.kind === 'freshness') return `${subject}: ${freshnessSentence(asFreshness(test), outcome)}`;
  if (outcome.failingCount === 0) return `${subject}: passed (${ruleText(test)})`;
  const eg = outcome.sampleKeys.length > 0 ? ` — e.g. ${outcome.sampleKeys.slice(0, MESSAGE_SAMPLE_KEYS).join(', ')}` : '';
  return `${subject}: ${rowCount(outcome.failingCount)} ${violationText(test)}${eg}`;
}

export function rowCount(n: number): string {
  return `${n} ${n === 1 ? 'row' : 'rows'}`;
}

/** What a failing row does, after "<n> rows". */
function violationText(test: DataTest): string {
  switch (test.kind) {
    case 'not_null':
      return 'null';
    case 'unique':
      return 'not unique';
    case 'accepted_values':
      return `not in (${test.values.map(String).join(', ')})`;
    case 'relationship':
      return `without a match in ${test.to.table}.${test.to.columns.join(',')}`;
    case 'range':
      if (test.min !== undefined && test.max !== undefined) return `outside [${test.min}, ${test.max}]`;
      return test.min !== undefined ? `below ${test.min}` : `above ${test.max}`;
    case 'document':
      return 'not a valid CPF or CNPJ';
    case 'email':
      return 'not a valid email address';
    case 'freshness':
      return `older than ${test.maxAgeHours} h`;
    default: {
      const _: never = test;
      return _;
    }
  }
}

/** The rule a passing test kept, for `passed (...)`. */
function ruleText(test: DataTest): string {
  switch (test.kind) {
    case 'not_null':
      return 'not null';
    case 'unique':
      return 'unique';
    case 'accepted_values':
      return `in (${test.values.map(String).join(', ')})`;
    case 'relationship':
      return `matched in ${test.to.table}.${test.to.columns.join(',')}`;
    case 'range':
      if (test.min !== undefined && test.max !== undefined) return `within [${test.min}, ${test.max}]`;
      return test.min !== undefined ? `≥ ${test.min}` : `≤ ${test.max}`;
    case 'document':
      return 'valid CPF or CNPJ';
    case 'email':
      return 'valid email addresses';
    case 'freshness':
      return `newer than ${test.maxAgeHours} h`;
    default: {
      const _: never = test;
      return _;
    }
  }
}

type FreshnessTest = Extract<DataTest, { kind: 'freshness' }>;
type FreshnessOutcome = Extract<DataTestOutcome, { kind: 'freshness' }>;

function asFreshness(test: DataTest): FreshnessTest {
  if (test.kind !== 'freshness') throw new Error(`a freshness outcome for ${dataTestId(test)}`);
  return test;
}

function freshnessFails(test: FreshnessTest, outcome: FreshnessOutcome): boolean {
  return outcome.latest === null ? test.whenEmpty === 'fail' : outcome.stale;
}

function freshnessSentence(test: FreshnessTest, outcome: FreshnessOutcome): string {
  const hours = test.maxAgeHours;
  if (outcome.latest === null) {
    return freshnessFails(test, outcome) ? `no rows, so nothing newer than ${hours} h` : 'no rows yet; freshness not checked';
  }
  return outcome.stale
    ? `newest value ${outcome.latest} is older than ${hours} h`
    : `newest value ${outcome.latest} is within ${hours} h`;
}
