/**
 * `relia budget status` and `relia budget check`, run as the BUILT CLI
 * (npm run build first) against the real Prometheus holding the backfilled
 * 30-day history. Every expected number comes from the generator's
 * expected.json (docs/test-servers.md#expected-json), never from relia.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetCheckResult } from '../../commands/budget/check.js';
import type { BudgetStatusResult } from '../../commands/budget/status.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { relia, reliaJson, type RunOptions } from '../helpers/relia.js';
import { deadPort, servers } from '../helpers/servers.js';

type Slo = BudgetStatusResult['slos'][number];

const SERVICES = ['billing', 'checkout', 'playback', 'recommendations', 'search'] as const;
const BURN_WINDOWS = ['5m', '1h', '6h', '1d', '3d'] as const;
const OBJECTIVE = 0.999;
const BUDGET = 1 - OBJECTIVE;

const tmp = mkdtempSync(join(tmpdir(), 'relia-budget-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let expected: HistoryExpected;
let prom: string;
let END: string;
const slosDir = join(tmp, 'slos');

function spec(service: string, extra = ''): string {
  return `apiVersion: relia/v1
kind: SLO
service: ${service}
name: availability
objective: 99.9
window: 30d
sli:
  bad: sum(rate(http_requests_total{service="${service}",code="500"}[{{.window}}]))
  total: sum(rate(http_requests_total{service="${service}"}[{{.window}}]))
${extra}`;
}

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** No GitHub Actions environment leaks in from the machine running the tests. */
const clean: RunOptions = { env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined } };

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

beforeAll(() => {
  const info = servers();
  prom = info.prometheus.url;
  expected = JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected;
  END = expected.end;
  // One file per service in slosDir, and all five in one multi-document file.
  mkdirSync(slosDir, { recursive: true });
  for (const s of SERVICES) writeFileSync(join(slosDir, `${s}.yaml`), spec(s));
  writeFileSync(join(tmp, 'all.yaml'), SERVICES.map((s) => spec(s)).join('---\n'));
});

const byService = (slos: Slo[]) => Object.fromEntries(slos.map((s) => [s.service, s])) as Record<string, Slo>;

