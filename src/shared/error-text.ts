/** An error as one line of text for a run's record, a log field or a command's stderr. */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
}
