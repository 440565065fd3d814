import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { SloDefinition } from '../../../../src/core/budget/model.js';
import {
  alertExpr,
  burnFactor,
  DEFAULT_ALERT_NAME,
  errorRatioExpr,
  generateRules,
  periodSeconds,
  recordedSelector,
  renderRuleFile,
  tierConditions,
  type AlertingRule,
  type RecordingRule,
} from '../../../../src/core/budget/rules.js';
import { loadSpecs } from '../../../../src/core/budget/specs/index.js';
import { example } from './specs/helpers.js';

const PROMTOOL = '/usr/bin/promtool';
const DAY = 86_400;
const tmp = mkdtempSync(join(tmpdir(), 'relia-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const [checkout] = loadSpecs([{ file: 'relia.yaml', text: example('checkout/relia.yaml') }]) as [SloDefinition];
const [slothCheckout] = loadSpecs([{ file: 'sloth.yaml', text: example('checkout/sloth.yaml') }]) as [SloDefinition];

function slo(over: Partial<SloDefinition> = {}): SloDefinition {
  return {
    service: 'svc',
    name: 'avail',
    objective: 0.999,
    window: { type: 'rolling', seconds: 30 * DAY, label: '30d' },
    budgeting: { method: 'occurrences' },
    sli: { type: 'ratio', bad: 'sum(rate(err[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' },
    labels: {},
    source: { file: 'x.yaml', path: '', format: 'relia' },
    ...over,
    id: `${over.service ?? 'svc'}/${over.name ?? 'avail'}`,
  };
}

/** A variety of SLIs, budgets and windows, for structural and promtool checks. */
const VARIETY: SloDefinition[] = [
  checkout,
  { ...slothCheckout, service: 'sloth-checkout', id: 'sloth-checkout/availability' },
  slo({ name: 'good-total', sli: { type: 'ratio', good: 'sum(rate(ok[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' }, window: { type: 'rolling', seconds: 28 * DAY, label: '28d' } }),
  slo({ name: 'raw', sli: { type: 'error-ratio', query: 'avg(avg_over_time(ratio[{{.window}}]))' }, objective: 0.99 }),
  slo({ name: 'slices', budgeting: { method: 'timeslices', sliceSeconds: 60, sliceTarget: 0.95 } }),
  slo({ name: 'slices-good', budgeting: { method: 'timeslices', sliceSeconds: 300, sliceTarget: 0.9 }, sli: { type: 'ratio', good: 'sum(rate(ok[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' } }),
  slo({ name: 'slices-raw', budgeting: { method: 'timeslices', sliceSeconds: 120, sliceTarget: 0.99 }, sli: { type: 'error-ratio', query: 'avg(avg_over_time(r[{{.window}}]))' } }),
  slo({
    name: 'latency',
    budgeting: { method: 'timeslices', sliceSeconds: 60, sliceTarget: 1 },
    sli: { type: 'threshold', query: 'histogram_quantile(0.99, sum by (le) (rate(lat_bucket[{{.window}}])))', op: 'lte', value: 0.25 },
  }),
  slo({ name: 'monthly', window: { type: 'calendar', unit: 'month', timeZone: 'UTC', label: 'calendar month' } }),
  slo({ name: 'two-days', window: { type: 'rolling', seconds: 2 * DAY, label: '2d' }, labels: { team: 'a"b\\c' } }),
];

describe('burn factors', () => {
  it('are the Workbook numbers for a 30d period', () => {
    const f = (tier: 'page' | 'ticket') => tierConditions(checkout, tier).map((c) => c.factor);
    expect(f('page')).toEqual([14.4, 6]);
    expect(f('ticket')).toEqual([3, 1]);
  });

  it('scale with the period, and 2% of a 28d budget in 1h is an error ratio of 0.01344 at 99.9%', () => {
    expect(burnFactor(0.02, 90 * DAY, 3600)).toBe(43.2);
    const c = tierConditions(slo({ window: { type: 'rolling', seconds: 28 * DAY, label: '28d' } }), 'page')[0]!;
    expect(c.factor).toBe(13.44);
    expect(c.threshold).toBe(0.01344);
  });

  it('use the nominal length of calendar periods; short periods keep every condition, with scaled windows', () => {
    expect(periodSeconds({ type: 'calendar', unit: 'month', timeZone: 'UTC', label: '' })).toBe(30 * DAY);
    expect(periodSeconds({ type: 'calendar', unit: 'quarter', timeZone: 'UTC', label: '' })).toBe(90 * DAY);
    expect(periodSeconds({ type: 'calendar', unit: 'week', timeZone: 'UTC', label: '' })).toBe(7 * DAY);
    const short = VARIETY.at(-1)!; // 2d
    expect(tierConditions(short, 'ticket').map((c) => [c.longSeconds, c.shortSeconds, c.factor])).toEqual([
      [2 * 48 * 60, 2 * 4 * 60, 3],
      [2 * 144 * 60, 2 * 12 * 60, 1],
    ]);
  });
});

describe('generateRules', () => {
  it('records the error ratio over 5m … 3d and the SLO period, then the page and ticket alerts', () => {
    const { groups, warnings } = generateRules([checkout], { page: true, ticket: true });
    expect(warnings).toEqual([]);
    expect(groups).toHaveLength(1);
    const g = groups[0]!;
    expect(g.name).toBe('relia-slo:checkout/availability');
    const records = g.rules.filter((r): r is RecordingRule => 'record' in r);
    expect(records.map((r) => r.record)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => `relia_slo:sli_error:ratio_rate${w}`));
    expect(records[2]!.expr).toBe('(sum(rate(http_requests_total{service="checkout",code="500"}[1h]))) / (sum(rate(http_requests_total{service="checkout"}[1h])))');
    expect(records[2]!.labels).toEqual({ relia_service: 'checkout', relia_slo: 'availability', team: 'payments' });
    const alerts = g.rules.filter((r): r is AlertingRule => 'alert' in r);
    expect(alerts.map((a) => [a.alert, a.labels.severity])).toEqual([
      ['CheckoutAvailabilityBudgetBurn', 'critical'],
      ['CheckoutAvailabilityBudgetBurn', 'warning'],
    ]);
    expect(alerts[0]!.expr).toBe(
      [
        '(',
        '  relia_slo:sli_error:ratio_rate1h{relia_service="checkout",relia_slo="availability"} > (14.4 * 0.001)',
        'and',
        '  relia_slo:sli_error:ratio_rate5m{relia_service="checkout",relia_slo="availability"} > (14.4 * 0.001)',
        ')',
        'or',
        '(',
        '  relia_slo:sli_error:ratio_rate6h{relia_service="checkout",relia_slo="availability"} > (6 * 0.001)',
        'and',
        '  relia_slo:sli_error:ratio_rate30m{relia_service="checkout",relia_slo="availability"} > (6 * 0.001)',
        ')',
      ].join('\n'),
    );
    expect(alerts[1]!.expr).toContain('ratio_rate1d{relia_service="checkout",relia_slo="availability"} > (3 * 0.001)');
    expect(alerts[1]!.expr).toContain('ratio_rate3d{relia_service="checkout",relia_slo="availability"} > (1 * 0.001)');
    expect(alerts[0]!.annotations).toEqual({
      summary: 'checkout/availability is burning its error budget too fast (page)',
      description:
        'checkout/availability (objective 99.9% over 30d) has an error ratio above 14.4× the budget rate (error ratio > 0.0144) over 1h and 5m, or 6× the budget rate (error ratio > 0.006) over 6h and 30m. At 14.4× the whole budget lasts 50h.',
      runbook_url: 'https://runbooks.example.com/checkout/availability',
    });
  });

  it('switches tiers off by flag and by spec', () => {
    const names = (slos: SloDefinition[], page: boolean, ticket: boolean) =>
      generateRules(slos, { page, ticket }).groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => 'alert' in r).map((r) => r.labels.severity));
    expect(names([slo()], true, true)).toEqual(['page', 'ticket']);
    expect(names([slo()], false, true)).toEqual(['ticket']);
    expect(names([slo()], true, false)).toEqual(['page']);
    expect(names([slo()], false, false)).toEqual([]);
    const off = slo({ alerting: { labels: {}, annotations: {}, page: { enabled: true, labels: {}, annotations: {} }, ticket: { enabled: false, labels: {}, annotations: {} } } });
    expect(names([off], true, true)).toEqual(['page']);
  });

  it('labels alerts like Sloth for Sloth specs, and lets spec labels and annotations win', () => {
    const alerts = generateRules([slothCheckout], { page: true, ticket: false }).groups[0]!.rules.filter((r): r is AlertingRule => 'alert' in r);
    expect(alerts[0]!.labels).toEqual({
      severity: 'critical',
      relia_service: 'checkout',
      relia_slo: 'availability',
      team: 'payments',
      sloth_id: 'checkout-availability',
      sloth_service: 'checkout',
      sloth_slo: 'availability',
      sloth_severity: 'page',
    });
    const plain = generateRules([slo()], { page: true, ticket: false }).groups[0]!.rules.at(-1) as AlertingRule;
    expect(plain.alert).toBe(DEFAULT_ALERT_NAME);
    expect(plain.labels).toEqual({ severity: 'page', relia_service: 'svc', relia_slo: 'avail' });
  });

  it('warns about calendar approximations; no condition is dropped for a short period', () => {
    const { warnings } = generateRules(VARIETY, { page: true, ticket: true });
    expect(warnings).toEqual(['svc/monthly: the calendar month is approximated by a nominal 30d period in the rules (burn factors and the 30d recording rule)']);
  });

  it('expresses timeslice SLIs as the share of bad slices, one subquery point per slice', () => {
    const bySlo = (name: string, w: number) => errorRatioExpr(VARIETY.find((s) => s.name === name)!, w);
    expect(bySlo('slices', 3600)).toBe('1 - avg_over_time(((sum(rate(err[1m]))) <= bool (0.05 * (sum(rate(all[1m])))))[1h:1m])');
    expect(bySlo('slices-good', 300)).toBe('1 - avg_over_time(((sum(rate(ok[5m]))) >= bool (0.9 * (sum(rate(all[5m])))))[5m:5m])');
    expect(bySlo('slices-good', 60)).toBe('1 - avg_over_time(((sum(rate(ok[5m]))) >= bool (0.9 * (sum(rate(all[5m])))))[5m:5m])');
    expect(bySlo('slices-raw', 1800)).toBe('1 - avg_over_time(((avg(avg_over_time(r[2m]))) <= bool 0.01)[30m:2m])');
    expect(bySlo('latency', 21_600)).toBe('1 - avg_over_time(((histogram_quantile(0.99, sum by (le) (rate(lat_bucket[1m])))) <= bool 0.25)[6h:1m])');
    expect(bySlo('raw', 300)).toBe('avg(avg_over_time(ratio[5m]))');
    expect(bySlo('good-total', 300)).toBe('1 - ((sum(rate(ok[5m]))) / (sum(rate(all[5m]))))');
    expect(() => errorRatioExpr(slo({ sli: { type: 'threshold', query: 'x[{{.window}}]', op: 'lt', value: 1 } }), 300)).toThrow(/timeslice/);
  });

  it('the inline alert expression is the recorded one with every recorded series expanded', () => {
    for (const s of VARIETY) {
      for (const tier of ['page', 'ticket'] as const) {
        let recorded = alertExpr(s, tier, 'recorded');
        for (const w of tierConditions(s, tier).flatMap((c) => [c.longSeconds, c.shortSeconds])) recorded = recorded.replaceAll(recordedSelector(s, w), `(${errorRatioExpr(s, w)})`);
        expect(recorded, `${s.id} ${tier}`).toBe(alertExpr(s, tier, 'inline'));
        expect(alertExpr(s, tier, 'inline')).not.toContain('relia_slo:');
      }
    }
    // and every selector the alert reads is recorded by the group
    const { groups } = generateRules(VARIETY, { page: true, ticket: true });
    for (const g of groups) {
      const recorded = new Set(g.rules.filter((r): r is RecordingRule => 'record' in r).map((r) => r.record));
      for (const a of g.rules.filter((r): r is AlertingRule => 'alert' in r)) {
        for (const m of a.expr.matchAll(/(relia_slo:sli_error:ratio_rate\w+)\{/g)) expect(recorded.has(m[1]!)).toBe(true);
      }
    }
  });

  it('escapes label values in selectors', () => {
    expect(recordedSelector(slo({ service: 'a"b', name: 'c\\d' }), 300)).toBe('relia_slo:sli_error:ratio_rate5m{relia_service="a\\"b",relia_slo="c\\\\d"}');
    expect(recordedSelector(slo({ service: 'two\nlines' }), 300)).toBe('relia_slo:sli_error:ratio_rate5m{relia_service="two\\nlines",relia_slo="avail"}');
  });

  it('the alert rule reads the recorded series: its expr is alertExpr of the tier', () => {
    const alerts = generateRules([checkout], { page: true, ticket: true }).groups[0]!.rules.filter((r): r is AlertingRule => 'alert' in r);
    expect(alerts.map((a) => a.expr)).toEqual([alertExpr(checkout, 'page'), alertExpr(checkout, 'ticket')]);
  });

  it('`for:` only where the scheme has one: never for sloth, pyrra\'s own (none when it rounds to 0, as for page-quick of a 2d SLO)', () => {
    const fors = (s: SloDefinition, scheme: 'sloth' | 'pyrra') =>
      generateRules([s], { page: true, ticket: true, scheme }).groups[0]!.rules.filter((r): r is AlertingRule => 'alert' in r).map((r) => r.for);
    expect(fors(slo(), 'sloth')).toEqual([undefined, undefined]);
    // pyrra: for = period / (28·24·30, 28·24·4, 28·24, 28·8), to the nearest minute: 2d gives 8.6s → 0, 64s → 1m, 257s → 4m, 771s → 13m
    const twoDays = slo({ window: { type: 'rolling', seconds: 2 * DAY, label: '2d' } });
    expect(fors(twoDays, 'pyrra')).toEqual([undefined, '1m', '4m', '13m']);
  });

  it('the absent-metric alert: one rule over every selector, for as long as page-quick takes at 100 % errors, severity page unless set', () => {
    const alerting = { labels: { team: 'core' }, annotations: {}, page: { enabled: false, labels: {}, annotations: {} }, ticket: { enabled: false, labels: {}, annotations: {} } };
    const absent = (extra: object) =>
      generateRules([slo({ objective: 0.99, alerting: { ...alerting, absent: { selectors: ['up{job="api"}', 'http_requests_total{job="api"}'], ...extra } } })], { page: true, ticket: true }).groups[0]!.rules.filter(
        (r): r is AlertingRule => 'alert' in r,
      );
    // page-quick over 30d at a 1 % budget: 1h above 14.4 % errors; at 100 % errors that is 14.4 % of an hour, 518.4s → 9m
    expect(absent({})).toEqual([
      {
        alert: 'SLOMetricAbsent',
        expr: 'absent(up{job="api"}) == 1 or absent(http_requests_total{job="api"}) == 1',
        for: '9m',
        labels: { severity: 'page', relia_service: 'svc', relia_slo: 'avail', team: 'core' },
        annotations: {
          summary: 'svc/avail: a metric of its SLI is absent',
          description: 'up{job="api"} or http_requests_total{job="api"} has returned no series for 9m: svc/avail cannot be measured.',
        },
      },
    ]);
    expect(absent({ name: 'ApiMetricsAbsent', severity: 'info' }).map((r) => [r.alert, r.labels.severity])).toEqual([['ApiMetricsAbsent', 'info']]);
  });
});

