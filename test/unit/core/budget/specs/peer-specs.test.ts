/**
 * The peer-spec corpus (test/fixtures/peer-specs/, see its README): specs
 * written in Sloth's, OpenSLO's and Pyrra's published styles. Every one is
 * read without a problem, and its rules pass `promtool check rules` under
 * both burn schemes; the unsupported ones are refused with one message that
 * names what relia cannot do.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { SloDefinition } from '../../../../../src/core/budget/model.js';
import { generateRules, renderRuleFile, type AlertingRule } from '../../../../../src/core/budget/rules.js';
import { checkSpecs } from '../../../../../src/core/budget/specs/index.js';

const ROOT = new URL('../../../../fixtures/peer-specs/', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'relia-peer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(new URL(`${dir}/`, ROOT))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(new URL(`${dir}/${f}`, ROOT), 'utf8') }));
}

const ACCEPTED = ['sloth', 'openslo', 'pyrra'].flatMap(files);

function slos(file: string): SloDefinition[] {
  const r = checkSpecs(ACCEPTED.filter((f) => f.file === file));
  expect(r.problems, file).toEqual([]);
  return r.slos;
}

describe('the peer-spec corpus', () => {
  it('holds specs of every peer format', () => {
    const formats = new Set(ACCEPTED.flatMap((f) => slos(f.file)).map((s) => s.source.format));
    expect([...formats].sort()).toEqual(['openslo', 'pyrra', 'sloth']);
    expect(ACCEPTED.length).toBeGreaterThanOrEqual(17);
    expect(ACCEPTED.filter((f) => f.text.includes('apiVersion: openslo/v1alpha')).map((f) => f.file)).toEqual([
      'openslo/v1alpha-checkout.yaml',
      'openslo/v1alpha-multi-objective.yaml',
      'openslo/v1alpha-sdk-list.yaml',
    ]);
  });

  for (const scheme of ['sloth', 'pyrra'] as const) {
    it(`every file is read without a problem and its rules pass promtool check rules (--burn-scheme ${scheme})`, async () => {
      for (const input of ACCEPTED) {
        const read = slos(input.file);
        expect(read.length, input.file).toBeGreaterThan(0);
        const { groups } = generateRules(read, { page: true, ticket: true, scheme });
        const out = join(tmp, `${input.file.replace('/', '-')}.${scheme}.rules.yaml`);
        writeFileSync(out, renderRuleFile(groups));
        const r = await execa('/usr/bin/promtool', ['check', 'rules', out], { reject: false });
        expect(r.exitCode, `${input.file}\n${r.stdout}\n${r.stderr}`).toBe(0);
      }
    }, 60_000);
  }

  it('reads the Sloth file and the Sloth Kubernetes resource alike', () => {
    const [file] = slos('sloth/checkout.yaml') as [SloDefinition];
    const [k8s] = slos('sloth/checkout-k8s.yaml') as [SloDefinition];
    expect(k8s.sli).toEqual(file.sli);
    expect([k8s.objective, k8s.window, k8s.budgeting]).toEqual([file.objective, file.window, file.budgeting]);
    expect(k8s.alerting?.name).toBe('CheckoutHighErrorRate');
    expect(k8s.alerting?.page.labels).toEqual({ severity: 'pageteam' });
    expect(k8s.source.path).toBe('spec.slos[0]');
    const multi = slos('sloth/k8s-multifile.yaml');
    expect(multi.map((s) => [s.id, s.source.path, s.alerting?.page.enabled, s.alerting?.ticket.enabled])).toEqual([
      ['search/requests-availability', 'documents[0].spec.slos[0]', false, true],
      ['playback/requests-availability', 'documents[1].spec.slos[0]', false, false],
    ]);
  });

  it('rewrites windowless OpenSLO counter queries to exactly the explicit-window form', () => {
    const [windowless] = slos('openslo/checkout.yaml') as [SloDefinition];
    const [explicit] = slos('openslo/explicit-window.yaml') as [SloDefinition];
    const [sloth] = slos('sloth/checkout.yaml') as [SloDefinition];
    expect(windowless.sli).toEqual(explicit.sli);
    expect(windowless.sli).toEqual(sloth.sli);
    const [list] = slos('openslo/sdk-list.yaml') as [SloDefinition];
    expect(list.source.path).toBe('[2]');
    expect(list.sli).toEqual({
      type: 'ratio',
      good: 'sum by (service) (rate(http_requests_total{service="search",code=~"2..|404"}[{{.window}}]))',
      total: 'sum by (service) (label_replace(rate(http_requests_total{service="search"}[{{.window}}]), "svc", "$1", "service", "(.*)"))',
    });
    const [gauges] = slos('openslo/gauges.yaml') as [SloDefinition];
    expect(gauges.sli).toEqual({ type: 'ratio', good: 'sum(avg_over_time(job:playback_requests_good:rate5m[{{.window}}]))', total: 'sum(avg_over_time(job:playback_requests:rate5m[{{.window}}]))' });
  });

  it('reads OpenSLO v1alpha as Sloth does: one SLO per objective, named <name>-<index>; the SDK’s windowless incremental queries rewritten', () => {
    const [checkout] = slos('openslo/v1alpha-checkout.yaml') as [SloDefinition];
    expect(checkout).toMatchObject({ id: 'checkout-v1alpha/availability-0', objective: 0.999, window: { type: 'rolling', seconds: 30 * 86_400 } });
    expect(checkout.sli).toEqual({
      type: 'ratio',
      good: 'sum(rate(http_requests_total{service="checkout",code!="500"}[{{.window}}]))',
      total: 'sum(rate(http_requests_total{service="checkout"}[{{.window}}]))',
    });
    expect(slos('openslo/v1alpha-multi-objective.yaml').map((s) => [s.id, s.objective, s.window.label])).toEqual([
      ['api/requests-availability-0', 0.999, '28d'],
      ['api/requests-latency-0', 0.99, '30d'],
      ['api/requests-latency-1', 0.999, '30d'],
    ]);
    const [sdk] = slos('openslo/v1alpha-sdk-list.yaml') as [SloDefinition];
    expect([sdk.id, sdk.source.path, sdk.window.label]).toEqual(['search/search-availability-0', '[1].spec.objectives[0]', '7d']);
    expect(sdk.sli).toEqual({ type: 'ratio', good: 'sum(rate(http_requests_total{service="search",code=~"2..|404"}[{{.window}}]))', total: 'sum(rate(http_requests_total{service="search"}[{{.window}}]))' });
  });

  it('reads Pyrra: target, window, ratio, latency, bool_gauge, grouping and alerting', () => {
    const [checkout] = slos('pyrra/checkout.yaml') as [SloDefinition];
    const [sloth] = slos('sloth/checkout.yaml') as [SloDefinition];
    expect(checkout).toMatchObject({ id: 'checkout-pyrra/availability', objective: 0.999, window: { type: 'rolling', seconds: 30 * 86_400 }, labels: { team: 'payments' } });
    expect(checkout.sli).toEqual(sloth.sli);
    const [grouped] = slos('pyrra/grouping.yaml') as [SloDefinition];
    expect(grouped.sli).toEqual({ type: 'error-ratio', query: 'sum by (service) (rate(http_requests_total{code="500"}[{{.window}}])) / sum by (service) (rate(http_requests_total[{{.window}}]))' });
    expect(grouped.window.label).toBe('14d');
    expect(grouped.alerting?.name).toBe('HttpErrorBudgetBurn');
    expect(grouped.alerting?.absent).toBeUndefined();
    const [latency] = slos('pyrra/latency.yaml') as [SloDefinition];
    expect(latency.sli).toEqual({
      type: 'ratio',
      good: 'sum(rate(http_request_duration_seconds_bucket{job="api",verb="GET",le="0.1"}[{{.window}}]))',
      total: 'sum(rate(http_request_duration_seconds_count{job="api",verb="GET"}[{{.window}}]))',
    });
    expect(latency.alerting?.page.labels).toEqual({ severity: 'page' });
    const [gauge] = slos('pyrra/bool-gauge.yaml') as [SloDefinition];
    expect(gauge.sli.type).toBe('error-ratio');
    const rules = generateRules([gauge], { page: true, ticket: true }).groups[0]!.rules;
    // alerting.disabled: recording rules and the absent alert only
    expect(rules.filter((r): r is AlertingRule => 'alert' in r).map((r) => [r.alert, r.labels.severity])).toEqual([['SLOMetricAbsent', 'critical']]);
    const pyrraRules = generateRules([checkout], { page: true, ticket: true, scheme: 'pyrra' }).groups[0]!.rules.filter((r): r is AlertingRule => 'alert' in r);
    expect(pyrraRules.map((r) => [r.alert, r.labels.severity, r.labels.long, r.labels.short, r.for])).toEqual([
      ['ErrorBudgetBurn', 'critical', '64m', '5m', '2m'],
      ['ErrorBudgetBurn', 'critical', '386m', '32m', '16m'],
      ['ErrorBudgetBurn', 'warning', '1543m', '129m', '64m'],
      ['ErrorBudgetBurn', 'warning', '6171m', '386m', '193m'],
      ['SLOMetricAbsent', 'critical', undefined, undefined, '3m'],
    ]);
  });

  it('refuses the unsupported ones, one message each, naming the format or feature', () => {
    const messages = (file: string) => checkSpecs(files('unsupported').filter((f) => f.file === file)).problems.map((p) => `${p.path}: ${p.message.replace(/ \(line \d+\)$/, '')}`);
    expect(messages('unsupported/openslo-datadog.yaml')).toEqual(['spec.indicator.spec.ratioMetric.good.metricSource.type: metric source type "Datadog" is not supported: relia reads Prometheus only']);
    expect(messages('unsupported/openslo-unsound.yaml')[0]).toMatch(/max\(\) does not commute with rate\(\)/);
    expect(messages('unsupported/pyrra-native-latency.yaml')).toEqual(['spec.indicator.latencyNative: latencyNative (native histograms) is not supported']);
    expect(messages('unsupported/sloth-plugins.yaml')).toEqual([
      'slo_plugins: Sloth SLO plugins are not supported: relia cannot run them',
      'slos[0].plugins: Sloth SLO plugins are not supported: relia cannot run them',
      'slos[0].sli.plugin: Sloth SLI plugins are not supported: relia cannot run them',
    ]);
    expect(messages('unsupported/openslo-v1alpha-threshold.yaml')).toEqual(['spec.indicator: indicator (thresholdMetric) is not supported in openslo/v1alpha: relia, like Sloth, reads only objectives[].ratioMetrics']);
    expect(messages('unsupported/sloth-windows.yaml')).toEqual(['kind: Sloth "AlertWindows" resources are not SLO specs relia reads: only PrometheusServiceLevel']);
    for (const f of files('unsupported')) for (const p of checkSpecs([f]).problems) expect(p.suggestion, `${f.file} ${p.message}`).toBeTruthy();
  });
});
