import { describe, expect, it } from 'vitest';
import { ConnectionPool } from './connection-pool.js';

describe('ConnectionPool', () => {
  it('gives each caller a connection of its own and queues the rest in arrival order', async () => {
    const pool = new ConnectionPool(['a']);
    const order: string[] = [];
    let release!: () => void;
    const first = pool.use((c) => new Promise<void>((r) => { order.push(`1:${c}`); release = r; }));
    const second = pool.use(async (c) => { order.push(`2:${c}`); });
    const third = pool.use(async (c) => { order.push(`3:${c}`); });
    await Promise.resolve();
    expect(order).toEqual(['1:a']);
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['1:a', '2:a', '3:a']);
  });

  it('returns the connection when the work fails', async () => {
    const pool = new ConnectionPool(['a']);
    await expect(pool.use(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(pool.use(async (c) => c)).resolves.toBe('a');
  });

  it('drops a waiter whose signal aborts, with the signal\'s reason, and serves the next one', async () => {
    const pool = new ConnectionPool(['a']);
    let release!: () => void;
    const busy = pool.use(() => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const gaveUp = pool.use(async () => 'never', ac.signal);
    const next = pool.use(async (c) => c);
    ac.abort(new Error('too late'));
    await expect(gaveUp).rejects.toThrow('too late');
    release();
    await busy;
    await expect(next).resolves.toBe('a');
  });
});
