/**
 * The KPI explorer: view, measures, dimensions, time, grain and range come from the `catalog`
 * query (only what this caller may see); a run draws the chart and the table and shows the query
 * as Cube JSON, as GraphQL and as a shareable link.
 */
import { explain, graphql } from './api-client.js';
import { Chart, chartData, type Row } from './chart.js';
import { byId, el, table } from './dom.js';
import { decodeState, encodeState, explorerStateSchema, toCubeQuery, toGraphqlText, type ExplorerState } from './explorer-query.js';

interface CatalogMember { readonly name: string; readonly title: string; readonly type: string; readonly kind: string }
interface CatalogView { readonly name: string; readonly title: string; readonly measures: readonly CatalogMember[]; readonly dimensions: readonly CatalogMember[] }

const CATALOG = '{ catalog { name title measures { name title type kind } dimensions { name title type kind } } }';
const METRICS = 'query Explore($query: MetricsQueryInput!) { metrics(query: $query) { rows dataVersion refreshedAt } }';

export class ExplorerPanel {
  #views: readonly CatalogView[] = [];
  #chart: Chart | undefined;
  readonly #status = byId('explorer-status');
  readonly #viewSelect = byId<HTMLSelectElement>('view');

  constructor() {
    this.#viewSelect.addEventListener('change', () => this.#fillMembers(undefined));
    byId<HTMLFormElement>('explorer-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run();
    });
  }

  /** Loads the catalog; then runs the query in the link, if the page was opened with one. */
  async load(): Promise<void> {
    try {
      this.#views = (await graphql<{ catalog: CatalogView[] }>(CATALOG)).catalog;
    } catch (err) {
      this.#say(explain(err, 'metrics'));
      byId('explorer-form').hidden = true;
      return;
    }
    byId('explorer-form').hidden = false;
    if (this.#views.length === 0) return this.#say('No view is visible to your role.');
    this.#viewSelect.replaceChildren(...this.#views.map((v) => el('option', { value: v.name }, v.title)));
    const linked = window.location.hash.length > 1 ? decodeState(window.location.hash) : undefined;
    if (linked && 'error' in linked) this.#say(`Ignored the shared link: ${linked.error}.`);
    const state = linked && 'state' in linked && this.#views.some((v) => v.name === linked.state.view) ? linked.state : undefined;
    if (state) this.#viewSelect.value = state.view;
    this.#fillMembers(state);
    if (state) await this.run();
  }

  /** Runs what the form says. */
  async run(): Promise<void> {
    const parsed = explorerStateSchema.safeParse(this.#formState());
    if (!parsed.success) return this.#say(parsed.error.issues[0]?.path[0] === 'measures' ? 'Pick at least one measure.' : parsed.error.issues[0]?.message ?? 'Invalid query');
    const state = parsed.data;
    const query = toCubeQuery(state);
    byId('cube-json').textContent = JSON.stringify(query, null, 2);
    byId('graphql-text').textContent = toGraphqlText(query);
    const link = `${window.location.origin}${window.location.pathname}#${encodeState(state)}`;
    const anchor = byId<HTMLAnchorElement>('share-link');
    anchor.href = link;
    anchor.textContent = link;
    window.history.replaceState(null, '', `#${encodeState(state)}`);
    this.#say('Running…');
    const gqlQuery = { ...query, ...(query.timeDimensions ? { timeDimensions: query.timeDimensions.map((t) => ({ ...t, ...(t.dateRange ? { dateRange: [t.dateRange] } : {}) })) } : {}) };
    let rows: readonly Row[];
    let version: number;
    try {
      const result = await graphql<{ metrics: { rows: Row[]; dataVersion: number } }>(METRICS, { query: gqlQuery });
      rows = result.metrics.rows;
      version = result.metrics.dataVersion;
    } catch (err) {
      this.#chart?.clear();
      byId<HTMLTableElement>('result-table').replaceChildren();
      return this.#say(explain(err, 'this query'));
    }
    const title = (m: string) => this.#member(m)?.title ?? m;
    this.#chart ??= new Chart(byId('chart'));
    this.#chart.draw(chartData(rows, state, title), state.chart);
    const columns = [...(state.timeDimension && state.grain ? [`${state.timeDimension}.${state.grain}`] : []), ...state.dimensions, ...state.measures];
    table(columns.map((c) => title(c.replace(/\.(hour|day|week|month)$/, ''))), rows.map((r) => columns.map((c) => cell(r[c]))), byId<HTMLTableElement>('result-table'));
    this.#say(`${rows.length} row${rows.length === 1 ? '' : 's'} (data version ${version}).`);
  }

  #formState(): unknown {
    const checked = (id: string) => [...byId(id).querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    const value = (id: string) => byId<HTMLSelectElement>(id).value || undefined;
    return { view: this.#viewSelect.value, measures: checked('measures'), dimensions: checked('dimensions'), timeDimension: value('time-dimension'), grain: value('grain'), range: value('range'), chart: value('chart-kind') };
  }

  #fillMembers(state: ExplorerState | undefined): void {
    const view = this.#views.find((v) => v.name === this.#viewSelect.value);
    if (!view) return;
    const boxes = (members: readonly CatalogMember[], chosen: readonly string[]) =>
      members.map((m) => el('label', {}, checkbox(m.name, chosen.includes(m.name)), ` ${m.title}`));
    const firstMeasure = view.measures[0]?.name;
    byId('measures').replaceChildren(...boxes(view.measures, state?.measures ?? (firstMeasure ? [firstMeasure] : [])));
    byId('dimensions').replaceChildren(...boxes(view.dimensions.filter((d) => d.type !== 'time'), state?.dimensions ?? []));
    const times = view.dimensions.filter((d) => d.type === 'time');
    byId<HTMLSelectElement>('time-dimension').replaceChildren(el('option', { value: '' }, 'none'), ...times.map((t) => el('option', { value: t.name }, t.title)));
    byId<HTMLSelectElement>('time-dimension').value = state ? (state.timeDimension ?? '') : (times[0]?.name ?? '');
    if (state) {
      byId<HTMLSelectElement>('grain').value = state.grain ?? '';
      byId<HTMLSelectElement>('range').value = state.range ?? '';
      byId<HTMLSelectElement>('chart-kind').value = state.chart;
    }
  }

  #member(name: string): CatalogMember | undefined {
    for (const v of this.#views) {
      const m = v.measures.find((x) => x.name === name) ?? v.dimensions.find((x) => x.name === name);
      if (m) return m;
    }
    return undefined;
  }

  #say(text: string): void {
    this.#status.textContent = text;
  }
}

function checkbox(value: string, checked: boolean): HTMLInputElement {
  const input = el('input', { type: 'checkbox', value, 'data-member': value });
  input.checked = checked;
  return input;
}

function cell(v: unknown): string | number {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Math.round(v * 100) / 100;
  if (v === null || v === undefined) return '—';
  return String(v);
}
