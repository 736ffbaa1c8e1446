import { describe, expect, it } from 'vitest';
import { createLineageSink, lineageEnvSchema } from './lineage-config.js';
import { noopLineageSink } from './lineage-types.js';
import { OpenLineageSink } from './openlineage-sink.js';

describe('lineageEnvSchema', () => {
  it('defaults to no URL, the farol namespace and no key; blank values count as unset', () => {
    expect(lineageEnvSchema.parse({})).toEqual({ OPENLINEAGE_NAMESPACE: 'farol' });
    expect(lineageEnvSchema.parse({ OPENLINEAGE_URL: ' ', OPENLINEAGE_NAMESPACE: '', OPENLINEAGE_API_KEY: '' })).toEqual({
      OPENLINEAGE_NAMESPACE: 'farol',
    });
  });

  it('takes an http(s) URL, a namespace and a key', () => {
    expect(
      lineageEnvSchema.parse({ OPENLINEAGE_URL: 'http://marquez:5000', OPENLINEAGE_NAMESPACE: 'farol-prod', OPENLINEAGE_API_KEY: 'k' }),
    ).toEqual({ OPENLINEAGE_URL: 'http://marquez:5000', OPENLINEAGE_NAMESPACE: 'farol-prod', OPENLINEAGE_API_KEY: 'k' });
  });

  it.each([
    ['not a URL', 'marquez:5000/api'],
    ['another scheme', 'ftp://marquez'],
    ['credentials in the URL', 'https://user:secret@marquez.example'],
  ])('rejects %s, naming the variable', (_what, value) => {
    const parsed = lineageEnvSchema.safeParse({ OPENLINEAGE_URL: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['OPENLINEAGE_URL']);
  });
});

describe('createLineageSink', () => {
  it('is the no-op sink without a URL', () => {
    expect(createLineageSink(lineageEnvSchema.parse({}))).toBe(noopLineageSink);
  });

  it('is an OpenLineage sink with a URL', async () => {
    const sink = createLineageSink(lineageEnvSchema.parse({ OPENLINEAGE_URL: 'http://127.0.0.1:9' }));
    expect(sink).toBeInstanceOf(OpenLineageSink);
    await sink.close();
  });
});
