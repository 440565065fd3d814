/**
 * Burn-rate windows and factors for any SLO period, checked twice: against
 * the table documented in docs/budget-specs.md (hand-worked from the Workbook,
 * Sloth's windows files and Pyrra's slo/rules.go), and by `promtool test
 * rules` on the generated rules with steady error rates just under and just
 * over every threshold, for every period and scheme. A rule that fires on a
 * met SLO (a burn below 1) fails here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { burnWindows, type BurnScheme } from '../../../../src/core/budget/burn-windows.js';
import type { SloDefinition } from '../../../../src/core/budget/model.js';
import { alertExpr, DEFAULT_ALERT_NAME, generateRules, renderRuleFile, tierConditions } from '../../../../src/core/budget/rules.js';
import { formatDuration } from '../../../../src/core/units.js';

const PROMTOOL = '/usr/bin/promtool';
const DAY = 86_400;
const tmp = mkdtempSync(join(tmpdir(), 'relia-burn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** [long, short, factor, for] per condition, page-quick, page-slow, ticket-quick, ticket-slow. */
const table = (days: number, scheme: BurnScheme) =>
  burnWindows(days * DAY, scheme).map((c) => [formatDuration(c.longSeconds), formatDuration(c.shortSeconds), c.factor, formatDuration(c.forSeconds)]);

describe('the documented table (docs/budget-specs.md#burn-rate-windows-for-any-period)', () => {
  it('sloth scheme: Sloth-identical where the fixed windows give a factor of at least 1, scaled windows elsewhere', () => {
    expect(table(30, 'sloth')).toEqual([
      ['1h', '5m', 14.4, '0s'],
      ['6h', '30m', 6, '0s'],
      ['1d', '2h', 3, '0s'],
      ['3d', '6h', 1, '0s'],
    ]);
    // Sloth's google-28d windows give 13.44 / 5.6 / 2.8 / 0.9333: the last is below 1, so its windows scale (3d × 28/30).
    expect(table(28, 'sloth')).toEqual([
      ['1h', '5m', 13.44, '0s'],
      ['6h', '30m', 5.6, '0s'],
      ['1d', '2h', 2.8, '0s'],
      ['4032m', '336m', 1, '0s'],
    ]);
    // 7d: the fixed factors would be 3.36 / 1.4 / 0.7 / 0.2333.
    expect(table(7, 'sloth')).toEqual([
      ['1h', '5m', 3.36, '0s'],
      ['6h', '30m', 1.4, '0s'],
      ['336m', '28m', 3, '0s'],
      ['1008m', '84m', 1, '0s'],
    ]);
    // 1d: the fixed factors would be 0.48 / 0.2 / 0.1 (and 3d is longer than the period).
    expect(table(1, 'sloth')).toEqual([
      ['2m', '1m', 14.4, '0s'],
      ['12m', '1m', 6, '0s'],
      ['48m', '4m', 3, '0s'],
      ['144m', '12m', 1, '0s'],
    ]);
  });

  it('pyrra scheme: its 28d table scaled to the period and rounded to the minute', () => {
    expect(table(28, 'pyrra')).toEqual([
      ['1h', '5m', 14, '2m'],
      ['6h', '30m', 7, '15m'],
      ['1d', '2h', 2, '1h'],
      ['4d', '6h', 1, '3h'],
    ]);
    expect(table(30, 'pyrra')).toEqual([
      ['64m', '5m', 14, '2m'],
      ['386m', '32m', 7, '16m'],
      ['1543m', '129m', 2, '64m'],
      ['6171m', '386m', 1, '193m'],
    ]);
    expect(table(7, 'pyrra')).toEqual([
      ['15m', '1m', 14, '1m'],
      ['90m', '8m', 7, '4m'],
      ['6h', '30m', 2, '15m'],
      ['1d', '90m', 1, '45m'],
    ]);
    expect(table(1, 'pyrra')).toEqual([
      ['2m', '1m', 14, '0s'],
      ['13m', '1m', 7, '1m'],
      ['51m', '4m', 2, '2m'],
      ['206m', '13m', 1, '6m'],
    ]);
  });

  it('never alerts at a burn below 1, for any period from 1h to a year', () => {
    for (let hours = 1; hours <= 366 * 24; hours += 7) {
      for (const scheme of ['sloth', 'pyrra'] as const) {
        for (const c of burnWindows(hours * 3600, scheme)) {
          expect(c.factor, `${hours}h ${scheme} ${c.role}`).toBeGreaterThanOrEqual(1);
          expect(c.shortSeconds).toBeLessThanOrEqual(c.longSeconds);
          expect(c.longSeconds).toBeLessThan(Math.max(hours * 3600, 3600));
        }
      }
    }
  });

  it('scaled sloth windows keep the Workbook budget fraction (2 %, 5 %, 10 %, 10 %)', () => {
    for (const days of [1, 7, 28, 30]) {
      for (const c of burnWindows(days * DAY, 'sloth')) expect(c.budgetFraction).toBe({ 'page-quick': 0.02, 'page-slow': 0.05, 'ticket-quick': 0.1, 'ticket-slow': 0.1 }[c.role]);
    }
  });
});

