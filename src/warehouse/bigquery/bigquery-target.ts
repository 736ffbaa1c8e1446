/**
 * Where a BigQuery warehouse lives: `bigquery:<project>.<dataset>`. Parsed here, beside the
 * adapter, so config.ts and the adapter agree on one grammar and one error message.
 */
export interface BigQueryTarget {
  /** GCP project id; a domain-scoped one (`example.com:proj`) is accepted. */
  readonly projectId: string;
  /** The one dataset every Farol table lives in (see `bigquery-table-names.ts`). */
  readonly dataset: string;
}

export const BIGQUERY_TARGET_EXAMPLE = 'bigquery:my-project.farol';

/** Project ids: 6–30 lowercase letters, digits and hyphens, starting with a letter, not ending in `-`. */
const PROJECT = /^(?:[a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Dataset names: letters, digits and underscores, at most 1,024. */
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;

/** Parses the text after `bigquery:`; returns the reason when it is not a target. */
export function parseBigQueryTarget(text: string): BigQueryTarget | { readonly problem: string } {
  const dot = text.lastIndexOf('.');
  if (dot < 0) return { problem: `expected "<project>.<dataset>" after "bigquery:" (e.g. ${BIGQUERY_TARGET_EXAMPLE}), got "${text}"` };
  const projectId = text.slice(0, dot);
  const dataset = text.slice(dot + 1);
  if (!PROJECT.test(projectId)) {
    return { problem: `project "${projectId}" is not a GCP project id (6–30 lowercase letters, digits or hyphens, starting with a letter)` };
  }
  if (!DATASET.test(dataset)) {
    return { problem: `dataset "${dataset}" is not a BigQuery dataset name (letters, digits and underscores only)` };
  }
  return { projectId, dataset };
}
