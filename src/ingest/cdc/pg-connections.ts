import pg from 'pg';

/**
 * The two kinds of PostgreSQL connection CDC needs, both through `pg`: an ordinary one (the
 * publication, the slot's state, the snapshot read) and a replication one (`replication:
 * database`: CREATE_REPLICATION_SLOT and START_REPLICATION speak the walsender protocol).
 */
export interface PgConnectOptions {
  readonly url: string;
  /** Shown to the server as `application_name`, so an operator can tell Farol's sessions apart. */
  readonly applicationName: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

export async function connectPlain(opts: PgConnectOptions): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: opts.url, application_name: opts.applicationName, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await connectOrScrub(client, opts.url);
  return client;
}

export async function connectReplication(opts: PgConnectOptions): Promise<pg.Client> {
  // `replication` is a connection parameter pg passes through; its types do not list it.
  const config: pg.ClientConfig & { replication: 'database' } = {
    connectionString: opts.url, application_name: opts.applicationName, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, replication: 'database',
  };
  const client = new pg.Client(config);
  await connectOrScrub(client, opts.url);
  return client;
}

async function connectOrScrub(client: pg.Client, url: string): Promise<void> {
  // An error event without a listener would crash the process; failures surface through the calls.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw scrubSecret(err, url);
  }
}

/** The error with the URL's password (if it appears anywhere in its message) replaced by `***`. */
export function scrubSecret(err: unknown, url: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // An unparsable URL never connected; nothing of it is in the message.
  }
  if (password.length >= 3 && e.message.includes(password)) e.message = e.message.split(password).join('***');
  if (password.length >= 3 && e.stack?.includes(password)) e.stack = e.stack.split(password).join('***');
  return e;
}

export async function closeQuietly(client: pg.Client | undefined): Promise<void> {
  await client?.end().catch(() => undefined);
}