function sloFor(days: number): SloDefinition {
  return {
    id: 'svc/avail',
    service: 'svc',
    name: 'avail',
    objective: 0.99,
    window: { type: 'rolling', seconds: days * DAY, label: `${days}d` },
    budgeting: { method: 'occurrences' },
    sli: { type: 'ratio', bad: 'sum(rate(req_total{code="500"}[{{.window}}]))', total: 'sum(rate(req_total[{{.window}}]))' },
    labels: {},
    source: { file: 'x.yaml', path: '', format: 'relia' },
  };
}

const TOTAL_PER_MIN = 10_000;

/** A steady error ratio r over the whole series: 500s and 200s grow linearly. */
function steady(r: number, minutes: number): Array<{ series: string; values: string }> {
  const bad = Number((r * TOTAL_PER_MIN).toPrecision(12));
  return [
    { series: 'req_total{code="500"}', values: `0+${bad}x${minutes}` },
    { series: 'req_total{code="200"}', values: `0+${Number((TOTAL_PER_MIN - bad).toPrecision(12))}x${minutes}` },
  ];
}

describe('promtool test rules: steady error rates just under and just over each threshold', () => {
  for (const scheme of ['sloth', 'pyrra'] as const) {
    for (const days of [1, 7, 28, 30]) {
      it(`${days}d, ${scheme} scheme`, async () => {
        const slo = sloFor(days);
        const budget = 0.01;
        const { groups } = generateRules([slo], { page: true, ticket: true, scheme });
        const name = `rules-${scheme}-${days}.yaml`;
        writeFileSync(join(tmp, name), renderRuleFile(groups));
        const conditions = [...tierConditions(slo, 'page', scheme), ...tierConditions(slo, 'ticket', scheme)];
        // The error ratio is steady from the second sample on, so every window (however long) reads the
        // same ratio as soon as it holds two samples: evaluate once every for: has passed. The window
        // lengths themselves are the table above; the e2e suite runs the alerts over 30 days of history.
        const evalMinutes = Math.ceil(Math.max(...conditions.map((c) => c.forSeconds)) / 60) + 10;
        const at = `${evalMinutes}m`;
        const firing = (tier: string) => `count(ALERTS{alertname="${DEFAULT_ALERT_NAME}",alertstate="firing",severity="${tier}"})`;
        const tests = [];
        // A met SLO (burn 0.99) fires nothing at all.
        tests.push({
          interval: '1m',
          input_series: steady(0.99 * budget, evalMinutes + 5),
          alert_rule_test: [{ eval_time: at, alertname: DEFAULT_ALERT_NAME, exp_alerts: [] }],
        });
        for (const c of conditions) {
          const expr = `count(${alertExpr(slo, c.tier, 'recorded', scheme, c.role)})`;
          const lowestOfTier = Math.min(...conditions.filter((o) => o.tier === c.tier).map((o) => o.factor));
          for (const [mult, fires] of [[0.99, false], [1.01, true]] as const) {
            tests.push({
              interval: '1m',
              input_series: steady(mult * c.threshold, evalMinutes + 5),
              promql_expr_test: [
                // The condition itself: just under its threshold it is false, just over it is true.
                { expr, eval_time: at, exp_samples: fires ? [{ labels: '{}', value: 1 }] : [] },
                // The tier's alert fires iff the rate is above the tier's lowest threshold.
                { expr: firing(c.tier), eval_time: at, exp_samples: mult * c.factor > lowestOfTier ? [{ labels: '{}', value: scheme === 'pyrra' ? conditions.filter((o) => o.tier === c.tier && mult * c.factor > o.factor).length : 1 }] : [] },
              ],
            });
          }
        }
        const file = join(tmp, `test-${scheme}-${days}.yaml`);
        writeFileSync(file, stringify({ rule_files: [name], evaluation_interval: '1m', tests }, { lineWidth: 0 }));
        const r = await execa(PROMTOOL, ['test', 'rules', file], { reject: false, cwd: tmp });
        expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stdout).toContain('SUCCESS');
      }, 60_000);
    }
  }
});
