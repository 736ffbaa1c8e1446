import { describe, expect, it } from 'vitest';
import { AlertRulesError, parseRules } from './rules-file.js';

function problems(yaml: string): readonly string[] {
  try {
    parseRules(yaml, 'alerts.yml');
  } catch (err) {
    if (err instanceof AlertRulesError) return err.problems;
    throw err;
  }
  throw new Error('accepted');
}

describe('alert rules file', () => {
  it('parses every kind and fills defaults', () => {
    const r = parseRules(`
routes: { critical: [slack, teams], warning: [slack] }
rules:
  - { name: revenue-by-channel, kind: anomaly, measure: sales.revenue, timeDimension: sales.order_date, grain: day, dimension: sales.channel, direction: drop }
  - { name: big-orders, kind: threshold, measure: sales.average_ticket, timeDimension: sales.order_date, above: 5000, severity: info, channels: [teams] }
  - { name: orders-fresh, kind: freshness, source: vtex-orders, slaSeconds: 600 }
  - { name: runs, kind: pipeline_failure, sources: [vtex-orders] }
  - { name: tests, kind: data_quality, severities: [error] }
`);
    expect(r.rules.map((x) => x.kind)).toEqual(['anomaly', 'threshold', 'freshness', 'pipeline_failure', 'data_quality']);
    expect(r.rules[0]).toMatchObject({ weeks: 8, minHistory: 4, sensitivity: 4, severity: 'warning', cooldownMinutes: 60, yearOverYear: true });
    expect(r.routes.critical).toEqual(['slack', 'teams']);
  });

  it('names the rule and the field of each mistake', () => {
    expect(problems(`rules:
  - { name: a, kind: anomaly, measure: sales.revenue, timeDimension: sales.order_date, grain: minute }
  - { name: b, kind: freshness, source: "x'; DROP TABLE ops.runs; --" }
  - { name: c, kind: threshold, measure: sales.revenue, timeDimension: sales.order_date }
  - { name: d, kind: anomaly, measure: "sales.revenue; select 1", timeDimension: sales.order_date, sensitivity: "4" }
  - { kind: data_quality }
  - { name: e, kind: nope }
  - { name: f, kind: pipeline_failure, extra: 1 }
`)).toEqual([
      expect.stringMatching(/^rule "a", field grain: /),
      expect.stringMatching(/^rule "b", field source: expected one of vtex-orders/),
      'rule "c", field above: set "above", "below" or both',
      expect.stringMatching(/^rule "d", field measure: expected a view member/),
      expect.stringMatching(/^rule "d", field sensitivity: /),
      expect.stringMatching(/^rules\[4\], field name: /),
      expect.stringMatching(/^rule "e", field kind: /),
      'rule "f", field extra: Unrecognized key: "extra"',
    ]);
  });

  it('refuses duplicate names, YAML aliases (no billion laughs), syntax errors and a file that is not a list of rules', () => {
    expect(problems('rules:\n  - { name: a, kind: data_quality }\n  - { name: a, kind: pipeline_failure }\n')).toEqual([
      'rules: the name "a" is used twice; rule names are the key alerts are kept by',
    ]);
    expect(problems('rules:\n  - &r { name: g, kind: data_quality }\n  - *r\n')).toEqual(['YAML: Alias resolution is disabled']);
    const bomb = `a: &a ["x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nrules: [*c]\n`;
    expect(problems(bomb)[0]).toMatch(/^YAML: /);
    expect(problems('rules: [ {name: a')[0]).toMatch(/^YAML: /);
    expect(problems('- just a list')).toEqual([expect.stringMatching(/^file: /)]);
    expect(problems(`rules:\n${'  - { name: x, kind: data_quality }\n'.repeat(501)}`)[0]).toMatch(/^rules: /);
  });
});
