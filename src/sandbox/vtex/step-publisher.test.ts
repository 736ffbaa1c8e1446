import { describe, expect, it } from 'vitest';
import { OrderFactory } from './order-generator.js';
import { OrderStore, type StoredOrder } from './order-store.js';
import { StepPublisher } from './step-publisher.js';
import { MS_PER_DAY } from './vtex-time.js';

const TO = Date.parse('2025-06-01T00:00:00Z');

function setup(intervalMs: number) {
  const store = new OrderStore();
  const factory = new OrderFactory({ seed: 3 });
  const published: Array<{ entry: StoredOrder; step: number }> = [];
  let idle = 0;
  const publisher = new StepPublisher({ intervalMs, onPublish: (entry, step) => published.push({ entry, step }), onIdle: () => idle++ });
  for (let i = 0; i < 50; i++) publisher.add(store.add(factory.historical(i, TO - 3 * MS_PER_DAY, TO)));
  const totalSteps = store.all().reduce((n, e) => n + e.generated.timeline.steps.length, 0);
  return { store, publisher, published, totalSteps, idleCount: () => idle };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
};

describe('StepPublisher', () => {
  it('publishes nothing before start, then every step in timestamp order', async () => {
    const { store, publisher, published, totalSteps, idleCount } = setup(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(published).toHaveLength(0);
    publisher.start();
    await until(() => published.length === totalSteps);
    expect(published).toHaveLength(totalSteps);
    const times = published.map(({ entry, step }) => entry.generated.timeline.steps[step]!.at.ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const entry of store.all()) expect(entry.published).toBe(entry.generated.timeline.steps.length - 1);
    expect(publisher.isDrained()).toBe(true);
    expect(idleCount()).toBeGreaterThan(0);
    publisher.stop();
  });

  it('paces steps and stops on pause', async () => {
    const { publisher, published } = setup(3);
    publisher.start();
    await until(() => published.length >= 3);
    publisher.pause();
    const count = published.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published.length).toBe(count);
    publisher.resume();
    await until(() => published.length > count);
    expect(published.length).toBeGreaterThan(count);
    publisher.stop();
  });
});