describe('the rule file', () => {
  it('is YAML with a header that parses back to the groups', () => {
    const { groups } = generateRules(VARIETY, { page: true, ticket: true });
    const text = renderRuleFile(groups, 'Generated by relia\nDo not edit');
    expect(text.startsWith('# Generated by relia\n# Do not edit\n')).toBe(true);
    expect(parse(text)).toEqual({ groups });
    expect(renderRuleFile([])).toBe('groups: []\n');
    // long expressions and descriptions stay on one line each (no folding at 80 columns)
    const description = (groups[0]!.rules.find((r): r is AlertingRule => 'alert' in r) as AlertingRule).annotations.description!;
    expect(description.length).toBeGreaterThan(200);
    expect(text.split('\n')).toContain(`          description: ${description}`);
  });

  it('passes promtool check rules', async () => {
    const { groups } = generateRules(VARIETY, { page: true, ticket: true });
    const file = join(tmp, 'variety.yaml');
    writeFileSync(file, renderRuleFile(groups, 'test'));
    const r = await execa(PROMTOOL, ['check', 'rules', file], { reject: false });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const rules = groups.reduce((n, g) => n + g.rules.length, 0);
    expect(r.stdout).toContain(`SUCCESS: ${rules} rules found`);
  });

  it('fires the page alert on a synthetic incident under promtool test rules, recorded and inline alike', async () => {
    const { groups } = generateRules([checkout], { page: true, ticket: false });
    writeFileSync(join(tmp, 'checkout.yaml'), renderRuleFile(groups));
    const alert = groups[0]!.rules.at(-1) as AlertingRule;
    const inline = alertExpr(checkout, 'page', 'inline');
    // 1000 req/min; from minute 120 on, 300 of them fail (23 % errors ≫ 14.4 × 0.1 %).
    const tests = {
      rule_files: ['checkout.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{service="checkout",code="200"}', values: '0+1000x120 120700+700x180' },
            { series: 'http_requests_total{service="checkout",code="500"}', values: '0x120 300+300x180' },
          ],
          alert_rule_test: [
            { eval_time: '110m', alertname: alert.alert, exp_alerts: [] },
            {
              eval_time: '150m',
              alertname: alert.alert,
              exp_alerts: [{ exp_labels: alert.labels, exp_annotations: alert.annotations }],
            },
          ],
          promql_expr_test: [
            { expr: `count(${inline})`, eval_time: '110m', exp_samples: [] },
            { expr: `count(${inline})`, eval_time: '150m', exp_samples: [{ labels: '{}', value: 1 }] },
          ],
        },
      ],
    };
    const file = join(tmp, 'checkout.test.yaml');
    writeFileSync(file, stringify(tests, { lineWidth: 0 }));
    const r = await execa(PROMTOOL, ['test', 'rules', file], { reject: false, cwd: tmp });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });
});
