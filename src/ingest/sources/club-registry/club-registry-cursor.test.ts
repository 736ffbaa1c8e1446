import { describe, expect, it } from 'vitest';
import { formatClubCursor, parseClubCursor } from './club-registry-cursor.js';

describe('club registry cursor', () => {
  it('keeps the phase, the position and the tables a snapshot finished', () => {
    const p = { phase: 'snapshot' as const, lsn: 0x1778b00n, tablesDone: ['public.club_members'] };
    const text = formatClubCursor(p);
    expect(JSON.parse(text)).toEqual({ phase: 'snapshot', lsn: '0/1778B00', tablesDone: ['public.club_members'] });
    expect(parseClubCursor(text)).toEqual(p);
  });

  it('treats anything else as no cursor (a new snapshot)', () => {
    for (const bad of [undefined, '', 'nope', '{"phase":"stream"}', '{"phase":"later","lsn":"0/1"}', '{"phase":"stream","lsn":"12"}']) {
      expect(parseClubCursor(bad)).toBeUndefined();
    }
  });
});