describe('relia budget status', () => {
  let result: BudgetStatusResult;
  beforeAll(async () => {
    const r = await reliaJson<BudgetStatusResult>(['budget', 'status', '--slo', join(tmp, 'all.yaml'), '--prometheus', prom, '--at', END], clean);
    expect(r.exitCode, r.stderr).toBe(0);
    result = r.json.result as BudgetStatusResult;
  });

  it('matches the generator: events, SLI and budget remaining over 30d', () => {
    const slos = byService(result.slos);
    for (const service of SERVICES) {
      const e = expected.services[service]!.windows['30d']!;
      const s = slos[service]!;
      expect(s.events?.total, service).toBe(e.total);
      expect(s.events?.bad, service).toBe(e.bad);
      expect(rel(s.sli!, 1 - e.bad / e.total), service).toBeLessThan(1e-12);
      expect(s.objective).toBe(OBJECTIVE);
      expect(s.window).toBe('30d');
      const consumed = e.bad / e.total / BUDGET;
      expect(rel(s.budgetRemaining!, 1 - consumed), service).toBeLessThan(1e-9);
      expect(rel(s.events!.allowedBad, BUDGET * e.total)).toBeLessThan(1e-12);
      expect(rel(s.badMinutes!.allowed, BUDGET * 30 * 1440)).toBeLessThan(1e-12);
    }
    // recommendations is overspent: the remaining budget goes negative.
    expect(slos.recommendations!.budgetRemaining!).toBeLessThan(0);
  });

  it('matches the generator: burn rates over 5m, 1h, 6h, 1d, 3d', () => {
    const slos = byService(result.slos);
    for (const service of SERVICES) {
      const s = slos[service]!;
      expect(Object.keys(s.burnRates)).toEqual([...BURN_WINDOWS]);
      for (const w of BURN_WINDOWS) {
        const e = expected.services[service]!.windows[w]!;
        const want = e.bad / e.total / BUDGET;
        if (want === 0) expect(s.burnRates[w], `${service} ${w}`).toBe(0);
        else expect(rel(s.burnRates[w]!, want), `${service} ${w}`).toBeLessThan(1e-9);
      }
    }
  });

  it('projects the time to exhaustion at the 1h and 6h burn', () => {
    const s = byService(result.slos).search!;
    const e = expected.services.search!.windows;
    const remaining = 1 - e['30d']!.bad / e['30d']!.total / BUDGET;
    for (const w of ['1h', '6h'] as const) {
      const burn = e[w]!.bad / e[w]!.total / BUDGET;
      expect(rel(s.exhaustion[w]!, (remaining * 30 * 86_400) / burn)).toBeLessThan(1e-6);
    }
    expect(byService(result.slos).recommendations!.exhaustion).toEqual({ '1h': 0, '6h': 0 });
  });

  it('finds the incidents in the range data and flags the postmortem', () => {
    const slos = byService(result.slos);
    const total30d = expected.services.checkout!.windows['30d']!.total;
    for (const inc of expected.services.checkout!.incidents) {
      const found = slos.checkout!.incidents.find((i) => Date.parse(i.start) <= inc.startUnix * 1000 && Date.parse(i.end) >= inc.endUnix * 1000);
      expect(found, inc.name).toBeDefined();
      // Hourly buckets: the incident's bucket also holds a few minutes of baseline errors.
      const share = inc.bad / (BUDGET * total30d);
      expect(found!.budgetShare).toBeGreaterThanOrEqual(share * 0.999);
      expect(found!.budgetShare).toBeLessThan(share * 1.01);
      expect(found!.badEvents!).toBeGreaterThanOrEqual(inc.bad);
    }
    const burst = expected.services.checkout!.incidents.find((i) => i.name === 'checkout-error-burst')!;
    expect(burst.bad / (BUDGET * total30d)).toBeGreaterThan(0.2);
    expect(slos.checkout!.postmortemRequired).toBe(true);
    const outage = expected.services.search!.incidents[0]!;
    expect(outage.bad / (BUDGET * expected.services.search!.windows['30d']!.total)).toBeLessThan(0.2);
    expect(slos.search!.postmortemRequired).toBe(false);
  });

  it('reads traffic quantiles from the same range data (close to the generator p90)', () => {
    const slos = byService(result.slos);
    for (const service of ['checkout', 'search', 'playback', 'recommendations'] as const) {
      expect(rel(slos[service]!.traffic.peak!, expected.services[service]!.perMinute.p90Rate), service).toBeLessThan(0.02);
    }
  });

  it('sends two queries per SLO', () => {
    expect(result.queries).toBe(10);
    for (const s of result.slos) expect(s.queries).toBe(2);
  });

  it('prints one row per SLO with a sparkline', async () => {
    const r = await relia(['budget', 'status', '--slo', join(tmp, 'all.yaml'), '--prometheus', prom, '--at', END], clean);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^SLO\s+WINDOW\s+SLI\s+OBJECTIVE\s+BUDGET\s+CONSUMED\s+REMAINING\s+BURN 5m\s+BURN 1h\s+BURN 6h\s+BURN 1d\s+BURN 3d/);
    for (const s of SERVICES) expect(r.stdout).toMatch(new RegExp(`^${s}/availability .*[▁▂▃▄▅▆▇█]{24}`, 'm'));
    expect(r.stdout).toMatch(/^recommendations\/availability .* -421\.1% .* now \/ now/m);
    expect(r.stdout).toContain('as of 2026-11-01T00:00:00Z · 10 queries');
  });

  it('gives the same numbers for the same SLO in all three spec formats', async () => {
    const results = [];
    for (const f of ['relia.yaml', 'openslo.yaml', 'sloth.yaml']) {
      const r = await reliaJson<BudgetStatusResult>(['budget', 'status', '--slo', `docs/examples/slo/checkout/${f}`, '--prometheus', prom, '--at', END], clean);
      expect(r.exitCode, r.stderr).toBe(0);
      results.push(r.json.result!.slos[0]!);
    }
    const e = expected.services.checkout!.windows['30d']!;
    for (const s of results) {
      expect(s.events?.total).toBe(e.total);
      expect(s.events?.bad).toBe(e.bad);
      expect(s.sli).toBe(results[0]!.sli);
      expect(s.budgetRemaining).toBe(results[0]!.budgetRemaining);
      expect(s.burnRates).toEqual(results[0]!.burnRates);
      expect(s.source.format).toBeDefined();
    }
    expect(results.map((s) => s.source.format)).toEqual(['relia', 'openslo', 'sloth']);
  });
});

