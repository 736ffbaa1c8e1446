import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RFM_SEGMENT_RULES, RFM_SEGMENTS, rfmRuleTableMarkdown, rfmSegmentSql } from './rfm-segment.js';

const README = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the RFM segment rules', () => {
  it('are the table the README shows', () => {
    expect(README).toContain(rfmRuleTableMarkdown());
  });

  it('name seven segments, once each, ending with a rule every customer with a sale matches', () => {
    expect(RFM_SEGMENTS).toEqual(['prospect', 'champions', 'new', 'loyal', 'at_risk', 'hibernating', 'lost']);
    const last = RFM_SEGMENT_RULES.at(-1);
    expect(last).toMatchObject({ segment: 'lost', minOrders: 1 });
    expect(last?.maxOrders).toBeUndefined();
    expect(last?.maxDaysSinceLastOrder).toBeUndefined();
  });

  it('compile to one CASE, in rule order', () => {
    expect(rfmSegmentSql('o', 'd')).toBe(
      "CASE WHEN o >= 0 AND o <= 0 THEN 'prospect' WHEN o >= 4 AND d <= 90 THEN 'champions' WHEN o >= 1 AND o <= 1 AND d <= 90 THEN 'new' "
      + "WHEN o >= 2 AND d <= 180 THEN 'loyal' WHEN o >= 2 AND d <= 365 THEN 'at_risk' WHEN o >= 1 AND d <= 365 THEN 'hibernating' "
      + "WHEN o >= 1 THEN 'lost' END",
    );
  });
});
