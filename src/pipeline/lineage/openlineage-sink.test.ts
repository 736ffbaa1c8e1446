import { describe, expect, it } from 'vitest';
import { lineageEndpoint } from './openlineage-sink.js';

describe('lineageEndpoint', () => {
  it.each([
    ['http://marquez:5000', 'http://marquez:5000/api/v1/lineage'],
    ['http://marquez:5000/', 'http://marquez:5000/api/v1/lineage'],
    ['https://lineage.example.com/marquez', 'https://lineage.example.com/marquez/api/v1/lineage'],
    ['http://marquez:5000/api/v1/lineage', 'http://marquez:5000/api/v1/lineage'],
    ['http://marquez:5000/api/v1/lineage/', 'http://marquez:5000/api/v1/lineage'],
    ['https://gw.example.com/ol/api/v1/lineage?tenant=a', 'https://gw.example.com/ol/api/v1/lineage?tenant=a'],
  ])('%s posts to %s', (url, expected) => {
    expect(lineageEndpoint(url).href).toBe(expected);
  });
});
