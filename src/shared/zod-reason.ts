import type { z } from 'zod';

/** A quarantine reason a person can act on: every failing field path with its message. */
export function zodReason(error: z.ZodError, maxIssues = 5): string {
  const parts = error.issues.slice(0, maxIssues).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > maxIssues ? `; and ${error.issues.length - maxIssues} more` : '';
  return parts.join('; ') + more;
}
