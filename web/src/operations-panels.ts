/**
 * Sources with their last runs, lag and SLA, and data test results: the `operations` fields. A
 * role without the capability sees the panel say so.
 */
import { explain, graphql } from './api-client.js';
import { duration, el, table, when } from './dom.js';

interface SourceStatus {
  readonly source: string; readonly title: string; readonly state: string; readonly lastSuccessAt: string | null; readonly lagSeconds: number | null;
  readonly slaSeconds: number | null; readonly withinSla: boolean | null; readonly lastRunStatus: string | null; readonly lastError: string | null;
}
interface Run {
  readonly id: string; readonly source: string; readonly entity: string; readonly trigger: string; readonly status: string; readonly startedAt: string;
  readonly endedAt: string | null; readonly recordsIn: number | null; readonly upserted: number | null; readonly quarantined: number | null; readonly error: string | null;
}
interface DataTestResult {
  readonly table: string; readonly test: string; readonly severity: string; readonly status: string; readonly failingCount: number;
  readonly sampleKeys: readonly string[]; readonly message: string | null; readonly ranAt: string;
}

const SOURCES = '{ sources { source title state lastSuccessAt lagSeconds slaSeconds withinSla lastRunStatus lastError } }';
/** Runs listed under each source. */
const RUNS_PER_SOURCE = 3;
const RUN_FIELDS = 'id source entity trigger status startedAt endedAt recordsIn upserted quarantined error';

/**
 * The last runs of each source in one request (an alias per source), so a chatty source (the
 * order hook's hourly runs) cannot push the others' runs out of one shared list.
 */
function lastRunsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$s${i}: String`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `s${i}: runs(source: $s${i}, limit: ${RUNS_PER_SOURCE}) { ${RUN_FIELDS} }`).join('\n  ');
  return `query LastRuns(${vars}) {\n  ${fields}\n}`;
}
const DATA_TESTS = 'query DataTests($failedOnly: Boolean) { dataTests(failedOnly: $failedOnly, limit: 200) { table test severity status failingCount sampleKeys message ranAt } }';

export async function loadSources(panel: HTMLElement): Promise<void> {
  const { status, body } = parts(panel);
  let sources: SourceStatus[];
  let runs: Run[];
  try {
    sources = (await graphql<{ sources: SourceStatus[] }>(SOURCES)).sources;
    const bySource = sources.length === 0 ? {} : await graphql<Record<string, Run[]>>(lastRunsQuery(sources.length), Object.fromEntries(sources.map((x, i) => [`s${i}`, x.source])));
    runs = Object.values(bySource).flat();
  } catch (err) {
    body.replaceChildren();
    status.textContent = explain(err, 'pipeline operations');
    return;
  }
  status.textContent = `${sources.filter((s) => s.lastRunStatus === 'failed').length} source(s) whose last run failed.`;
  body.replaceChildren(
    table(
      ['source', 'state', 'last success', 'lag', 'SLA', 'last run', 'last error'],
      sources.map((s) => [
        el('span', { title: s.source }, s.title),
        s.state,
        when(s.lastSuccessAt),
        duration(s.lagSeconds),
        s.slaSeconds === null ? 'none' : s.state === 'idle' ? `${duration(s.slaSeconds)} (not running here)` : el('span', { class: s.withinSla ? 'good' : 'bad' }, `${duration(s.slaSeconds)} ${s.withinSla ? 'met' : 'missed'}`),
        el('span', { class: s.lastRunStatus === 'failed' ? 'bad' : '' }, s.lastRunStatus ?? '—'),
        errorText(s.lastError),
      ]),
    ),
    el('h3', {}, 'Last runs'),
    table(
      ['source', 'status', 'trigger', 'started', 'ended', 'in', 'upserted', 'quarantined', 'error'],
      sources.flatMap((s) =>
        runs.filter((r) => r.source === s.source).map((r) => [
          r.source, el('span', { class: r.status === 'failed' ? 'bad run-failed' : '' }, r.status), r.trigger, when(r.startedAt), when(r.endedAt),
          r.recordsIn ?? '—', r.upserted ?? '—', r.quarantined ?? '—', errorText(r.error),
        ]),
      ),
    ),
  );
}

export async function loadDataTests(panel: HTMLElement, failedOnly = true): Promise<void> {
  const { status, body } = parts(panel);
  let tests: DataTestResult[];
  try {
    tests = (await graphql<{ dataTests: DataTestResult[] }>(DATA_TESTS, { failedOnly })).dataTests;
  } catch (err) {
    body.replaceChildren();
    status.textContent = explain(err, 'data tests');
    return;
  }
  const toggle = el('input', { type: 'checkbox', id: 'data-tests-all' });
  toggle.checked = !failedOnly;
  toggle.addEventListener('change', () => void loadDataTests(panel, !toggle.checked));
  const failed = tests.filter((t) => t.status === 'failed').length;
  status.textContent = failed === 0 ? 'No data test is failing.' : `${failed} data test(s) failing.`;
  body.replaceChildren(
    el('label', {}, toggle, ' show passing tests too'),
    table(
      ['test', 'severity', 'status', 'failing rows', 'sample keys', 'message', 'ran'],
      tests.map((t) => [
        el('span', { title: t.table }, t.test), t.severity, el('span', { class: t.status === 'failed' ? 'bad' : 'good' }, t.status), t.failingCount,
        t.sampleKeys.join(', '), el('div', { class: 'error-text' }, t.message ?? ''), when(t.ranAt),
      ]),
    ),
  );
}

/** Characters of an error shown before the rest is folded away. */
const ERROR_PREVIEW = 90;

/** A long error folded behind its first characters, so one failed run does not stretch the table. */
function errorText(text: string | null): Node | string {
  if (!text) return '';
  if (text.length <= ERROR_PREVIEW) return el('div', { class: 'error-text' }, text);
  return el('details', { class: 'error-text' }, el('summary', {}, `${text.slice(0, ERROR_PREVIEW)}…`), text);
}

export function parts(panel: HTMLElement): { status: HTMLElement; body: HTMLElement } {
  const status = panel.querySelector<HTMLElement>('.panel-status');
  const body = panel.querySelector<HTMLElement>('.panel-body');
  if (!status || !body) throw new Error(`#${panel.id} lacks .panel-status or .panel-body`);
  return { status, body };
}
