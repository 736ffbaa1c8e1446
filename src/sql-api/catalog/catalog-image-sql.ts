/**
 * The statements that turn a fresh PGlite cluster into the catalog image, run once as the
 * bootstrap superuser, then dumped and reused for every restart.
 */

/** The role client statements run as: not a superuser, owns nothing, may read the role's tables. */
export const CLIENT_ROLE = 'farol';
/** The schema of the helpers below; dropped inside every call before client SQL runs. */
export const HELPER_SCHEMA = 'farol_catalog';
/** Each distinct set of visible tables has a schema `<prefix><fingerprint>`. */
export const ROLE_SCHEMA_PREFIX = 'farol_tables_';

/**
 * Functions a client statement may not call, revoked from PUBLIC. Besides what PostgreSQL already
 * keeps for superusers: sleeping (PGlite runs one statement at a time, so a sleep stalls every
 * session), session-level advisory locks (they outlive the rolled-back transaction), large
 * objects, file access, signalling, and `set_config` (the responder answers
 * `SELECT set_config(...)` from the session's own settings; anywhere else it could escape them).
 */
const REVOKED_FUNCTIONS =
  '^(pg_sleep|pg_advisory|pg_try_advisory|lo_|pg_terminate_backend|pg_cancel_backend|pg_notify|pg_read_|pg_ls_|pg_stat_file|' +
  'pg_reload_conf|pg_rotate_logfile|set_config|pg_logical_emit_message|pg_replication_origin|pg_create_|pg_drop_replication_slot|' +
  'pg_copy_|pg_log_backend|pg_stat_reset|pg_switch_wal|pg_promote|pg_import_system_collations|loread|lowrite|pg_export_snapshot)';

export interface SetupStatement {
  readonly sql: string;
  readonly params?: readonly string[];
}

export const imageSetup = (database: string): readonly SetupStatement[] => [
  // Clients see the configured database name in pg_database and current_database(). Renaming the
  // row is the only way: the open database cannot be renamed and single-user PGlite opens one.
  { sql: `UPDATE pg_catalog.pg_database SET datname = $1 WHERE datname = 'postgres'`, params: [database] },
  { sql: `CREATE ROLE ${CLIENT_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE` },
  {
    sql: `DO $$ DECLARE f regprocedure; BEGIN
      FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
               JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'pg_catalog' AND p.proname ~ '${REVOKED_FUNCTIONS}' LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
      END LOOP; END $$`,
  },
  { sql: `CREATE SCHEMA ${HELPER_SCHEMA}` },
  { sql: `REVOKE ALL ON SCHEMA ${HELPER_SCHEMA} FROM PUBLIC` },
  {
    // A role's tables live in their own schema, created once (committed) so their OIDs stay the
    // same from call to call: psql's \d looks a table up by name, then asks for its columns by
    // OID in the next statement. %I and %L quote every name and description, which arrive as one
    // JSON parameter; the column type comes from a closed list.
    sql: `CREATE FUNCTION ${HELPER_SCHEMA}.ensure_tables(spec jsonb, target name) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE t jsonb; c jsonb; cols text;
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = target) THEN RETURN; END IF;
        EXECUTE format('CREATE SCHEMA %I', target);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${CLIENT_ROLE}', target);
        FOR t IN SELECT value FROM jsonb_array_elements(spec) LOOP
          SELECT string_agg(format('%I %s', col->>'name',
                   CASE col->>'type'
                     WHEN 'text' THEN 'text' WHEN 'numeric' THEN 'numeric' WHEN 'int8' THEN 'bigint'
                     WHEN 'float8' THEN 'double precision' WHEN 'bool' THEN 'boolean' WHEN 'date' THEN 'date'
                     WHEN 'timestamp' THEN 'timestamp without time zone' WHEN 'timestamptz' THEN 'timestamp with time zone'
                   END), ', ' ORDER BY ord)
            INTO cols FROM jsonb_array_elements(t->'columns') WITH ORDINALITY AS x(col, ord);
          EXECUTE format('CREATE TABLE %I.%I (%s)', target, t->>'name', coalesce(cols, ''));
          EXECUTE format('GRANT SELECT ON %I.%I TO ${CLIENT_ROLE}', target, t->>'name');
          IF t ? 'description' THEN
            EXECUTE format('COMMENT ON TABLE %I.%I IS %L', target, t->>'name', t->>'description');
          END IF;
          FOR c IN SELECT value FROM jsonb_array_elements(t->'columns') LOOP
            IF c ? 'description' THEN
              EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', target, t->>'name', c->>'name', c->>'description');
            END IF;
          END LOOP;
        END LOOP;
      END $fn$`,
  },
  {
    // Inside a call (rolled back afterwards): every other role's schema disappears and this
    // role's becomes "public", so pg_class, pg_attribute, pg_namespace and information_schema
    // show exactly its tables, under the schema name clients expect.
    sql: `CREATE FUNCTION ${HELPER_SCHEMA}.show_only(target name) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE s name;
      BEGIN
        DROP SCHEMA public CASCADE;
        FOR s IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE '${ROLE_SCHEMA_PREFIX}%' AND nspname <> target LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s);
        END LOOP;
        EXECUTE format('ALTER SCHEMA %I RENAME TO public', target);
      END $fn$`,
  },
  {
    // version() is built into the server and cannot be replaced; the responder rewrites calls to
    // it into pg_temp.version(), which this defines for one call (its column is still "version").
    sql: `CREATE FUNCTION ${HELPER_SCHEMA}.define_version(v text) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('CREATE FUNCTION pg_temp.version() RETURNS text LANGUAGE sql STABLE AS %L', 'SELECT ' || quote_literal(v));
      END $fn$`,
  },
];
