import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSlos } from '../../../../src/core/budget/evaluate.js';
import type { BudgetEvaluation } from '../../../../src/core/budget/evaluate-types.js';
import type { SloDefinition } from '../../../../src/core/budget/model.js';
import { defaultPolicy, mergePolicy } from '../../../../src/core/budget/policy.js';
import { escapeData, escapeProperty, githubAnnotations } from '../../../../src/core/budget/report-github.js';
import { junitReport, xmlEscape } from '../../../../src/core/budget/report-junit.js';
import { markdownReport, mdCell } from '../../../../src/core/budget/report-markdown.js';
import { budgetCell, burnCell, burnWindowsOf, checkLines, consumedCell, exhaustionCell, fastestBurnCell, nines, statusColumns, statusFootnotes } from '../../../../src/core/budget/report-table.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';

/** A counter's per-minute increments; fed to the metrics fake with MemoryMetrics.fromIncrements. */
type FakeSeries = { labels: Record<string, string>; increments: ArrayLike<number> };

const AT = Date.parse('2026-11-01T00:00:00Z');
const N = 31 * 1440;
const START = AT / 1000 - 31 * 86_400;
const fill = (f: (i: number) => number) => Float64Array.from({ length: N }, (_, i) => f(i));
const data: FakeSeries[] = [
  { labels: { __name__: 'req_total', service: 'ok', code: '200' }, increments: fill(() => 1000) },
  { labels: { __name__: 'req_total', service: 'ok', code: '500' }, increments: fill((i) => (i % 10 === 0 ? 1 : 0)) },
  { labels: { __name__: 'req_total', service: 'bad<&>', code: '200' }, increments: fill(() => 990) },
  { labels: { __name__: 'req_total', service: 'bad<&>', code: '500' }, increments: fill(() => 10) },
  { labels: { __name__: 'req_total', service: 'tiny', code: '200' }, increments: fill((i) => (i % 100 === 0 ? 1 : 0)) },
  { labels: { __name__: 'req_total', service: 'tiny', code: '500' }, increments: fill(() => 0) },
];
const slo = (service: string, name = 'availability'): SloDefinition => ({
  id: `${service}/${name}`,
  service,
  name,
  objective: 0.999,
  window: { type: 'rolling', seconds: 2_592_000, label: '30d' },
  budgeting: { method: 'occurrences' },
  sli: { type: 'ratio', bad: `sum(rate(req_total{service="${service}",code="500"}[{{.window}}]))`, total: `sum(rate(req_total{service="${service}"}[{{.window}}]))` },
  labels: {},
  source: { file: 'slos/a,b:c.yaml', path: '', format: 'relia' },
});

let ev: BudgetEvaluation;
beforeAll(async () => {
  const src = MemoryMetrics.fromIncrements(data, START, 60, { kind: 'prometheus' });
  // This fixture's no-data SLO passes (block.noData: false), to show how each report renders an unblocked no-data SLO.
  ev = await evaluateSlos([slo('ok'), slo('bad<&>', 'avail "x"'), slo('tiny')], src, { at: AT, policy: mergePolicy(defaultPolicy(), { block: { noData: false } }) });
  const ghost = await evaluateSlos([slo('ghost')], src, { at: AT, policy: defaultPolicy(), onUnavailable: 'pass' });
  const exc = await evaluateSlos([{ ...slo('bad<&>'), id: 'bad<&>/exc', name: 'exc' }], src, {
    at: AT,
    policy: mergePolicy(defaultPolicy(), { exceptions: [{ name: 'sec', labels: { type: 'sec' }, bypass: ['budget-exhausted', 'fast-burn'] }] }),
    changeLabels: { type: 'sec' },
  });
  ev = { ...ev, slos: [...ev.slos, ...ghost.slos, ...exc.slos], summary: { ...ev.summary, total: 5, unavailable: 1, pass: ev.summary.pass + 2 } };
});

