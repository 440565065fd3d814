/**
 * `relia risk score | history | register | simulate`, the BUILT CLI on the
 * shipped examples (docs/examples/risk/). Every expected number is worked out
 * by hand in the comments from the example files, never taken from relia.
 * No servers are needed; temp files live in one temp dir.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { RiskHistoryResult } from '../../commands/risk/history.js';
import type { RiskRegisterResult } from '../../commands/risk/register.js';
import type { RiskScoreResult } from '../../commands/risk/score.js';
import type { RiskSimulateResult } from '../../commands/risk/simulate.js';
import { BIN, ROOT, relia, reliaJson } from '../helpers/relia.js';

const EX = 'docs/examples/risk';
const REGISTER = `${EX}/register.yaml`;
const INCIDENTS = `${EX}/incidents.csv`;
const PAGERDUTY = `${EX}/incidents-pagerduty.csv`;
const PD_MAP = 'severity=urgency,started=created_at,detected=acknowledged_at,resolved=resolved_at';
const YEAR_MIN = 365.25 * 1440; // 525,960
const AS_OF = '2026-11-01T00:00:00Z';

const tmp = mkdtempSync(join(tmpdir(), 'relia-risk-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const ESC = String.fromCharCode(27);
const SPARK = /[▁▂▃▄▅▆▇█]/;

async function score(args: string[]) {
  const r = await reliaJson<RiskScoreResult>(['risk', 'score', ...args]);
  expect(r.exitCode, r.stderr).toBe(0);
  const result = r.json.result as RiskScoreResult;
  return { result, risk: (name: string) => result.risks.find((x) => x.name === name) as RiskScoreResult['risks'][number], warnings: r.json.warnings };
}

describe('relia risk score (CRE)', () => {
  it('ranks the example register against a 99.9 % budget as computed by hand', async () => {
    const { result, risk } = await score(['--register', REGISTER, '--objective', '99.9']);
    // budget = (1 − 0.999) × 525,960 = 525.96 min/year
    expect(result.budgetMinutesPerYear).toBeCloseTo(525.96, 9);
    expect(result.objectiveSource).toBe('--objective');
    // cloud-region-outage: (10 + 600) × 1.0 = 610 min per occurrence; ETTF 3y → 1/3 a year → 203.333 min/y
    const cloud = risk('cloud-region-outage');
    expect(cloud.perOccurrenceMinutes).toBeCloseTo(610, 9);
    expect(cloud.badMinutesPerYear).toBeCloseTo(610 / 3, 9);
    expect(cloud.budgetShare).toBeCloseTo(610 / 3 / 525.96, 9); // 38.66 %
    expect(cloud.untenable).toBe(true); // 610 > 525.96: one occurrence blows the year
    // cdn-edge-outage: (5 + 40) × 0.3 = 13.5; 365.25 / 45 = 8.11667 a year → 109.575
    expect(risk('cdn-edge-outage').badMinutesPerYear).toBeCloseTo(13.5 * (365.25 / 45), 9);
    expect(risk('cdn-edge-outage').untenable).toBe(false);
    // drm-license-outage: (5 + 60) × 0.5 = 32.5 × 365.25/120 = 98.921875
    expect(risk('drm-license-outage').badMinutesPerYear).toBeCloseTo(98.921875, 9);
    // account-schema-migration-lock: (10 + 120) × 0.3 = 39 × 2/y = 78
    expect(risk('account-schema-migration-lock').badMinutesPerYear).toBeCloseTo(78, 9);
    // catalog-db-primary-failure: (3 + 20) × 0.6 = 13.8 × 365.25/180 = 28.0025
    expect(risk('catalog-db-primary-failure').badMinutesPerYear).toBeCloseTo(28.0025, 9);
    // catalog-cache-stampede: (5 + 20) × 0.15 = 3.75 × 6 = 22.5
    expect(risk('catalog-cache-stampede').badMinutesPerYear).toBeCloseTo(22.5, 9);
    // total: 203.3333 + 109.575 + 98.921875 + 78 + 52.5 + 43.2 + 39.2 + 30 + 30 + 28.0025 + 22.5 = 735.2327
    expect(result.totalBadMinutesPerYear).toBeCloseTo(735.232708, 5);
    expect(result.overBudget).toBe(true);
    // running total 203.3, 312.9, 411.8, 489.8, 542.3 > 525.96 → the top five
    expect(result.overBudgetSet).toEqual(['cloud-region-outage', 'cdn-edge-outage', 'drm-license-outage', 'account-schema-migration-lock', 'origin-shield-overload']);
    // from the bottom: 22.5 … + 98.92 = 422.32 ≤ 525.96, + 109.575 = 531.9 > 525.96 → nine fit
    expect(result.acceptableCount).toBe(9);
    expect(result.risks.map((r) => r.acceptable)).toEqual([false, false, true, true, true, true, true, true, true, true, true]);
    expect(result.untenableCount).toBe(1);
    // ties (30 min/y) are broken by name
    expect(result.risks.map((r) => r.name).slice(7, 9)).toEqual(['cdn-certificate-expiry', 'identity-provider-outage']);
  });

  it('prints a readable table with the acceptable line, no colour off a TTY', async () => {
    const r = await relia(['risk', 'score', '-r', REGISTER, '--objective', '99.9'], { env: { NO_COLOR: undefined } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.includes(`${ESC}[`)).toBe(false);
    expect(r.stdout).toContain('525.96 min/year (objective 99.9% from --objective)');
    expect(r.stdout).toContain('735.2 bad min/year = 139.8% of the budget: over budget');
    const lines = r.stdout.split('\n');
    const line = lines.findIndex((l) => l.includes('── acceptable line ──'));
    expect(lines[line - 1]).toMatch(/^\s*2\s+cdn-edge-outage/);
    expect(lines[line + 1]).toMatch(/^\s*3\s+drm-license-outage/);
    expect(r.stdout).toMatch(/untenable: cloud-region-outage costs 610\.0 bad minutes in ONE occurrence/);
    expect(r.stdout).toContain('over-budget set: the top 5 together exceed the budget');
  });

  it('takes the objective from the register, --slo-file (budget family) and --slo-id', { timeout: 120_000 }, async () => {
    const own = await score(['-r', REGISTER]);
    expect(own.result.objective).toBeCloseTo(0.999, 12);
    expect(own.result.objectiveSource).toBe('register');
    const spec = await score(['-r', REGISTER, '--slo-file', `${EX}/playback-slo.yaml`]);
    expect(spec.result.objectiveSource).toBe(`${EX}/playback-slo.yaml playback/availability`);
    expect(spec.result.budgetMinutesPerYear).toBeCloseTo(525.96, 9);
    // 99.95 %: 0.0005 × 525,960 = 262.98
    const strict = await score(['-r', REGISTER, '--objective', '99.95%']);
    expect(strict.result.budgetMinutesPerYear).toBeCloseTo(262.98, 9);
    const two = file(
      'two-slos.yaml',
      ['checkout', 'search']
        .map((s) => `apiVersion: relia/v1\nkind: SLO\nservice: ${s}\nname: availability\nobjective: ${s === 'checkout' ? '99.95' : '99.5'}\nwindow: 28d\nsli:\n  bad: sum(rate(e{s="${s}"}[{{.window}}]))\n  total: sum(rate(t{s="${s}"}[{{.window}}]))\n`)
        .join('---\n'),
    );
    const ambiguous = await reliaJson(['risk', 'score', '-r', REGISTER, '--slo-file', two]);
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.json.error?.message).toContain('holds 2 SLOs (checkout/availability, search/availability)');
    expect(ambiguous.json.error?.field).toBe('--slo-id');
    // search at 99.5 %: 0.005 × 525,960 = 2629.8
    const picked = await score(['-r', REGISTER, '--slo-file', two, '--slo-id', 'search/availability']);
    expect(picked.result.budgetMinutesPerYear).toBeCloseTo(2629.8, 9);
    expect(picked.result.overBudget).toBe(false);
    const minimal = await reliaJson(['risk', 'score', '-r', `${EX}/minimal.yaml`]);
    expect(minimal.exitCode).toBe(2);
    expect(minimal.json.error?.suggestions.join(' ')).toContain('--objective 99.9');
    const both = await relia(['risk', 'score', '-r', REGISTER, '--objective', '99.9', '--slo-file', `${EX}/playback-slo.yaml`]);
    expect(both.exitCode).toBe(2);
  });

  it('scores the minimal form from the issue', async () => {
    const { result } = await score(['-r', `${EX}/minimal.yaml`, '--objective', '99.9']);
    // (5 + 30) × 0.2 = 7 min per occurrence × 365.25/90 = 28.4083 min/y = 5.40 % of 525.96
    expect(result.risks[0]?.badMinutesPerYear).toBeCloseTo(28.408333, 5);
    expect(result.risks[0]?.budgetShare).toBeCloseTo(28.408333 / 525.96, 6);
    expect(result.overBudgetSet).toEqual([]);
  });

  it('--mitigated re-scores and shows the minutes each mitigation saves', async () => {
    const { result, risk } = await score(['-r', REGISTER, '--objective', '99.9', '--mitigated']);
    expect(result.basis).toBe('mitigated');
    // cdn-edge-outage: steering ETTR 40 × 0.25 = 10 → (5 + 10) × 0.3 × 8.11667 = 36.525, saves 73.05;
    // probes cap ETTD at 2 → (2 + 10) × 0.3 × 8.11667 = 29.22, saves 7.305 more; 80.355 in all
    const cdn = risk('cdn-edge-outage').mitigated;
    expect(cdn?.badMinutesPerYear).toBeCloseTo(29.22, 9);
    expect(cdn?.savedMinutesPerYear).toBeCloseTo(80.355, 9);
    expect(cdn?.mitigations.map((m) => [m.name, Number(m.savedMinutesPerYear.toFixed(6))])).toEqual([
      ['multi-cdn-steering', 73.05],
      ['synthetic-segment-probes', 7.305],
    ]);
    // schema migration: halving the frequency saves 39; then ETTR 30m: (10 + 30) × 0.3 × 1 = 12, saves 27;
    // the runbook alone: (10 + 30) × 0.3 × 2 = 24, saves 54
    const mig = risk('account-schema-migration-lock').mitigated;
    expect(mig?.mitigations.map((m) => [Number(m.savedMinutesPerYear.toFixed(6)), Number(m.savedAloneMinutesPerYear.toFixed(6))])).toEqual([
      [39, 39],
      [27, 54],
    ]);
    // cloud region: impact capped at 0.3 → 610 × 0.3 = 183 per occurrence (not untenable), 61 a year
    expect(risk('cloud-region-outage').mitigated).toMatchObject({ perOccurrenceMinutes: 183, untenable: false });
    expect(risk('cloud-region-outage').untenable).toBe(true); // the unmitigated flag stays
    expect(result.mitigatedTotalBadMinutesPerYear).toBeCloseTo(243.924063, 5);
    expect(result.overBudgetSet).toEqual([]);
    expect(result.acceptableCount).toBe(11);
    const human = await relia(['risk', 'score', '-r', REGISTER, '--mitigated']);
    expect(human.stdout).toMatch(/account-schema-migration-lock\s+online-rollback-runbook\s+27\.0\s+54\.0/);
    expect(human.stdout).toContain('untenable until mitigated');
  });

  it('--method rpn and ap give the FMEA view from the documented tables', async () => {
    const rpn = await score(['-r', REGISTER, '--scoring', 'rpn']);
    expect(rpn.result.method).toBe('rpn');
    // origin-shield-overload: 17.5 min/occ → S 6 (10–20); 3/y → O 6 (2–4); ETTD 10m → D 5 (10–15); 6 × 6 × 5 = 180
    expect(rpn.result.fmea?.risks[0]).toMatchObject({ name: 'origin-shield-overload', severity: 6, occurrence: 6, detection: 5, rpn: 180 });
    // cloud-region-outage: 610 → S 10; 1/3 a year → O 3 (0.2–0.5); 10m → D 5: RPN 150; AP (S 9–10, O 2–3, D 5–6) = M
    expect(rpn.result.fmea?.risks.find((r) => r.name === 'cloud-region-outage')).toMatchObject({ severity: 10, occurrence: 3, detection: 5, rpn: 150, actionPriority: 'M' });
    expect(rpn.result.risks[0]?.name).toBe('cloud-region-outage'); // risks[] keeps the CRE ranking
    const ap = await score(['-r', REGISTER, '--scoring', 'ap']);
    // drm-license-outage: 32.5 → S 7; 3.04/y → O 6; 5m → D 4: AP (S 7–8, O 6–7, D 2–4) = H, the only H
    expect(ap.result.fmea?.risks[0]).toMatchObject({ name: 'drm-license-outage', severity: 7, occurrence: 6, detection: 4, actionPriority: 'H' });
    expect(ap.result.fmea?.actionPriorityCounts).toEqual({ H: 1, M: 9, L: 1 });
    const human = await relia(['risk', 'score', '-r', REGISTER, '--scoring', 'rpn']);
    expect(human.stdout).toMatch(/^\s*1\s+origin-shield-overload\s+6\s+6\s+5\s+180\s+M/m);
    const bad = await relia(['risk', 'score', '-r', REGISTER, '--scoring', 'fmea']);
    expect(bad.exitCode).toBe(2);
  });

  it('--event scores a premiere window and ranks what to mitigate before it', async () => {
    const { result } = await score(['-r', REGISTER, '--event', 'premiere:2026-12-18T20:00:00Z/3h x3', '--event', 'finale:2027-03-05T21:00:00Z/90m', '--users', '400000']);
    expect(result.events).toHaveLength(2);
    const [premiere, finale] = result.events as [RiskScoreResult['events'][number], RiskScoreResult['events'][number]];
    expect(premiere.event).toMatchObject({ name: 'premiere', start: '2026-12-18T20:00:00.000Z', end: '2026-12-18T23:00:00.000Z', durationMinutes: 180, multiplier: 3 });
    // window 180 min of a 525,960-min year; expected bad minutes = 735.2327 × 180 / 525,960 = 0.25162
    expect(premiere.totalExpectedBadMinutes).toBeCloseTo((735.232708 * 180) / YEAR_MIN, 6);
    // the window's own budget: 0.001 × 180 = 0.18 min
    expect(premiere.windowBudgetMinutes).toBeCloseTo(0.18, 9);
    const cloud = premiere.risks[0];
    expect(cloud?.name).toBe('cloud-region-outage');
    // 203.333 × 180 / 525,960 = 0.069587 bad minutes; × 3 traffic = 0.20876 baseline-user-minutes; × 400,000 users
    expect(cloud?.expectedBadMinutes).toBeCloseTo(((610 / 3) * 180) / YEAR_MIN, 9);
    expect(cloud?.expectedUserMinutes).toBeCloseTo((((610 / 3) * 180) / YEAR_MIN) * 3 * 400_000, 4);
    // if it happens: min(610, 180) × 1.0 × 3 = 540 baseline-user-minutes
    expect(cloud?.costIfOccursBaselineUserMinutes).toBeCloseTo(540, 9);
    // P(at least one) = 1 − e^(−(1/3) × 180/525,960)
    expect(cloud?.probabilityAtLeastOne).toBeCloseTo(1 - Math.exp(-(180 / YEAR_MIN) / 3), 12);
    expect(premiere.risks.slice(0, 3).map((r) => r.name)).toEqual(['cloud-region-outage', 'cdn-edge-outage', 'drm-license-outage']);
    expect(finale.event.multiplier).toBe(1); // no x: baseline traffic
    const human = await relia(['risk', 'score', '-r', REGISTER, '--event', 'premiere:2026-12-18T20:00:00Z/3h x3']);
    expect(human.stdout).toContain('event premiere: 2026-12-18T20:00:00Z → 2026-12-18T23:00:00Z (3h at ×3 traffic');
    expect(human.stdout).toContain('mitigate before premiere, in this order: cloud-region-outage, cdn-edge-outage, drm-license-outage');
    const bad = await reliaJson(['risk', 'score', '-r', REGISTER, '--event', 'premiere:tomorrow/3h x3']);
    expect(bad.exitCode).toBe(2);
    expect(bad.json.error?.field).toBe('--event');
    expect(bad.json.error?.message).toContain('start: expected an RFC 3339 time');
  });

  it('bad registers exit 2 naming the file, the risk and the field, with a fix', async () => {
    const text = readFileSync(join(ROOT, REGISTER), 'utf8').replace('    impact: 0.3\n    ettf: 45d', '    impact: 1.5\n    ettf: 45d');
    const bad = file('bad-register.yaml', text);
    const r = await reliaJson(['risk', 'score', '-r', bad, '--objective', '99.9']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.message).toContain(`${bad}: risks[0].impact: expected a fraction between 0 and 1`);
    expect(r.json.error?.field).toBe('risks[0].impact');
    expect(r.json.error?.suggestions.length).toBeGreaterThan(0);
    const human = await relia(['risk', 'score', '-r', bad, '--objective', '99.9']);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('risks[0].impact');
    expect(human.stderr).toMatch(/Try this: /);
    const worse = file('worse.yaml', 'risks:\n  - name: x\n    service: s\n    category: c\n    ettd: 5m\n    ettr: 45m\n    impact: 0.2\n    ettf: 90d\n    mitigations:\n      - name: m\n        ettr: 50m\n');
    const w = await reliaJson(['risk', 'score', '-r', worse, '--objective', '99.9']);
    expect(w.exitCode).toBe(2);
    expect(w.json.error?.message).toContain('risks[0].mitigations[0].ettr: 50m is longer than the risk\'s own value 45m');
    const missing = await reliaJson(['risk', 'score', '-r', join(tmp, 'nope.yaml'), '--objective', '99.9']);
    expect(missing.exitCode).toBe(2);
    expect(missing.json.error?.message).toContain('nope.yaml: cannot read it: no such file');
  });
});

async function history(args: string[]) {
  const r = await reliaJson<RiskHistoryResult>(['risk', 'history', ...args]);
  expect(r.exitCode, r.stderr).toBe(0);
  const result = r.json.result as RiskHistoryResult;
  const group = (service: string, category: string) => result.groups.find((g) => g.service === service && g.category === category) as RiskHistoryResult['groups'][number];
  return { result, group, warnings: r.json.warnings };
}

describe('relia risk history', () => {
  it('computes MTTD, MTTR and MTBF with medians and p90 as by hand', async () => {
    const { result, group } = await history(['--incidents', INCIDENTS, '--at', AS_OF]);
    expect(result.count).toBe(53);
    // billing/database: INC-2016 10:00 → 10:06 → 10:46 (2026-02-10), INC-2032 10:00 → 10:04 → 11:04 (05-21),
    // INC-2040 10:00 → 10:08 → 10:38 (07-30)
    const b = group('billing', 'database');
    expect(b.count).toBe(3);
    // MTTD: 6, 4, 8 → mean 6, median 6, p90 (type 7: position 1.8) = 6 + 0.8 × (8 − 6) = 7.6
    expect([b.mttdMinutes, b.mttdMedianMinutes, b.mttdP90Minutes]).toEqual([6, 6, expect.closeTo(7.6, 9)]);
    // MTTR started→resolved: 46, 64, 38 → mean 148/3, median 46, p90 46 + 0.8 × 18 = 60.4
    expect(b.mttrMinutes).toBeCloseTo(148 / 3, 9);
    expect([b.mttrMedianMinutes, b.mttrP90Minutes]).toEqual([46, expect.closeTo(60.4, 9)]);
    // detected→resolved: 40, 60, 30 → mean 130/3, median 40, p90 40 + 0.8 × 20 = 56
    expect(b.detectToResolveMinutes).toBeCloseTo(130 / 3, 9);
    expect([b.detectToResolveMedianMinutes, b.detectToResolveP90Minutes]).toEqual([40, expect.closeTo(56, 9)]);
    // MTBF: 02-10 → 05-21 = 18 + 31 + 30 + 21 = 100 days, 05-21 → 07-30 = 10 + 30 + 30 = 70 days → mean 85,
    // p90 = 70 + 0.9 × 30 = 97
    expect([b.mtbfDays, b.mtbfMedianDays, b.mtbfP90Days]).toEqual([85, 85, expect.closeTo(97, 9)]);
    // billing/dependency has one open incident: counted, in MTTD, not in MTTR
    const dep = group('billing', 'dependency');
    expect([dep.count, dep.open, dep.resolved]).toEqual([3, 1, 2]);
    expect(dep.openIds).toEqual(['INC-2053']);
  });

  it('handles open and overlapping incidents explicitly', async () => {
    const { result, group } = await history(['-i', INCIDENTS, '--at', AS_OF]);
    expect(result.open).toBe(2);
    // INC-2052 started 2026-10-19T23:19Z; to 2026-11-01T00:00Z: 41 min + 12 days = 17,321 min
    expect(result.openIncidents.find((i) => i.id === 'INC-2052')?.openMinutes).toBe(17_321);
    expect(result.asOf).toBe('2026-11-01T00:00:00.000Z');
    // INC-2011 starts 23:16 while INC-2010 (23:10 → 23:29) is open; INC-2035 11:10 inside INC-2034 (10:48 → 12:01)
    expect(group('catalog', 'cache').overlapCount).toBe(1);
    expect(group('playback', 'cdn').overlapCount).toBe(1);
    // playback/cdn: merged counts 10:48 → 12:01 once; summed adds INC-2035's 43 minutes again
    const cdn = group('playback', 'cdn');
    expect(cdn.summedOutageMinutes - cdn.mergedOutageMinutes).toBe(43);
    const human = await relia(['risk', 'history', '-i', INCIDENTS, '--at', AS_OF]);
    expect(human.stdout).toMatch(/INC-2052\s+account\s+dependency\s+2026-10-19T23:19:00Z\s+12d/);
    expect(human.stdout).toContain('overlaps: 2 incidents started while an earlier one of the same service and category was still open');
  });

  it('gives the monthly trend with a direction; sparklines only on a TTY', async () => {
    const { result } = await history(['-i', INCIDENTS, '--at', AS_OF]);
    expect(result.months).toHaveLength(12);
    expect(result.months[0]).toBe('2025-11');
    expect(result.overall.trend.mttdMinutes.direction).toBe('improving');
    expect(result.overall.trend.mttdMinutes.pValue).toBeLessThan(0.05);
    expect(result.overall.trend.count.direction).toBe('no-trend');
    const human = await relia(['risk', 'history', '-i', INCIDENTS, '--monthly'], { env: { NO_COLOR: undefined } });
    expect(human.stdout).toMatch(/MTTD \(min\)\s+improving/);
    expect(human.stdout).toMatch(/^2025-11\s+4\s/m);
    expect(human.stdout).not.toMatch(SPARK);
    expect(human.stdout.includes(`${ESC}[`)).toBe(false);
  });

  it.runIf(existsSync('/usr/bin/script'))('draws sparklines when stdout is a TTY', async () => {
    const r = await execa('script', ['-qec', `node ${BIN} risk history -i ${INCIDENTS} --at ${AS_OF}`, '/dev/null'], { cwd: ROOT, env: { NO_COLOR: '1' }, reject: false });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/MTTD \(min\)\s+improving.*[▁▂▃▄▅▆▇█]{12}/);
  });

  it('--map reads a second export with other column names', async () => {
    const pd = await history(['-i', PAGERDUTY, '--map', PD_MAP, '--at', AS_OF]);
    expect(pd.result.count).toBe(4);
    expect(pd.result.sources[0]?.columns).toMatchObject({ severity: 'urgency', started: 'created_at', detected: 'acknowledged_at', resolved: 'resolved_at' });
    // PD-Q1F7X2: 21:40+01:00 → 21:49 → 22:31: MTTD 9, MTTR 51, detect→resolve 42
    expect(pd.group('playback', 'cdn')).toMatchObject({ count: 1, mttdMinutes: 9, mttrMinutes: 51, detectToResolveMinutes: 42 });
    // PD-Q5T2B8 (−04:00): 19:30 → 19:42 → 20:25: MTTD 12, MTTR 55
    expect(pd.group('playback', 'dependency')).toMatchObject({ mttdMinutes: 12, mttrMinutes: 55 });
    const both = await history(['-i', INCIDENTS, '-i', PAGERDUTY, '--map', PD_MAP, '--at', AS_OF]);
    expect(both.result.count).toBe(57);
    expect(both.result.sources.map((s) => [s.file, s.incidents, s.columns.started])).toEqual([
      [INCIDENTS, 53, 'started'],
      [PAGERDUTY, 4, 'created_at'],
    ]);
    expect(both.group('playback', 'cdn').count).toBe(19);
    const unmapped = await reliaJson(['risk', 'history', '-i', PAGERDUTY]);
    expect(unmapped.exitCode).toBe(2);
    expect(unmapped.json.error?.message).toContain(`${PAGERDUTY}: missing columns started, detected, resolved`);
    expect(unmapped.json.error?.suggestions.join(' ')).toContain('--map');
    const typo = await reliaJson(['risk', 'history', '-i', INCIDENTS, '-i', PAGERDUTY, '--map', 'started=crated_at']);
    expect(typo.exitCode).toBe(2);
    expect(typo.json.error?.message).toContain(`${PAGERDUTY}: --map started=crated_at: there is no column "crated_at" (nor "started")`);
  });

  it('bad rows exit 2 naming the row and field; --skip-invalid reports what it skipped', async () => {
    const header = 'id,service,category,severity,started,detected,resolved,impact';
    const bad = file(
      'bad.csv',
      [
        header,
        'A-1,playback,cdn,SEV2,2026-01-01T10:00:00Z,2026-01-01T10:05:00Z,2026-01-01T10:35:00Z,0.2',
        'A-2,playback,cdn,SEV2,2026-01-09T10:00:00Z,yesterday,2026-01-09T10:35:00Z,0.2',
        'A-3,playback,cdn,SEV2,2026-01-21T10:00:00Z,2026-01-21T10:10:00Z,2026-01-21T10:40:00Z,1.4',
        'A-4,playback,cdn,SEV2,2026-01-31T10:00:00Z,2026-01-31T10:01:00Z,2026-01-31T10:31:00Z,0.1',
        '',
      ].join('\n'),
    );
    const r = await reliaJson(['risk', 'history', '-i', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.message).toBe(`${bad} row 3: detected: expected an RFC 3339 time, got "yesterday" (and 1 more invalid row)`);
    expect(r.json.error?.field).toBe('detected');
    expect(r.json.error?.suggestions.join(' ')).toContain('--skip-invalid');
    const skipped = await history(['-i', bad, '--skip-invalid', '--at', AS_OF]);
    expect(skipped.result.count).toBe(2);
    expect(skipped.result.skipped).toEqual([
      { file: bad, row: 3, field: 'detected', reason: 'expected an RFC 3339 time, got "yesterday"' },
      { file: bad, row: 4, field: 'impact', reason: 'expected a fraction between 0 and 1 (or a percentage), got "1.4"' },
    ]);
    expect(skipped.warnings).toEqual([`${bad} row 3: detected: expected an RFC 3339 time, got "yesterday" (skipped)`, `${bad} row 4: impact: expected a fraction between 0 and 1 (or a percentage), got "1.4" (skipped)`]);
    // MTTD 5 and 1 → 3; MTBF 30 days
    expect(skipped.group('playback', 'cdn')).toMatchObject({ mttdMinutes: 3, mtbfDays: 30 });
    const json = file('bad.json', JSON.stringify([{ id: 'J-1', service: 's', category: 'c', started: '2026-01-01T00:00:00Z', detected: '2026-01-01T00:01:00Z', resolved: '2025-12-31T00:00:00Z', impact: 0.1 }]));
    const j = await reliaJson(['risk', 'history', '-i', json]);
    expect(j.exitCode).toBe(2);
    expect(j.json.error?.message).toContain(`${json} row 1: resolved: 2025-12-31T00:00:00.000Z is before detected`);
    const twice = await reliaJson(['risk', 'history', '-i', INCIDENTS, '-i', INCIDENTS]);
    expect(twice.exitCode).toBe(2);
    expect(twice.json.error?.message).toContain(`${INCIDENTS} row 2: id: duplicate id "INC-2001" (also ${INCIDENTS} row 2)`);
  });
});

describe('relia risk register', () => {
  it('writes a register (atomically, never over an existing file) that risk score reads back', async () => {
    const out = join(tmp, 'derived.yaml');
    const r = await reliaJson<RiskRegisterResult>(['risk', 'register', '-i', INCIDENTS, '--estimator', 'median', '--objective', '99.9', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const result = r.json.result as RiskRegisterResult;
    expect(result.out).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(result.yaml);
    // billing/database: ETTD median(6, 4, 8) = 6; ETTR median of detected→resolved (40, 60, 30) = 40;
    // impact median(0.1, 0.2, 0.15) = 0.15; window 2025-11-07T16:06Z .. 2026-10-28T13:43Z = 354.9 d / 3 = 118 d
    const derived = result.risks.find((x) => x.name === 'billing-database');
    expect(derived).toMatchObject({ ettdMinutes: 6, ettrMinutes: 40, impact: 0.15, ettfDays: 118, incidents: 3, open: 0 });
    const scored = await score(['-r', out]);
    expect(scored.result.objective).toBeCloseTo(0.999, 12);
    // (6 + 40) × 0.15 × 365.25 / 118 = 6.9 × 3.09534 = 21.358
    expect(scored.risk('billing-database').badMinutesPerYear).toBeCloseTo((6.9 * 365.25) / 118, 9);
    const before = readFileSync(out, 'utf8');
    const again = await reliaJson(['risk', 'register', '-i', INCIDENTS, '--estimator', 'p90', '--out', out]);
    expect(again.exitCode).toBe(2);
    expect(again.json.error?.message).toContain('the file exists');
    expect(again.json.error?.suggestions.join(' ')).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe(before);
    const forced = await reliaJson<RiskRegisterResult>(['risk', 'register', '-i', INCIDENTS, '--estimator', 'p90', '--out', out, '--force']);
    expect(forced.exitCode).toBe(0);
    // p90: ETTD 6 + 0.8 × 2 = 7.6 → 8 min; ETTR 40 + 0.8 × 20 = 56; impact 0.15 + 0.8 × 0.05 = 0.19
    expect(forced.json.result?.risks.find((x) => x.name === 'billing-database')).toMatchObject({ ettdMinutes: 8, ettrMinutes: 56, impact: 0.19 });
    expect(readFileSync(out, 'utf8')).toContain('estimator: p90');
  });

  it('prints YAML to stdout without --out; --estimator mean; a chosen window', async () => {
    const r = await relia(['risk', 'register', '-i', INCIDENTS, '--estimator', 'mean', '--start', '2025-11-01T00:00:00Z', '--end', '2026-11-01T00:00:00Z']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.startsWith('# Starter risk register')).toBe(true);
    const yamlFile = file('stdout.yaml', r.stdout);
    const scored = await score(['-r', yamlFile, '--objective', '99.9']);
    // mean: ETTD 6, ETTR 130/3 = 43.3 → 43 min, impact 0.15; window 365 d / 3 = 121.7 → 122 d
    const b = scored.risk('billing-database');
    expect([b.ettdMinutes, b.ettrMinutes, b.impact, b.ettfDays]).toEqual([6, 43, 0.15, 122]);
    // account/dependency has an open incident: still 4 incidents, noted in the YAML comment
    expect(r.stdout).toContain('# 4 incidents (1 open)');
    const bad = await relia(['risk', 'register', '-i', INCIDENTS, '--estimator', 'mode']);
    expect(bad.exitCode).toBe(2);
  });
});

describe('relia risk simulate', () => {
  it('is reproducible with --seed and its mean is near the analytic expectation', async () => {
    const args = ['risk', 'simulate', '-r', REGISTER, '--seed', '42', '--years', '20000'];
    const a = await reliaJson<RiskSimulateResult>(args);
    const b = await reliaJson<RiskSimulateResult>(args);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.json.result).toEqual(b.json.result);
    const s = a.json.result as RiskSimulateResult;
    expect(s).toMatchObject({ seed: 42, seedGiven: true, iterations: 20_000, durationModel: 'lognormal', sigma: 1, anchor: 'median' });
    // lognormal with median ETTD + ETTR, σ = 1: E[D] = (ETTD + ETTR) × e^(1/2), so the analytic mean is
    // 735.2327 × 1.648721 = 1212.19 min/year. Within 4 standard errors (a 6e-5 chance of a false alarm
    // for a random seed; the seed is fixed, so this run is deterministic).
    expect(s.expectedBadMinutesPerYear).toBeCloseTo(735.232708 * Math.exp(0.5), 3);
    expect(Math.abs(s.badMinutesPerYear.mean - s.expectedBadMinutesPerYear)).toBeLessThan(4 * s.badMinutesPerYear.standardError);
    expect(s.badMinutesPerYear.p50).toBeLessThan(s.badMinutesPerYear.p90);
    expect(s.badMinutesPerYear.p90).toBeLessThan(s.badMinutesPerYear.p99);
    expect(s.pBudgetExhausted).toBeGreaterThan(0.5); // the register is 140 % of the budget even on average
    const other = await reliaJson<RiskSimulateResult>(['risk', 'simulate', '-r', REGISTER, '--seed', '43', '--runs', '20000']);
    expect(other.json.result?.badMinutesPerYear.p50).not.toBe(s.badMinutesPerYear.p50);
  });

  it('matches exact Poisson numbers for fixed durations', async () => {
    const r = await reliaJson<RiskSimulateResult>(['risk', 'simulate', '-r', `${EX}/minimal.yaml`, '--objective', '99.99', '--model', 'fixed', '--seed', '7', '--years', '20000']);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = r.json.result as RiskSimulateResult;
    // every occurrence costs exactly (5 + 30) × 0.2 = 7 min; N ~ Poisson(λ = 365.25/90 = 4.0583)
    // budget 0.0001 × 525,960 = 52.596 → exhausted when 7N > 52.596, i.e. N ≥ 8: P = 1 − P(N ≤ 7) = 0.05468
    const p = 0.054683;
    expect(Math.abs(s.pBudgetExhausted - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20_000));
    // P(N ≤ 3) = 0.422, P(N ≤ 4) = 0.617 → median N = 4 → p50 = 28; P(N ≤ 6) = 0.883, P(N ≤ 7) = 0.945 → p90 = 49
    expect(s.badMinutesPerYear.p50).toBe(28);
    expect(s.badMinutesPerYear.p90).toBe(49);
    // mean 7 × 4.0583 = 28.408 within 4 standard errors
    expect(Math.abs(s.badMinutesPerYear.mean - 28.408333)).toBeLessThan(4 * s.badMinutesPerYear.standardError);
  });

  it('prints p50/p90/p99 and P(exhaust budget); without --seed it says which seed it used', async () => {
    const r = await relia(['risk', 'simulate', '-r', REGISTER, '--seed', '42', '--years', '2000', '--mitigated', '--objective', '99.95']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/bad min\/year\s+p50 [\d.]+ · p90 [\d.]+ · p99 [\d.]+/);
    expect(r.stdout).toMatch(/P\(exhaust budget\)\s+[\d.]+% of years/);
    expect(r.stdout).toContain('262.98 min/year (objective 99.95%)');
    expect(r.stdout).not.toMatch(SPARK);
    const unseeded = await reliaJson<RiskSimulateResult>(['risk', 'simulate', '-r', REGISTER, '--years', '100']);
    expect(unseeded.json.result?.seedGiven).toBe(false);
    expect(unseeded.json.warnings[0]).toBe(`no --seed given: used --seed ${unseeded.json.result?.seed}; pass it to repeat this run`);
    for (const bad of [['--years', '0'], ['--seed', '-1'], ['--sigma', '0'], ['--model', 'normal']]) {
      const e = await relia(['risk', 'simulate', '-r', REGISTER, ...bad]);
      expect(e.exitCode, bad.join(' ')).toBe(2);
    }
  });
});
