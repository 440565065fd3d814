/**
 * One SLO, checkout availability at 99.9 % over 30d, written in every format
 * relia reads (test/fixtures/peer-specs/): `relia budget check` on the real
 * Prometheus with the backfilled 30-day history gives the same numbers
 * whichever format, and they are the generator's (expected.json). The
 * OpenSLO spec's queries have no range (counter: true) and are rewritten by
 * relia; the Pyrra spec gives bare selectors.
 *
 * OpenSLO v1alpha as Sloth reads it has good/total only (no bad): relia then
 * counts bad = total − good, which differs from a queried bad rate in the last
 * binary digits. So the v1alpha form equals exactly the same SLO written with
 * good/total in relia's native format, and the error-event formats in every
 * count and verdict, with ratios equal to 1e-12.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetCheckResult } from '../../commands/budget/check.js';
import type { BudgetValidateResult } from '../../commands/budget/validate.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { relia, reliaJson } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const PEER = 'test/fixtures/peer-specs';

const FORMATS: Record<string, string> = {
  relia: 'docs/examples/slo/checkout/relia.yaml',
  sloth: `${PEER}/sloth/checkout.yaml`,
  'sloth-k8s': `${PEER}/sloth/checkout-k8s.yaml`,
  'openslo-windowless': `${PEER}/openslo/checkout.yaml`,
  'openslo-explicit': `${PEER}/openslo/explicit-window.yaml`,
  pyrra: `${PEER}/pyrra/checkout.yaml`,
};

/** The same SLO with good events, as the v1alpha form has them. */
const tmp = mkdtempSync(join(tmpdir(), 'relia-peer-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const RELIA_GOOD = join(tmp, 'relia-good.yaml');
writeFileSync(
  RELIA_GOOD,
  readFileSync(FORMATS.relia!, 'utf8').replace(/^ {2}bad: (.*)code="500"(.*)$/m, '  good: $1code!="500"$2'),
);
const GOOD_FORMATS: Record<string, string> = {
  'relia-good': RELIA_GOOD,
  'openslo-v1alpha': `${PEER}/openslo/v1alpha-checkout.yaml`,
};

type Slo = BudgetCheckResult['slos'][number];
const numbers = (s: Slo) => ({
  objective: s.objective,
  window: s.window,
  sli: s.sli,
  events: s.events,
  budgetRemaining: s.budgetRemaining,
  burnRates: s.burnRates,
  exhaustion: s.exhaustion,
  verdict: s.verdict,
});

describe('budget check: the same SLO in every format gives the same numbers', () => {
  let prom: string;
  let expected: HistoryExpected;
  const results: Record<string, Slo> = {};

  beforeAll(async () => {
    const info = servers();
    prom = info.prometheus.url;
    expected = JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected;
    expect(readFileSync(RELIA_GOOD, 'utf8')).toContain('good: sum(rate(http_requests_total{service="checkout",code!="500"}[{{.window}}]))');
    for (const [format, file] of Object.entries({ ...FORMATS, ...GOOD_FORMATS })) {
      const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', file, '--prometheus', prom, '--at', expected.end]);
      expect([0, 1], `${format}: ${r.stderr}`).toContain(r.exitCode);
      const slos = r.json.result!.slos;
      expect(slos, format).toHaveLength(1);
      results[format] = slos[0]!;
    }
  });

  it('agrees exactly across relia, Sloth (file and Kubernetes resource), OpenSLO (windowless and explicit) and Pyrra', () => {
    const reference = numbers(results.relia!);
    for (const format of Object.keys(FORMATS)) expect(numbers(results[format]!), format).toEqual(reference);
  });

  it('OpenSLO v1alpha (good/total, as Sloth reads it) agrees exactly with the same good/total SLO in relia’s format', () => {
    expect(numbers(results['openslo-v1alpha']!)).toEqual(numbers(results['relia-good']!));
  });

  it('and with the error-event formats: every count and verdict exactly, every ratio to 1e-12', () => {
    const reference = numbers(results.relia!);
    const close = (a: number | null | undefined, b: number | null | undefined, what: string) => {
      expect(typeof a, what).toBe(typeof b);
      if (typeof a === 'number' && typeof b === 'number') expect(Math.abs(a - b) / Math.max(Math.abs(b), 1e-300), what).toBeLessThan(1e-12);
    };
    for (const format of Object.keys(GOOD_FORMATS)) {
      const got = numbers(results[format]!);
      expect([got.objective, got.window, got.events, got.verdict], format).toEqual([reference.objective, reference.window, reference.events, reference.verdict]);
      close(got.sli, reference.sli, `${format} sli`);
      close(got.budgetRemaining, reference.budgetRemaining, `${format} budgetRemaining`);
      expect(Object.keys(got.burnRates).sort(), format).toEqual(Object.keys(reference.burnRates).sort());
      for (const w of Object.keys(reference.burnRates)) close(got.burnRates[w], reference.burnRates[w], `${format} burn ${w}`);
      expect(Object.keys(got.exhaustion ?? {}).sort(), format).toEqual(Object.keys(reference.exhaustion ?? {}).sort());
      for (const w of Object.keys(reference.exhaustion ?? {})) close(got.exhaustion?.[w], reference.exhaustion?.[w], `${format} exhaustion ${w}`);
    }
  });

  it('and the numbers are the generator’s', () => {
    const e = expected.services.checkout!.windows['30d']!;
    const s = results['openslo-windowless']!;
    expect(s.events?.total).toBe(e.total);
    expect(s.events?.bad).toBe(e.bad);
    expect(Math.abs(s.sli! - (1 - e.bad / e.total))).toBeLessThan(1e-12);
    const h = expected.services.checkout!.windows['1h']!;
    expect(Math.abs(s.burnRates['1h']! - h.bad / h.total / 0.001) / Math.max(1e-300, h.bad / h.total / 0.001)).toBeLessThan(1e-9);
  });
});

describe('the peer-spec corpus through the CLI: budget validate, and budget rules that promtool accepts', () => {
  const dirs = ['sloth', 'openslo', 'pyrra'].map((d) => `${PEER}/${d}`);
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => `${d}/${f}`)).sort();

  let validated: BudgetValidateResult;

  beforeAll(async () => {
    const r = await reliaJson<BudgetValidateResult>(['budget', 'validate', ...dirs]);
    expect(r.exitCode, r.stderr).toBe(0);
    validated = r.json.result!;
  });

  it('validates every accepted file, each giving at least one SLO', () => {
    const result = validated;
    expect(result.valid).toBe(true);
    expect([...result.files].sort()).toEqual(files);
    expect([...new Set(result.slos.map((s) => s.file))].sort()).toEqual(files);
    expect(new Set(result.slos.map((s) => s.format))).toEqual(new Set(['sloth', 'openslo', 'pyrra']));
  });

  for (const scheme of ['sloth', 'pyrra'] as const) {
    it(`writes rules for every SLO that promtool check rules accepts (--burn-scheme ${scheme})`, async () => {
      const out = join(tmp, `corpus.${scheme}.rules.yaml`);
      const r = await relia(['budget', 'rules', ...dirs.flatMap((d) => ['--slo', d]), '--burn-scheme', scheme, '--out', out]);
      expect(r.exitCode, r.stderr).toBe(0);
      const check = await execa('/usr/bin/promtool', ['check', 'rules', out], { reject: false });
      expect(check.exitCode, `${check.stdout}\n${check.stderr}`).toBe(0);
      const text = readFileSync(out, 'utf8');
      // The scheme reaches the rules: Pyrra's conditions are separate alerts with long/short labels and for:.
      if (scheme === 'pyrra') expect(text).toMatch(/\n {10}long: 64m\n {10}short: 5m\n[^]*?\n {8}for: 2m\n/);
      else expect(text).not.toMatch(/\n {10}long: /);
      for (const { id } of validated.slos) {
        const [service, name] = id.split('/') as [string, string];
        expect(text, id).toContain(`relia_service: ${service}`);
        expect(text, id).toContain(`relia_slo: ${name}\n`);
      }
    }, 120_000);
  }
});

describe('a grouped Pyrra SLO in budget check: the worst group, without event counts (docs/budget-specs.md#pyrra)', () => {
  it('gives the SLI of the service with the highest 30d error ratio, and no events', async () => {
    const info = servers();
    const expected = JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected;
    const spec = join(tmp, 'grouping-30d.yaml');
    writeFileSync(spec, readFileSync(`${PEER}/pyrra/grouping.yaml`, 'utf8').replace('window: 2w', 'window: 30d'));
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', spec, '--prometheus', info.prometheus.url, '--at', expected.end]);
    expect([0, 1], r.stderr).toContain(r.exitCode);
    const [slo] = r.json.result!.slos as [Slo];
    const ratios = Object.values(expected.services).map((svc) => svc.windows['30d']!.bad / svc.windows['30d']!.total);
    expect(Math.abs(slo.sli! - (1 - Math.max(...ratios)))).toBeLessThan(1e-12);
    expect(slo.events).toBeNull();
  }, 120_000);
});