describe('relia budget check', () => {
  it('exit 1: recommendations is blocked (budget exhausted, fast burn); billing is no-data, which blocks unless --allow-no-data; the rest pass', async () => {
    const strict = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(tmp, 'all.yaml'), '--prometheus', prom, '--at', END], clean);
    expect(strict.exitCode, strict.stderr).toBe(1);
    expect(strict.json.error?.message).toBe('deploy blocked by 2 SLOs: billing/availability, recommendations/availability');
    const billing = byService(strict.json.result!.slos).billing!;
    expect(billing).toMatchObject({ verdict: 'no-data', blocked: true, blocks: ['no-data'] });
    expect(billing.reasons.join('\n')).toContain('--allow-no-data');
    expect(strict.json.result!.summary).toEqual({ total: 5, pass: 3, fail: 1, noData: 1, blocked: 2, unavailable: 0, invalid: 0 });

    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(tmp, 'all.yaml'), '--prometheus', prom, '--at', END, '--allow-no-data'], clean);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.json.error?.message).toBe('deploy blocked by 1 SLO: recommendations/availability');
    const res = r.json.result!;
    expect(res.passed).toBe(false);
    const slos = byService(res.slos);
    expect(slos.search!.verdict).toBe('pass');
    expect(slos.checkout!.verdict).toBe('pass');
    expect(slos.playback!.verdict).toBe('pass');
    expect(slos.billing!.verdict).toBe('no-data');
    expect(slos.billing!.blocked).toBe(false);
    expect(slos.billing!.reasons[0]).toBe(`no data: ${expected.services.billing!.windows['30d']!.total} events in 30d, fewer than minEvents 100000`);
    const rec = slos.recommendations!;
    expect(rec.verdict).toBe('fail');
    expect(rec.blocked).toBe(true);
    expect(rec.blocks).toEqual(['budget-exhausted', 'fast-burn']);
    const w = expected.services.recommendations!.windows;
    const burn = (win: string) => w[win]!.bad / w[win]!.total / BUDGET;
    expect(burn('1h')).toBeGreaterThan(14.4);
    expect(burn('5m')).toBeGreaterThan(14.4);
    expect(rel(rec.fastBurn[0]!.longBurn!, burn('1h'))).toBeLessThan(1e-9);
    expect(rec.fastBurn[0]).toMatchObject({ long: '1h', short: '5m', factor: 14.4, firing: true });
    expect(rec.reasons[0]).toMatch(/^budget exhausted: -4\d\d(\.\d+)?% of the error budget remains/);
    expect(rec.reasons[1]).toMatch(/^fast burn: burn 99\.\d× over 1h and 99\.\d× over 5m > 14\.4×/);
    expect(res.summary).toEqual({ total: 5, pass: 3, fail: 1, noData: 1, blocked: 1, unavailable: 0, invalid: 0 });
  });

  it('exit 0: search passes', async () => {
    const r = await relia(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', prom, '--at', END], clean);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pass\s+search\/availability$/m);
    expect(r.stdout).toMatch(/^PASS: 1 SLOs, 1 pass, 0 fail, 0 no data \(as of 2026-11-01T00:00:00Z, 2 queries\)$/m);
  });

  it('exit 1 (human): prints the blocked SLO and its reasons', async () => {
    const r = await relia(['budget', 'check', '--slo', slosDir, '--service', 'recommendations', '--prometheus', prom, '--at', END], clean);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^blocked\s+recommendations\/availability$/m);
    expect(r.stdout).toMatch(/^BLOCKED: /m);
  });

  it('writes JUnit XML (valid, one testcase per SLO, numbers in the failure), Markdown, the step summary and annotations', async () => {
    const junit = join(tmp, 'reports', 'budget.xml');
    const md = join(tmp, 'reports', 'budget.md');
    const summary = file('step-summary.md', '# earlier step\n');
    const r = await relia(['budget', 'check', '--slo', join(tmp, 'all.yaml'), '--prometheus', prom, '--at', END, '--junit', junit, '--markdown', md, '--allow-no-data'], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.exitCode, r.stderr).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { tests: string; failures: string; skipped: string; testcase: Array<{ classname: string; name: string; failure?: { message: string; type: string }; skipped?: { message: string } }> } };
    };
    const suite = doc.testsuites.testsuite;
    expect(suite.tests).toBe('5');
    expect(suite.failures).toBe('1');
    expect(suite.skipped).toBe('1');
    expect(suite.testcase.map((t) => `${t.classname}/${t.name}`)).toEqual(SERVICES.map((s) => `${s}/availability`));
    const rec = suite.testcase.find((t) => t.classname === 'recommendations')!;
    expect(rec.failure?.type).toBe('budget-exhausted,fast-burn');
    expect(rec.failure?.message).toMatch(/budget remaining -421\.1%/);
    expect(rec.failure?.message).toMatch(/SLI 99\.479% over 30d \(objective 99\.9%\)/);
    expect(rec.failure?.message).toContain(`events ${expected.services.recommendations!.windows['30d']!.total}, bad ${expected.services.recommendations!.windows['30d']!.bad}`);
    expect(suite.testcase.find((t) => t.classname === 'billing')!.skipped?.message).toMatch(/no data/);
    expect(suite.testcase.find((t) => t.classname === 'search')!.failure).toBeUndefined();

    const mdText = readFileSync(md, 'utf8');
    expect(mdText).toMatch(/^## Error budget check: ❌ blocked by 1 SLO$/m);
    expect(mdText).toMatch(/^\| recommendations\/availability \| ❌ blocked \| 99\.479% \| 99\.9% \| -421\.1% \|/m);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${mdText}`);

    expect(r.stdout).toMatch(/^::error file=.*all\.yaml,title=SLO recommendations\/availability blocks the deploy::budget exhausted: .*%0Afast burn: /m);
    expect(r.stdout).toMatch(/^::warning file=.*,title=SLO billing\/availability%3A no data::no data: /m);
  });

  it('under --json with GITHUB_ACTIONS, annotations go to stderr and stdout stays one JSON document', async () => {
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'recommendations.yaml'), '--prometheus', prom, '--at', END], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: undefined },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^::error /m);
  });

  it('exception: a labelled change gets through a frozen budget when the policy allows it', async () => {
    const policy = file(
      'policy-exception.yaml',
      `exceptions:\n  - name: security-fix\n    labels: {type: security-fix}\n    bypass: [budget-exhausted, fast-burn]\n  - labels: {type: hotfix}\n`,
    );
    const base = ['budget', 'check', '--slo', join(slosDir, 'recommendations.yaml'), '--prometheus', prom, '--at', END, '--policy', policy];
    const ok = await reliaJson<BudgetCheckResult>([...base, '--change-label', 'type=security-fix'], clean);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const s = ok.json.result!.slos[0]!;
    expect(s).toMatchObject({ verdict: 'pass', blocked: false, exception: 'security-fix', bypassed: ['budget-exhausted', 'fast-burn'] });
    expect(ok.json.result!.changeLabels).toEqual({ type: 'security-fix' });
    // The hotfix exception only bypasses budget-exhausted (the default): the fast burn still blocks.
    const hot = await reliaJson<BudgetCheckResult>([...base, '--change-label', 'type=hotfix'], clean);
    expect(hot.exitCode).toBe(1);
    expect(hot.json.result!.slos[0]!.bypassed).toEqual(['budget-exhausted']);
    const none = await relia([...base, '--change-label', 'type=feature'], clean);
    expect(none.exitCode).toBe(1);
    // Without a policy that allows it, the label changes nothing.
    const nopolicy = await relia(['budget', 'check', '--slo', join(slosDir, 'recommendations.yaml'), '--prometheus', prom, '--at', END, '--change-label', 'type=security-fix'], clean);
    expect(nopolicy.exitCode).toBe(1);
  });

  it('no-data blocks by default; a policy with block.noData: false lets it pass', async () => {
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'billing.yaml'), '--prometheus', prom, '--at', END], clean);
    expect(r.exitCode).toBe(1);
    expect(r.json.result!.slos[0]).toMatchObject({ verdict: 'no-data', blocked: true, blocks: ['no-data'] });
    const policy = file('policy-nodata.yaml', 'block:\n  noData: false\n');
    const lax = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'billing.yaml'), '--prometheus', prom, '--at', END, '--policy', policy], clean);
    expect(lax.exitCode).toBe(0);
    expect(lax.json.result!.slos[0]).toMatchObject({ verdict: 'no-data', blocked: false });
  });

  it('dynamic budgets: during the playback traffic peak the fast-burn factors are halved', async () => {
    const peak = expected.playbackPeak;
    const at = new Date((peak.startUnix + 3 * 3600) * 1000).toISOString();
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'playback.yaml'), '--prometheus', prom, '--at', at], clean);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = r.json.result!.slos[0]!;
    expect(s.traffic.tier).toBe('peak');
    expect(s.traffic.current!).toBeGreaterThan(2 * expected.services.playback!.perMinute.p90Rate);
    expect(s.traffic.multiplier).toBe(0.5);
    expect(s.fastBurn.map((c) => c.factor)).toEqual([7.2, 3]);
    expect(s.reasons).toContain('dynamic budget: peak traffic, fast-burn factors ×0.5');
    // The peak's 0.3 % errors burn at 3× a 99.9 % budget: a peak policy of ×0.4 (5.76× and 2.4×) pages on the 6h/30m pair.
    const policy = file('policy-peak.yaml', 'dynamic:\n  peak: {quantile: 0.9, factor: 0.4}\n');
    const strict = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'playback.yaml'), '--prometheus', prom, '--at', at, '--policy', policy], clean);
    expect(strict.exitCode).toBe(1);
    expect(strict.json.result!.slos[0]!.fastBurn[1]).toMatchObject({ long: '6h', short: '30m', factor: 2.4, firing: true });
    // At END traffic is normal again.
    const end = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'playback.yaml'), '--prometheus', prom, '--at', END], clean);
    expect(end.json.result!.slos[0]!.traffic.tier).toBe('normal');
  });

  it('exit 2: bad spec, bad flag, bad policy, bad change label', async () => {
    const badSpec = file('bad.yaml', spec('checkout').replace('objective: 99.9', 'objective: 0.999'));
    const a = await reliaJson(['budget', 'check', '--slo', badSpec, '--prometheus', prom], clean);
    expect(a.exitCode).toBe(2);
    expect(a.json.error?.message).toMatch(/objective/);
    const b = await reliaJson(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', prom, '--at', 'yesterday'], clean);
    expect(b.exitCode).toBe(2);
    expect(b.json.error?.message).toMatch(/^--at: expected an RFC 3339 time/);
    const policy = file('bad-policy.yaml', 'minEvents: -3\nblock: {fastburn: true}\n');
    const c = await reliaJson(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', prom, '--policy', policy], clean);
    expect(c.exitCode).toBe(2);
    expect(c.json.error?.message).toContain('block: unknown field "fastburn"');
    expect(c.json.error?.message).toContain('minEvents: expected 0 or more');
    const d = await reliaJson(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', prom, '--change-label', 'security-fix'], clean);
    expect(d.exitCode).toBe(2);
    const e = await reliaJson(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', prom, '--on-unavailable', 'maybe'], clean);
    expect(e.exitCode).toBe(2);
    const f = await reliaJson(['budget', 'status', '--slo', join(tmp, 'nope.yaml'), '--prometheus', prom], clean);
    expect(f.exitCode).toBe(2);
    const g = file('bad-override.yaml', spec('search', 'policy:\n  minEvent: 10\n'));
    const h = await reliaJson(['budget', 'check', '--slo', g, '--prometheus', prom], clean);
    expect(h.exitCode).toBe(2);
    expect(h.json.error?.message).toContain('policy: unknown field "minEvent"');
  });

  it('exit 3: Prometheus unreachable (fail closed), naming the SLO and the query', async () => {
    const port = await deadPort();
    const r = await reliaJson(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', `http://127.0.0.1:${port}`, '--at', END], clean);
    expect(r.exitCode).toBe(3);
    expect(r.json.error?.message).toMatch(/^SLO search\/availability: Prometheus at http:\/\/127\.0\.0\.1:\d+ did not answer query "label_replace\(/);
    const s = await relia(['budget', 'status', '--slo', join(slosDir, 'search.yaml'), '--prometheus', `http://127.0.0.1:${port}`, '--at', END], clean);
    expect(s.exitCode).toBe(3);
  });

  it('exit 3: a query with no series', async () => {
    const ghost = file('ghost.yaml', spec('search').replaceAll('http_requests_total', 'no_such_requests_total'));
    const r = await reliaJson(['budget', 'check', '--slo', ghost, '--prometheus', prom, '--at', END], clean);
    expect(r.exitCode).toBe(3);
    expect(r.json.error?.message).toBe(
      'SLO search/availability: query returned no series over 30d at 2026-11-01T00:00:00Z: sum(rate(no_such_requests_total{service="search"}[30d]))',
    );
  });

  it('--on-unavailable pass: a warning and a pass', async () => {
    const port = await deadPort();
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', join(slosDir, 'search.yaml'), '--prometheus', `http://127.0.0.1:${port}`, '--at', END, '--on-unavailable', 'pass'], clean);
    expect(r.exitCode).toBe(0);
    expect(r.json.warnings[0]).toMatch(/^SLO search\/availability: metrics unavailable, passed because of --on-unavailable pass: /);
    expect(r.json.result!.slos[0]).toMatchObject({ verdict: 'pass', blocked: false });
    expect(r.json.result!.summary.unavailable).toBe(1);
  });
});

