import Fastify from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { GracefulHttpClose } from '../../src/graceful-http-close.js';

/** What each client saw: answers (with their Connection header) and errors by code. */
interface Tally {
  ok: number;
  closingAnswers: number;
  errors: Map<string, number>;
}

const errorCode = (err: unknown): string => {
  const e = err as { code?: string; cause?: { code?: string } };
  return String(e.cause?.code ?? e.code ?? (err as Error).name);
};

describe('stopping the HTTP server under keep-alive load', () => {
  it('answers every request it accepted and resets none: busy clients get answers, then refused connections', async () => {
    const app = Fastify();
    const graceful = new GracefulHttpClose(app, { drainMs: 5_000 });
    graceful.attach();
    app.get('/work', async () => {
      await sleep(5);
      return { ok: true };
    });
    app.get('/long', async () => {
      await sleep(400);
      return { long: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
    const tally: Tally = { ok: 0, closingAnswers: 0, errors: new Map() };
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/work`, { dispatcher });
          await r.text();
          tally.ok++;
          if (r.headers.get('connection') === 'close') tally.closingAnswers++;
        } catch (err) {
          const code = errorCode(err);
          tally.errors.set(code, (tally.errors.get(code) ?? 0) + 1);
          await sleep(10);
        }
      }
    };
    const clients = Array.from({ length: 24 }, client);
    await sleep(300);
    const okBeforeClose = tally.ok;
    const long = fetch(`http://127.0.0.1:${port}/long`, { dispatcher }).then((r) => r.json());
    await sleep(50);
    await graceful.close();
    // A request running when the stop began was answered before close returned.
    await expect(long).resolves.toEqual({ long: true });
    await sleep(200);
    stop = true;
    await Promise.all(clients);
    await dispatcher.close();

    expect(okBeforeClose).toBeGreaterThan(0);
    expect(tally.closingAnswers).toBeGreaterThan(0);
    // Only refused connections after the port closed; no request cut in half.
    expect([...tally.errors.keys()].filter((code) => code !== 'ECONNREFUSED')).toEqual([]);
    expect(tally.errors.get('ECONNREFUSED') ?? 0).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${port}/work`)).rejects.toThrow();
  });

  it('closes at once when nothing is listening, and twice is harmless', async () => {
    const app = Fastify();
    const graceful = new GracefulHttpClose(app);
    graceful.attach();
    await app.ready();
    await graceful.close();
    await graceful.close();
    expect(graceful.isDraining).toBe(false);
  });
});
