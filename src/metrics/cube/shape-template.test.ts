import { describe, expect, it } from 'vitest';
import { sentinelValues } from './shape-template.js';

/**
 * A rollup-reading template is built from the sentinels (query-planner.ts, `onWholeDays`): it
 * is valid for every whole-day range only if the sentinel ranges align with no grain coarser
 * than a day, so Cube can only choose a rollup at day grain (or gold) for them.
 */
describe('date sentinels', () => {
  it('are whole days that start and end no week, month, quarter or year', () => {
    const dates = sentinelValues(Array.from({ length: 8 }, () => ({ kind: 'date' as const, value: '2025-03-14' }))) as string[];
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    for (let i = 0; i + 1 < dates.length; i += 2) {
      const start = new Date(`${dates[i]}T00:00:00Z`);
      const end = new Date(`${dates[i + 1]}T00:00:00Z`);
      expect(start < end).toBe(true);
      // ISO weeks run Monday to Sunday; months, quarters and years start on the 1st.
      expect(start.getUTCDay() === 1 && end.getUTCDay() === 0).toBe(false);
      expect(start.getUTCDate()).not.toBe(1);
      const dayAfterEnd = new Date(end.getTime() + 86_400_000);
      expect(dayAfterEnd.getUTCDate()).not.toBe(1);
    }
  });
});
