import { describe, expect, it } from 'vitest';
import { mapRows, toLocalTimestamp, toNumber } from './result-rows.js';

describe('mapRows', () => {
  it('keys values by member name, numbers for measures, local ISO for time', () => {
    const rows = mapRows(
      [{ sales__revenue: '1234.50', sales__orders: 3n, sales__channel: 'Site', sales__order_date_day: '2025-03-14 00:00:00' }],
      [
        { alias: 'sales__revenue', names: ['sales.revenue'], kind: 'measure' },
        { alias: 'sales__orders', names: ['sales.orders'], kind: 'measure' },
        { alias: 'sales__channel', names: ['sales.channel'], kind: 'dimension' },
        { alias: 'sales__order_date_day', names: ['sales.order_date.day', 'sales.order_date'], kind: 'timeDimension' },
      ],
    );
    expect(rows).toEqual([
      { 'sales.revenue': 1234.5, 'sales.orders': 3, 'sales.channel': 'Site', 'sales.order_date.day': '2025-03-14T00:00:00.000', 'sales.order_date': '2025-03-14T00:00:00.000' },
    ]);
    expect(Object.isFrozen(rows[0])).toBe(true);
  });

  it('normalises the shapes warehouses return for local timestamps', () => {
    expect(toLocalTimestamp('2025-03-14')).toBe('2025-03-14T00:00:00.000');
    expect(toLocalTimestamp('2025-03-14T10:20:30.123456')).toBe('2025-03-14T10:20:30.123');
    // Cube's BigQuery dialect returns local wall-clock time as a TIMESTAMP at UTC.
    expect(toLocalTimestamp('2025-03-14T00:00:00.000Z')).toBe('2025-03-14T00:00:00.000');
    expect(toLocalTimestamp('2025-03-14T10:20:30.1')).toBe('2025-03-14T10:20:30.100');
    expect(toLocalTimestamp(null)).toBeNull();
  });

  it('turns numeric strings and bigints into numbers, keeps null', () => {
    expect(toNumber('12.30')).toBe(12.3);
    expect(toNumber(9007199254740993n)).toBe(9007199254740992);
    expect(toNumber(null)).toBeNull();
    expect(toNumber('n/a')).toBeNull();
  });
});
