import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { AuthError, type SecurityContext } from '../auth/index.js';
import * as be from './backend-messages.js';
import { encodeResultValue, paramText } from './bind-values.js';
import type { CancelKeys } from './cancel-keys.js';
import type { SqlTableSpec } from './catalog-responder.js';
import { toSqlError } from './error-mapping.js';
import { decodeFrontendMessage, MAX_BIND_PARAMS, protocolError, type FrontendMessage } from './frontend-messages.js';
import { parameterCount, Portal, type PreparedStatement } from './portal.js';
import { canceled } from './semantic-rows.js';
import { SqlError, SQLSTATE } from './sql-error.js';
import { nodeKind, parseStatements, type ParsedStatement } from './sql-parser.js';
import type { ResultField, SessionScope, StatementExecutor, StatementRun } from './statement-executor.js';

/** Bytes in one frontend message; a Bind of 1,000 filter values fits many times over. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Prepared statements one session may hold. */
export const MAX_PREPARED_STATEMENTS = 1_000;
/** Output is written in chunks of about this size, each waiting for the socket to drain. */
const WRITE_CHUNK_BYTES = 64 * 1024;
/** Decoded messages waiting to be handled before the socket stops reading. */
const QUEUE_HIGH_WATER = 256;

export interface SqlSessionDeps {
  readonly executor: StatementExecutor;
  /** The password as a bearer credential (API key or JWT), through src/auth. */
  authenticate(password: string): Promise<SecurityContext>;
  /** The SQL tables the caller's role sees (`sqlTablesFor(await metrics.catalog(ctx))`). */
  tablesFor(ctx: SecurityContext): Promise<readonly SqlTableSpec[]>;
  readonly cancelKeys: CancelKeys;
  /** ParameterStatus values sent after authentication. */
  readonly serverParameters: Readonly<Record<string, string>>;
  readonly logger: Logger;
}

type TxStatus = 'I' | 'T' | 'E';

/**
 * One client connection after its start-up message: cleartext password authentication, then the
 * simple and extended query protocols. Messages are handled one at a time in arrival order;
 * every error is answered with ErrorResponse and the session goes on (in the extended protocol,
 * messages up to the next Sync are skipped, as PostgreSQL does).
 */
export class SqlSession {
  #phase: 'auth' | 'ready' | 'closed' = 'auth';
  #buffer: Buffer = Buffer.alloc(0);
  readonly #queue: FrontendMessage[] = [];
  #draining = false;
  #out: Buffer[] = [];
  #outBytes = 0;
  #scope: SessionScope | undefined;
  #key: { processId: number; secretKey: number } | undefined;
  #tx: TxStatus = 'I';
  #skipToSync = false;
  #current: AbortController | undefined;
  readonly #statements = new Map<string, PreparedStatement>();
  readonly #portals = new Map<string, Portal>();
  readonly #settings = new Map<string, string>();

  constructor(
    private readonly socket: Socket,
    private readonly startup: Readonly<Record<string, string>>,
    private readonly deps: SqlSessionDeps,
    private readonly hooks: { readonly onReady: () => void; readonly onClose: () => void },
  ) {}

  get user(): string {
    return this.startup.user ?? '';
  }

  /** Asks for the password; the caller has checked the transport may carry one. */
  start(): void {
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('close', () => void this.closed());
    this.socket.on('error', () => this.socket.destroy());
    this.send(be.authenticationCleartextPassword());
    void this.flush().catch(() => this.socket.destroy());
  }

  /** A CancelRequest for this session: the running statement stops with 57014. */
  cancel(): void {
    this.#current?.abort();
  }

  /** Service shutdown: tells the client why, then closes. */
  terminate(): void {
    this.#current?.abort();
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.writeNow(be.errorResponse({ severity: 'FATAL', code: SQLSTATE.adminShutdown, message: 'terminating connection due to administrator command' }));
    this.socket.end();
  }

  /** Refuses the connection before authentication (e.g. cleartext over an untrusted network). */
  refuse(code: string, message: string, hint?: string): void {
    this.#phase = 'closed';
    this.writeNow(be.errorResponse({ severity: 'FATAL', code, message, hint }));
    this.socket.end();
  }

