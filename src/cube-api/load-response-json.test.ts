import { describe, expect, it } from 'vitest';
import type { CubeLoadResult, CubeMultiResult } from './load-response.js';
import { loadAnswerJson } from './load-response-json.js';

const query = {
  measures: ['sales.revenue'], dimensions: ['sales.channel'], timeDimensions: [], segments: [], filters: [{ member: 'sales.channel', operator: 'equals', values: ['"},"data":[]'] }],
  timezone: 'America/Sao_Paulo', order: [], limit: 10000,
} as unknown as CubeLoadResult['query'];

function result(data: CubeLoadResult['data'], lastRefreshTime?: string): CubeLoadResult {
  return {
    query, data,
    ...(lastRefreshTime === undefined ? {} : { lastRefreshTime }),
    annotation: { measures: { 'sales.revenue': { title: 'Receita', shortTitle: 'Receita', type: 'number', format: 'currency' } }, dimensions: {}, segments: {}, timeDimensions: {} },
    dataSource: 'default', dbType: 'duckdb', external: false, slowQuery: false, total: null,
    farol: { servedFrom: 'cache', dataVersion: 7, refreshedAt: null },
  };
}

describe('loadAnswerJson', () => {
  it('writes exactly what JSON.stringify writes, keys in order, for odd text in rows and in the query', () => {
    const rows = [
      { 'sales.revenue': '375.25', 'sales.channel': 'Mercado "Livre"\u2028\u0000' },
      { 'sales.revenue': null, 'sales.channel': '"},"data":[]' },
    ];
    const single = result(rows, '2026-11-30T00:00:00.000Z');
    expect(loadAnswerJson(single)).toBe(JSON.stringify(single));
    const compact = result({ members: ['sales.revenue'], dataset: [['1'], [null]] });
    expect(loadAnswerJson(compact)).toBe(JSON.stringify(compact));
    const multi: CubeMultiResult = { queryType: 'compareDateRangeQuery', results: [single, result([])], pivotQuery: query, slowQuery: false };
    expect(loadAnswerJson(multi)).toBe(JSON.stringify(multi));
  });

  it('serialises a data value once and reuses the text while the value lives', () => {
    const rows = [{ 'sales.revenue': '1' }];
    const first = loadAnswerJson(result(rows));
    // The cached text is of the value as first seen: the rows a result holds never change.
    rows.push({ 'sales.revenue': '2' });
    expect(loadAnswerJson(result(rows))).toBe(first);
    // A new value (a fresh result) is serialised anew.
    expect(loadAnswerJson(result([...rows]))).toContain('"data":[{"sales.revenue":"1"},{"sales.revenue":"2"}]');
  });
});
