import { describeAlerts } from './alerts/alerts-config.js';
import { describeWarehouse, type FarolConfig } from './config.js';
import { redactPostgresUrl } from './ingest/cdc/cdc-config.js';
import type { FarolApp } from './main.js';

/** What a person needs after `npm start`: where it is, the key, and a query that works. */
export function printBanner(app: FarolApp, cfg: FarolConfig): void {
  const key = app.localApiKey?.key ?? '<one of FAROL_API_KEYS>';
  const example = JSON.stringify({
    query:
      'query { metrics(query: { measures: ["sales.revenue", "sales.orders", "sales.average_ticket"], ' +
      'timeDimensions: [{ dimension: "sales.order_date", granularity: "day", dateRange: ["last 7 days"] }] }) { rows } }',
  });
  const lines = [
    '',
    `Farol is running: GraphQL at ${app.url}/graphql`,
    `  warehouse:   ${describeWarehouse(cfg.warehouse)}`,
    `  VTEX:        ${app.sandbox ? `sandbox at ${app.sandbox.url} (set VTEX_ACCOUNT/VTEX_APP_KEY/VTEX_APP_TOKEN for a real store)` : 'live account'}`,
    `  order hook:  ${app.hookUrl}`,
    `  club:        ${cfg.cdc ? `${redactPostgresUrl(cfg.cdc.url)} (logical replication, slot ${cfg.cdc.slot})` : 'not configured (set CDC_DATABASE_URL to read the club registry)'}`,
    `  page:        open ${app.url}/ in a browser and sign in with the API key (charts, sources, data tests, alerts)`,
    `  alerts:      ${describeAlerts(cfg.alerts)}`,
    `  GraphiQL:    open ${app.url}/graphql in a browser and paste the API key`,
    `  SQL API:     ${app.sqlApi ? `psql "host=127.0.0.1 port=${app.sqlApi.port} user=bi dbname=farol" (password: the API key), for Power BI and Looker` : 'off (FAROL_SQL_PORT=off)'}`,
    `  API key:     ${key}${app.localApiKey ? '  (generated; set FAROL_API_KEYS to manage keys)' : ''}`,
    '',
    'Try:',
    `  curl -s ${app.url}/graphql -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
    `    -d '${example}'`,
    ...(app.sqlApi ? [`  PGPASSWORD='${key}' psql "host=127.0.0.1 port=${app.sqlApi.port} user=bi dbname=farol" -c "SELECT channel, MEASURE(revenue) FROM sales GROUP BY 1"`] : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
