/** Statement kinds of the SQL API; a closed list keeps the label's series bounded. */
export const SQL_STATEMENT_KINDS = ['select', 'catalog', 'set', 'show', 'transaction', 'other'] as const;
export type SqlStatementKind = (typeof SQL_STATEMENT_KINDS)[number];

/**
 * What the SQL API (pg wire) reports per statement, injected through its options: the
 * composition root passes `FarolMetrics`. A statement that failed is reported too, with the time
 * it took to fail.
 */
export interface SqlStatementObserver {
  sqlStatement(kind: SqlStatementKind, seconds: number): void;
}