  private onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 5) {
      const length = this.#buffer.readUInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE_BYTES) {
        this.refuse(length < 4 ? SQLSTATE.protocolViolation : SQLSTATE.programLimitExceeded, length < 4 ? 'invalid message length' : `message of ${length} bytes is larger than the ${MAX_MESSAGE_BYTES} Farol's SQL API accepts`);
        this.socket.destroySoon();
        return;
      }
      if (this.#buffer.length < length + 1) break;
      const code = this.#buffer[0] as number;
      const body = this.#buffer.subarray(5, length + 1);
      this.#buffer = this.#buffer.subarray(length + 1);
      try {
        this.#queue.push(decodeFrontendMessage(code, Buffer.from(body)));
      } catch (err) {
        this.#queue.push({ type: 'unsupported', code: err instanceof Error ? err.message : 'malformed' });
      }
    }
    if (this.#queue.length > QUEUE_HIGH_WATER) this.socket.pause();
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#queue.length > 0 && this.#phase !== 'closed') {
        const msg = this.#queue.shift() as FrontendMessage;
        await this.handle(msg);
        if (this.#queue.length < QUEUE_HIGH_WATER / 2 && this.socket.isPaused()) this.socket.resume();
      }
      await this.flush();
    } catch (err) {
      this.deps.logger.error({ err }, 'SQL API session failed');
      this.socket.destroy();
    } finally {
      this.#draining = false;
    }
  }

  private async handle(msg: FrontendMessage): Promise<void> {
    if (msg.type === 'terminate') {
      this.#phase = 'closed';
      this.socket.end();
      return;
    }
    if (this.#phase === 'auth') return this.authenticate(msg);
    if (this.#skipToSync && msg.type !== 'sync') return;
    try {
      switch (msg.type) {
        case 'query':
          return await this.simpleQuery(msg.sql);
        case 'parse':
          return this.parse(msg);
        case 'bind':
          return this.bind(msg);
        case 'describe':
          return await this.describe(msg);
        case 'execute':
          return await this.execute(msg);
        case 'close':
          return await this.close(msg);
        case 'sync':
          return await this.sync();
        case 'flush':
          return await this.flush();
        case 'password':
          throw protocolError('unexpected password message');
        case 'unsupported':
          throw protocolError(msg.code.length === 1 ? `unsupported frontend message type "${msg.code}"` : msg.code);
      }
    } catch (err) {
      this.sendError(err);
      this.#skipToSync = true;
    }
  }

  private async authenticate(msg: FrontendMessage): Promise<void> {
    if (msg.type !== 'password') {
      this.refuse(SQLSTATE.protocolViolation, 'expected a password message');
      return;
    }
    let ctx: SecurityContext;
    try {
      if (msg.password === '') throw new AuthError('UNAUTHENTICATED', 'empty password');
      ctx = await this.deps.authenticate(msg.password);
      if (!ctx.capabilities.has('metrics')) throw new AuthError('FORBIDDEN', `Role "${ctx.role}" may not query metrics`);
    } catch (err) {
      if (err instanceof AuthError && err.code === 'FORBIDDEN') return this.refuse(SQLSTATE.invalidAuthorization, err.message);
      if (!(err instanceof AuthError)) this.deps.logger.error({ err }, 'SQL API authentication failed unexpectedly');
      // The reason (expired, unknown key) stays out of the answer, as PostgreSQL does.
      return this.refuse(SQLSTATE.invalidPassword, `password authentication failed for user "${this.user}"`);
    }
    const tables = await this.deps.tablesFor(ctx);
    this.#scope = {
      ctx,
      tables,
      visible: new Set(tables.map((t) => t.name)),
      state: { settings: this.#settings, user: this.user, database: this.startup.database ?? this.user },
    };
    for (const [name, value] of Object.entries(this.deps.serverParameters)) this.#settings.set(name.toLowerCase(), value);
    if (this.startup.application_name) this.#settings.set('application_name', this.startup.application_name);
    this.#key = this.deps.cancelKeys.register(this);
    this.#phase = 'ready';
    this.send(be.authenticationOk());
    for (const [name, value] of Object.entries(this.deps.serverParameters)) this.send(be.parameterStatus(name, value));
    this.send(be.backendKeyData(this.#key.processId, this.#key.secretKey));
    this.send(be.readyForQuery('I'));
    this.hooks.onReady();
    this.deps.logger.info({ subject: ctx.subject, role: ctx.role, user: this.user }, 'SQL API session opened');
  }

  private async simpleQuery(sql: string): Promise<void> {
    // A simple Query is never skipped after an extended-protocol error: it is its own cycle.
    this.#skipToSync = false;
    try {
      const statements = parseStatements(sql);
      if (statements.length === 0) this.send(be.emptyQueryResponse());
      for (const stmt of statements) {
        this.checkTransaction(stmt);
        const run = await this.startRun(stmt, [], 0);
        if (run.fields.length > 0) this.send(be.rowDescription(run.fields.map((f) => ({ ...f, format: 0 }))));
        let count = 0;
        const signal = this.#current?.signal;
        for await (const row of run.rows) {
          if (signal?.aborted) throw canceled();
          this.send(be.dataRow(row.map((v) => (v === null ? null : Buffer.from(v, 'utf8')))));
          count++;
          if (this.#outBytes >= WRITE_CHUNK_BYTES) await this.flush();
        }
        this.send(be.commandComplete(run.command(count)));
        this.afterStatement(stmt);
      }
    } catch (err) {
      this.sendError(err);
    } finally {
      this.#current = undefined;
    }
    this.send(be.readyForQuery(this.#tx));
    await this.flush();
  }

  private parse(msg: Extract<FrontendMessage, { type: 'parse' }>): void {
    if (msg.name !== '' && this.#statements.has(msg.name)) throw new SqlError(SQLSTATE.duplicatePreparedStatement, `prepared statement "${msg.name}" already exists`);
    if (this.#statements.size >= MAX_PREPARED_STATEMENTS && !this.#statements.has(msg.name)) {
      throw new SqlError(SQLSTATE.programLimitExceeded, `This session holds ${MAX_PREPARED_STATEMENTS} prepared statements, the most Farol's SQL API keeps; close some (DEALLOCATE or Close)`);
    }
    const statements = parseStatements(msg.sql);
    if (statements.length > 1) throw new SqlError(SQLSTATE.syntaxError, 'cannot insert multiple commands into a prepared statement');
    const statement = statements[0];
    const paramTypes = msg.paramTypes;
    const count = parameterCount(statement, paramTypes.length);
    if (count > MAX_BIND_PARAMS) throw new SqlError(SQLSTATE.programLimitExceeded, `too many parameters (${count})`);
    this.#statements.set(msg.name, { sql: msg.sql, statement, paramTypes: Array.from({ length: count }, (_, i) => paramTypes[i] ?? 0) });
    this.send(be.parseComplete());
  }

  private bind(msg: Extract<FrontendMessage, { type: 'bind' }>): void {
    const prepared = this.#statements.get(msg.statement);
    if (!prepared) throw new SqlError(SQLSTATE.invalidPreparedStatement, `prepared statement "${msg.statement}" does not exist`);
    if (msg.portal !== '' && this.#portals.has(msg.portal)) throw new SqlError('42P03', `cursor "${msg.portal}" already exists`);
    const required = prepared.paramTypes.length;
    if (msg.params.length !== required) {
      throw protocolError(`bind message supplies ${msg.params.length} parameters, but prepared statement "${msg.statement}" requires ${required}`);
    }
    const formats = msg.paramFormats;
    if (formats.length > 1 && formats.length !== msg.params.length) throw protocolError(`bind message has ${formats.length} parameter formats but ${msg.params.length} parameters`);
    if ([...formats, ...msg.resultFormats].some((f) => f !== 0 && f !== 1)) throw protocolError('format codes must be 0 (text) or 1 (binary)');
    const params = msg.params.map((v, i) => paramText(v, formats.length === 0 ? 0 : (formats.length === 1 ? formats[0] : formats[i]) ?? 0, prepared.paramTypes[i] ?? 0, i));
    void this.#portals.get(msg.portal)?.close();
    this.#portals.set(msg.portal, new Portal(prepared, params, msg.resultFormats));
    this.send(be.bindComplete());
  }

  private async describe(msg: Extract<FrontendMessage, { type: 'describe' }>): Promise<void> {
    if (msg.target === 'S') {
      const prepared = this.#statements.get(msg.name);
      if (!prepared) throw new SqlError(SQLSTATE.invalidPreparedStatement, `prepared statement "${msg.name}" does not exist`);
      this.send(be.parameterDescription(prepared.paramTypes.map((t) => t || 25)));
      const fields = prepared.statement ? (await this.startRun(prepared.statement, undefined, prepared.paramTypes.length)).fields : [];
      this.#current = undefined;
      this.send(fields.length > 0 ? be.rowDescription(fields.map((f) => ({ ...f, format: 0 }))) : be.noData());
      return;
    }
    const portal = this.portal(msg.name);
    const fields = await this.portalFields(portal);
    this.send(fields.length > 0 ? be.rowDescription(fields.map((f, i) => ({ ...f, format: portal.formatOf(i) }))) : be.noData());
  }

  private async execute(msg: Extract<FrontendMessage, { type: 'execute' }>): Promise<void> {
    const portal = this.portal(msg.portal);
    const stmt = portal.prepared.statement;
    if (!stmt) {
      this.send(be.emptyQueryResponse());
      return;
    }
    if (!portal.run) this.checkTransaction(stmt);
    const fields = await this.portalFields(portal);
    if (portal.resultFormats.length > 1 && portal.resultFormats.length !== fields.length) {
      throw protocolError(`bind message has ${portal.resultFormats.length} result formats but query has ${fields.length} columns`);
    }
    const run = portal.run as StatementRun;
    const controller = new AbortController();
    this.#current = controller;
    try {
      let count = 0;
      const max = msg.maxRows > 0 ? msg.maxRows : Infinity;
      while (!portal.done && count < max) {
        if (controller.signal.aborted) throw canceled();
        const row = await portal.next();
        if (!row) {
          portal.done = true;
          break;
        }
        this.send(be.dataRow(row.map((v, i) => encodeResultValue(v, portal.formatOf(i), (fields[i] as ResultField).typeOid))));
        count++;
        if (this.#outBytes >= WRITE_CHUNK_BYTES) await this.flush();
      }
      if (!portal.done) {
        portal.pending = await portal.next();
        if (portal.pending === undefined) portal.done = true;
      }
      if (!portal.done) {
        this.send(be.portalSuspended());
        return;
      }
      this.send(be.commandComplete(run.command(count)));
      this.afterStatement(stmt);
    } catch (err) {
      await portal.close();
      throw err;
    } finally {
      this.#current = undefined;
    }
  }

  private async close(msg: Extract<FrontendMessage, { type: 'close' }>): Promise<void> {
    if (msg.target === 'S') this.#statements.delete(msg.name);
    else {
      await this.#portals.get(msg.name)?.close();
      this.#portals.delete(msg.name);
    }
    this.send(be.closeComplete());
  }

  private async sync(): Promise<void> {
    this.#skipToSync = false;
    // Sync ends the implicit transaction, and with it every portal unless a block is open.
    if (this.#tx === 'I') {
      await Promise.all([...this.#portals.values()].map((p) => p.close()));
      this.#portals.clear();
    }
    this.send(be.readyForQuery(this.#tx));
    await this.flush();
  }

  private portal(name: string): Portal {
    const portal = this.#portals.get(name);
    if (!portal) throw new SqlError(SQLSTATE.invalidCursorName, `portal "${name}" does not exist`);
    return portal;
  }

  /** A portal's columns, starting its run if it has none yet (the bound values are known). */
  private async portalFields(portal: Portal): Promise<readonly ResultField[]> {
    const stmt = portal.prepared.statement;
    if (!stmt) return [];
    portal.run ??= await this.startRun(stmt, portal.params, portal.params.length);
    return portal.run.fields;
  }

  private async startRun(stmt: ParsedStatement, params: readonly (string | null)[] | undefined, paramCount: number): Promise<StatementRun> {
    const scope = this.#scope as SessionScope;
    const controller = new AbortController();
    this.#current = controller;
    return this.deps.executor.start(stmt, params, paramCount, scope, controller.signal);
  }

  /** In a failed transaction block only COMMIT/ROLLBACK run (25P02), as in PostgreSQL. */
  private checkTransaction(stmt: ParsedStatement): void {
    if (this.#tx !== 'E') return;
    const kind = transactionKind(stmt);
    if (kind === 'end') return;
    throw new SqlError(SQLSTATE.inFailedTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
  }

  private afterStatement(stmt: ParsedStatement): void {
    const kind = transactionKind(stmt);
    if (kind === 'begin') this.#tx = 'T';
    else if (kind === 'end') this.#tx = 'I';
  }

  private sendError(err: unknown): void {
    const { error, internal } = toSqlError(err);
    if (internal) this.deps.logger.error({ err, subject: this.#scope?.ctx.subject }, 'SQL API statement failed');
    if (this.#tx === 'T') this.#tx = 'E';
    this.send(be.errorResponse({ severity: 'ERROR', code: error.code, message: error.message, hint: error.hint, position: error.position }));
  }

  private send(message: Buffer): void {
    this.#out.push(message);
    this.#outBytes += message.length;
  }

  private writeNow(message: Buffer): void {
    if (this.socket.writable) this.socket.write(Buffer.concat([...this.#out, message]));
    this.#out = [];
    this.#outBytes = 0;
  }

  /** Writes what is buffered and waits until the socket takes more: the client's pace sets ours. */
  private async flush(): Promise<void> {
    if (this.#out.length === 0) return;
    const chunk = this.#out.length === 1 ? (this.#out[0] as Buffer) : Buffer.concat(this.#out);
    this.#out = [];
    this.#outBytes = 0;
    if (!this.socket.writable) throw canceled();
    if (this.socket.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private async closed(): Promise<void> {
    this.#phase = 'closed';
    this.#current?.abort();
    if (this.#key) this.deps.cancelKeys.unregister(this.#key.processId);
    await Promise.all([...this.#portals.values()].map((p) => p.close()));
    this.#portals.clear();
    this.hooks.onClose();
  }
}

function transactionKind(stmt: ParsedStatement): 'begin' | 'end' | undefined {
  if (nodeKind(stmt.node) !== 'TransactionStmt') return undefined;
  const kind = (stmt.node as { TransactionStmt: { kind?: string } }).TransactionStmt.kind;
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return 'begin';
  if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') return 'end';
  return undefined;
}
