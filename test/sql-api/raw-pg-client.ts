import net from 'node:net';
import { serialize } from 'pg-protocol';

/** One backend message as sent: its type byte and body. */
export interface RawMessage {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * A minimal frontend over a plain socket, for what node-postgres cannot show: binary result
 * bytes (its parser decodes every DataRow field as UTF-8) and exact message sequences.
 */
export class RawPgClient {
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  readonly messages: RawMessage[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 5) {
        const len = this.#buffer.readUInt32BE(1);
        if (this.#buffer.length < len + 1) break;
        this.messages.push({ type: String.fromCharCode(this.#buffer[0] as number), body: this.#buffer.subarray(5, len + 1) });
        this.#buffer = this.#buffer.subarray(len + 1);
      }
      this.#waiters.splice(0).forEach((w) => w());
    });
  }

  static async connect(port: number, password: string): Promise<RawPgClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const client = new RawPgClient(socket);
    socket.write(serialize.startup({ user: 'raw', database: 'farol' }));
    await client.until('R');
    socket.write(serialize.password(password));
    await client.until('Z');
    client.messages.length = 0;
    return client;
  }

  send(...buffers: Buffer[]): void {
    this.socket.write(Buffer.concat(buffers));
  }

  /** Waits for a message of `type` and returns every message received up to and including it. */
  async until(type: string): Promise<RawMessage[]> {
    for (;;) {
      const i = this.messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.messages.splice(0, i + 1);
      await new Promise<void>((r) => this.#waiters.push(r));
    }
  }

  close(): void {
    this.socket.end(serialize.end());
  }
}

/** The fields of a DataRow body, raw bytes (null for NULL). */
export function dataRowFields(body: Buffer): (Buffer | null)[] {
  const n = body.readInt16BE(0);
  const out: (Buffer | null)[] = [];
  let o = 2;
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(o);
    o += 4;
    if (len === -1) out.push(null);
    else {
      out.push(body.subarray(o, o + len));
      o += len;
    }
  }
  return out;
}
