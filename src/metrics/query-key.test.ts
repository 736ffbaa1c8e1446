import { describe, expect, it } from 'vitest';
import { canonicalJson } from './query-key.js';

describe('canonicalJson', () => {
  it('ignores key order and undefined, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe(canonicalJson({ a: { d: [2, 1] }, b: 1 }));
    expect(canonicalJson({ m: ['x', 'y'] })).not.toBe(canonicalJson({ m: ['y', 'x'] }));
  });

  it('is plain JSON for scalars and escapes strings', () => {
    expect(canonicalJson({ s: 'a"b', n: null, t: true, x: 1.5 })).toBe('{"n":null,"s":"a\\"b","t":true,"x":1.5}');
    expect(canonicalJson([undefined])).toBe('[null]');
  });
});
