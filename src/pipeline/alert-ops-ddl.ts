/**
 * The alerts' own state in ops (src/alerts owns the rows; the DDL lives with the other ops tables
 * so migrations need not depend on a face): every alert (open or resolved), each notification to each
 * channel with its exact payload (so one that failed is retried after a restart, never rebuilt
 * or lost), and silences. Released DDL is never edited; a change is a new migration.
 */
export const ALERTS_DDL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.alerts (
  alert_id         VARCHAR PRIMARY KEY,
  rule             VARCHAR NOT NULL,
  kind             VARCHAR NOT NULL,     -- anomaly | threshold | freshness | pipeline_failure | data_quality
  severity         VARCHAR NOT NULL,     -- critical | warning | info
  series           VARCHAR,              -- a channel, a source, a test; NULL for a rule with one series
  state            VARCHAR NOT NULL,     -- FIRING | RESOLVED
  title            VARCHAR NOT NULL,
  summary          VARCHAR NOT NULL,
  value            DOUBLE,
  expected_low     DOUBLE,
  expected_high    DOUBLE,
  period           VARCHAR,              -- local ISO start of the period judged (KPI rules)
  link             VARCHAR,
  fired_at         TIMESTAMPTZ NOT NULL,
  resolved_at      TIMESTAMPTZ,
  acknowledged_at  TIMESTAMPTZ,
  acknowledged_by  VARCHAR,             -- the caller's subject (key fingerprint or iss#sub)
  notified         BOOLEAN NOT NULL,     -- false: silenced, in cooldown, or no channel
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.alert_deliveries (
  delivery_id      VARCHAR PRIMARY KEY,
  alert_id         VARCHAR NOT NULL,
  event            VARCHAR NOT NULL,     -- firing | resolved
  channel          VARCHAR NOT NULL,     -- slack | teams
  payload          VARCHAR NOT NULL,     -- the JSON body, built once when the event happened
  status           VARCHAR NOT NULL,     -- pending | sent | failed (refused for good, e.g. 400/404)
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  last_error       VARCHAR,
  created_at       TIMESTAMPTZ NOT NULL,
  sent_at          TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS ops.alert_silences (
  silence_id       VARCHAR PRIMARY KEY,
  rule             VARCHAR NOT NULL,
  series           VARCHAR,              -- NULL: every series of the rule
  until            TIMESTAMPTZ NOT NULL,
  reason           VARCHAR,
  created_by       VARCHAR NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL
);
`;
