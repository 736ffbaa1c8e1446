import type { ParsedStatement } from './sql-parser.js';
import type { StatementRun } from './statement-executor.js';

/** A prepared statement of the extended protocol: one parsed statement (none for an empty string). */
export interface PreparedStatement {
  readonly sql: string;
  readonly statement: ParsedStatement | undefined;
  /** Types the client declared in Parse (0: unspecified), one per parameter the statement uses. */
  readonly paramTypes: readonly number[];
}

/**
 * A bound statement: its parameters and the result formats the client asked for, and once
 * executed, the rows still to send. Execute with a row limit reads up to that many and leaves
 * the rest for the next Execute (PortalSuspended).
 */
export class Portal {
  run: StatementRun | undefined;
  done = false;
  #iterator: AsyncIterator<readonly (string | null)[]> | undefined;

  constructor(
    readonly prepared: PreparedStatement,
    readonly params: readonly (string | null)[],
    readonly resultFormats: readonly number[],
  ) {}

  /** The format of column `i`: one code for all, one per column, or text when none were sent. */
  formatOf(i: number): number {
    if (this.resultFormats.length === 0) return 0;
    if (this.resultFormats.length === 1) return this.resultFormats[0] as number;
    return this.resultFormats[i] ?? 0;
  }

  /** A row read ahead to learn whether the portal is exhausted; sent first by the next Execute. */
  pending: readonly (string | null)[] | undefined;

  async next(): Promise<readonly (string | null)[] | undefined> {
    if (this.pending) {
      const row = this.pending;
      this.pending = undefined;
      return row;
    }
    if (!this.run) return undefined;
    this.#iterator ??= this.run.rows[Symbol.asyncIterator]();
    const step = await this.#iterator.next();
    return step.done ? undefined : step.value;
  }

  /** Stops the row source (a closed portal or connection frees its engine pages). */
  async close(): Promise<void> {
    this.done = true;
    await this.#iterator?.return?.(undefined).catch(() => undefined);
  }
}

/** How many parameters a statement uses: the highest `$n` in it, or what Parse declared. */
export function parameterCount(statement: ParsedStatement | undefined, declared: number): number {
  let max = declared;
  const stack: unknown[] = statement ? [statement.node] : [];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'ParamRef') max = Math.max(max, (child as { number?: number }).number ?? 0);
        stack.push(child);
      }
    }
  }
  return max;
}