describe('a third-party metrics provider (test/fixtures/plugin-fake-metrics)', () => {
  it('budget status and check run through a linked plugin, one query per window and part', async () => {
    const dirs = { RELIA_DATA_DIR: join(tmp, 'plugin-data'), RELIA_CACHE_DIR: join(tmp, 'plugin-cache'), RELIA_CONFIG_DIR: join(tmp, 'plugin-config') };
    const env = { ...clean.env, ...dirs };
    const link = await relia(['plugins', 'link', 'test/fixtures/plugin-fake-metrics', '--no-install'], { env });
    expect(link.exitCode, link.stderr).toBe(0);
    // 1000 requests/s and 0.5 errors/s in every window: error ratio 0.05 %, burn 0.5 against 99.9 %.
    const series: Record<string, number> = {};
    for (const w of ['30d', '5m', '30m', '1h', '6h', '1d', '3d']) {
      series[`sum(rate(app_requests_total[${w}]))`] = 1000;
      series[`sum(rate(app_requests_total{code="500"}[${w}]))`] = 0.5;
    }
    const config = file(
      'fake-metrics.config.yaml',
      `defaultEnvironment: fake\nenvironments:\n  fake:\n    metrics:\n      provider: fakemetrics\n      url: http://127.0.0.1:1\n      options:\n        series: ${JSON.stringify(series)}\n`,
    );
    const specFile = file(
      'fake-metrics.slo.yaml',
      'apiVersion: relia/v1\nkind: SLO\nservice: app\nname: availability\nobjective: 99.9\nwindow: 30d\nsli:\n  bad: sum(rate(app_requests_total{code="500"}[{{.window}}]))\n  total: sum(rate(app_requests_total[{{.window}}]))\n',
    );
    const r = await reliaJson<BudgetStatusResult>(['budget', 'status', '--slo', specFile, '--config', config, '--at', END], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const s = r.json.result!.slos[0]!;
    expect(s.queries).toBe(16);
    expect(s.events).toMatchObject({ total: 1000 * 30 * 86_400, bad: 0.5 * 30 * 86_400 });
    expect(s.budgetRemaining).toBeCloseTo(0.5, 12);
    expect(s.burnRates['1h']).toBeCloseTo(0.5, 12);
    const c = await relia(['budget', 'check', '--slo', specFile, '--config', config, '--at', END], { env });
    expect(c.exitCode, c.stderr).toBe(0);
  });
});