describe('JUnit XML', () => {
  it('is valid XML with one testcase per SLO and the numbers in the failure message', () => {
    const xml = junitReport(ev, { durationSeconds: 1.5 });
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(doc.testsuites).toMatchObject({ tests: '5', failures: '1', errors: '0', skipped: '2', time: '1.500' });
    expect(suite.testcase).toHaveLength(5);
    const failed = suite.testcase.find((t: { failure?: unknown }) => t.failure);
    expect(failed.classname).toBe('bad<&>');
    expect(failed.name).toBe('avail "x"');
    expect(failed.failure.type).toBe('budget-exhausted,fast-burn');
    expect(failed.failure.message).toMatch(/^bad<&>\/avail "x" blocked: budget exhausted: -900% of the error budget remains .* \| SLI 99% over 30d \(objective 99\.9%\); budget remaining -900%; burn 5m 10x, 1h 10x/);
    expect(failed.failure['#text']).toContain('- budget exhausted');
    const skipped = suite.testcase.filter((t: { skipped?: unknown }) => t.skipped).map((t: { classname: string }) => t.classname);
    expect(skipped).toEqual(['tiny', 'ghost']);
    expect(suite.properties.property.find((p: { name: string }) => p.name === 'queries').value).toBe('6');
  });

  it('escapes markup and drops characters XML forbids', () => {
    expect(xmlEscape(`a<b>&"c"'\u0001\u0007d\n`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d\n');
    expect(xmlEscape('😀')).toBe('😀');
  });

  it('handles an empty run', () => {
    const xml = junitReport({ at: 'x', slos: [], summary: { total: 0, pass: 0, fail: 0, noData: 0, blocked: 0, unavailable: 0, invalid: 0 }, queries: 0 });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('tests="0"');
  });
});

describe('Markdown', () => {
  it('has a headline, a row per SLO and the reasons of notable SLOs', () => {
    const md = markdownReport(ev, { changeLabels: { type: 'sec' } });
    expect(md).toMatch(/^## Error budget check: ❌ blocked by 1 SLO\n/);
    expect(md).toContain('Change labels: `type=sec`.');
    expect(md).toContain('| SLO | Verdict | SLI | Objective | Budget remaining | Burn 5m | Burn 1h | Burn 6h | Burn 1d | Burn 3d | Exhausted in (1h / 6h) |');
    expect(md).toMatch(/^\| bad\\<&\\>\/avail "x" \| ❌ blocked \| 99% \| 99\.9% \| -900% \| 10× \| 10× \|/m);
    expect(md).toMatch(/^\| ghost\/availability \| ⚠️ unavailable \(passed\) \| n\/a \|/m);
    expect(md).toMatch(/^\| tiny\/availability \| ⚪ no data \|/m);
    expect(md).toMatch(/^\| bad\\<&\\>\/exc \| ✅ pass \(exception sec\) \|/m);
    expect(md).toContain('### Reasons');
    expect(mdCell('a|b\nc*')).toBe('a\\|b c\\*');
  });

  it('says passed when nothing blocks', () => {
    const ok = { ...ev, slos: ev.slos.filter((s) => !s.blocked), summary: { ...ev.summary, blocked: 0 } };
    expect(markdownReport(ok, { title: 'Gate' })).toMatch(/^## Gate: ✅ passed\n/);
  });
});

describe('GitHub annotations', () => {
  it('emits ::error for blocked SLOs and ::warning for no-data, unavailable and exceptions', () => {
    const lines = githubAnnotations(ev);
    expect(lines[0]).toMatch(/^::error file=slos\/a%2Cb%3Ac\.yaml,title=SLO bad<&>\/avail "x" blocks the deploy::budget exhausted: -900%25 of the error budget remains/);
    expect(lines[0]).toContain('%0ASLI 99%25 over 30d');
    expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(3);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(lines.find((l) => l.includes('SLO ok/'))).toBeUndefined();
  });

  it('escapes data and properties', () => {
    expect(escapeData('50%\r\nx')).toBe('50%25%0D%0Ax');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });
});

describe('table cells', () => {
  it('formats the status table', () => {
    const cols = statusColumns(burnWindowsOf(ev));
    expect(cols.map((c) => c.header)).toEqual(['SLO', 'VERDICT', 'REMAINING', 'FASTEST BURN', 'SLI', 'OBJECTIVE', 'WINDOW', 'EXHAUSTED IN (1h/6h)', 'CONSUMED', 'BUDGET', 'BUDGET TREND', 'BURN 5m', 'BURN 1h', 'BURN 6h', 'BURN 1d', 'BURN 3d']);
    const ok = ev.slos[0]!;
    const row = Object.fromEntries(cols.map((c) => [c.header, c.value(ok)]));
    expect(row).toMatchObject({ SLO: 'ok/availability', SLI: '99.99%', OBJECTIVE: '99.9%', BUDGET: '43,204 bad events', CONSUMED: '9.999% (4,320)', REMAINING: '90%', 'BURN 1h': '0.1×', VERDICT: 'pass' });
    expect(row['EXHAUSTED IN (1h/6h)']).toBe('270d / 270d');
    const ghost = ev.slos.find((s) => s.service === 'ghost')!;
    expect(cols[1]!.value(ghost)).toBe('pass (unavailable)');
    expect(row['FASTEST BURN']).toBe(`${burnCell(Math.max(...Object.values(ok.burnRates).filter((b): b is number => typeof b === 'number')))} ${Object.entries(ok.burnRates).reduce((a, b) => ((b[1] ?? -1) > (a[1] ?? -1) ? b : a))[0]}`);
    expect(fastestBurnCell({ ...ok, burnRates: { '5m': null, '1h': 2, '6h': 3.5 } })).toBe('3.5× 6h');
    expect(fastestBurnCell({ ...ok, burnRates: {} })).toBe('–');
    expect(budgetCell(ghost)).toBe('n/a');
    expect(consumedCell(ghost)).toBe('n/a');
    expect(nines(null)).toBe('n/a');
    expect(nines(0.99995)).toBe('99.995%');
    expect(exhaustionCell(0)).toBe('now');
    expect(exhaustionCell(null)).toBe('never');
    expect(budgetCell({ ...ghost, badMinutes: { allowed: 43.2, consumed: 1, remaining: 42.2 } })).toBe('43.2 bad min');
    expect(consumedCell({ ...ghost, consumed: 0.5, badMinutes: { allowed: 43.2, consumed: 21.6, remaining: 21.6 } })).toBe('50% (21.6 min)');
    // status and check use the same words
    expect(checkLines(ev).map((l) => l.verdict)).toEqual(ev.slos.map((s) => cols[1]!.value(s)));
    expect(checkLines(ev).map((l) => l.verdict)).toEqual(['pass', 'blocked', 'no-data', 'pass (unavailable)', 'pass']);
    const notes = statusFootnotes(ev);
    expect(notes.some((n) => n.startsWith(`${ev.slos.find((s) => s.verdict === 'no-data')!.id}: no-data: `))).toBe(true);
    expect(notes.every((n) => !n.startsWith('ok/availability:'))).toBe(true);
  });
});
