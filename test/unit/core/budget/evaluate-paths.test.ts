/**
 * Paths of the evaluation engine that decide the verdict or the numbers a user
 * sees: exact budget figures, the min-events boundary, no-data and invalid
 * handling, how series combine, error wrapping and the summary that
 * `budget check` turns into its exit code. Expected values are worked by hand
 * in the comments (30d = 2 592 000 s = 43 200 min; objective 0.999 → budget 0.001).
 */
import { describe, expect, it } from 'vitest';
import { computeStatus, defaultPolicy, evaluateSlos, planSlo, type BudgetPolicy, type SloDefinition } from '../../../../src/core/budget/index.js';
import { availabilitySlo as slo, totalQuery as totalQ } from './slo-fixture.js';
import { DependencyError, InputError, ReliaError } from '../../../../src/core/errors.js';
import { MetricsDataError } from '../../../../src/core/metrics-guard.js';
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../../../../src/ports/metrics.js';
import { InstrumentedMetrics } from '../../../fakes/instrumented-metrics.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { FakeClock } from '../../../fakes/virtual-clock.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const AT_ISO = '2026-11-01T00:00:00Z';
const policy = defaultPolicy();

const goodQ = (svc: string) => `sum(rate(req_total{service="${svc}",code="200"}[{{.window}}]))`;


const tag = (w: string, part: string, value: number): InstantSample => ({ labels: { relia_w: w, relia_p: part }, value });
const status = (def: SloDefinition, instant: InstantSample[], p: BudgetPolicy = policy, range: RangeSeries[] = []) => computeStatus(planSlo(def, p, AT), instant, range, {});

/**
 * The metrics fake (MemoryMetrics, no series) inside InstrumentedMetrics, reporting `kind`, with each SLO's batched
 * instant answer scripted by service: hand-worked samples (bad above total included, which no counters give), or
 * an Error that fails it through InstrumentedMetrics.fault. The query still goes through the fake (which evaluates
 * every query the engine batches, per the metrics contract); range queries are the fake's own (no data).
 */
class TableMetrics extends InstrumentedMetrics<MemoryMetrics> {
  /** The texts asked as instant queries (the batched range query of the same SLO is another text). */
  private readonly instantQueries = new Set<string>();

  constructor(
    private readonly answers: Record<string, InstantSample[] | Error>,
    kind: string,
  ) {
    super(new MemoryMetrics([], { kind, now: () => AT }));
    this.fault = (query) => {
      const a = this.instantQueries.has(query) ? this.answerFor(query) : undefined;
      return a instanceof Error ? a : undefined;
    };
  }

  private answerFor(query: string): InstantSample[] | Error | undefined {
    const svc = Object.keys(this.answers).find((s) => query.includes(`service="${s}"`));
    return svc === undefined ? undefined : this.answers[svc];
  }

  override async instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    this.instantQueries.add(query);
    const fromFake = await super.instant(query, options);
    const scripted = this.answerFor(query);
    return Array.isArray(scripted) ? scripted : fromFake;
  }
}

/** The fake answering each SLO's batched instant query from a table keyed by service (TableMetrics). */
function source(answers: Record<string, InstantSample[] | Error>, kind = 'fakeprom'): MetricsSource {
  return new TableMetrics(answers, kind);
}

/**
 * A slow metrics server: InstrumentedMetrics over the contract-checked MemoryMetrics (no series: every query finds
 * no data) whose calls first take `latencyMs(query)` of FakeClock time, with the call's signal. On top: `aborted`
 * lists the queries whose wait an abort cut short, `onStart(n)` runs as the n-th call starts (a caller interrupting
 * mid-query), and `abortAs` turns the abort into what the source reports (an HTTP adapter reports its aborted request
 * as a dependency failure). Faults go through InstrumentedMetrics.fault.
 */
class SlowMetrics extends InstrumentedMetrics<MemoryMetrics> {
  readonly aborted: string[] = [];
  started = 0;
  onStart: ((n: number) => void) | undefined;
  abortAs: ((reason: unknown) => unknown) | undefined;

  constructor(
    readonly clock: FakeClock,
    private readonly latencyMs: (query: string) => number,
  ) {
    super(new MemoryMetrics([], { kind: 'fakeprom', now: () => AT }));
  }

  override instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    return this.wait(query, options.signal).then(() => super.instant(query, options));
  }

  override range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]> {
    return this.wait(query, options.signal).then(() => super.range(query, options));
  }

  private async wait(query: string, signal: AbortSignal | undefined): Promise<void> {
    this.onStart?.(++this.started);
    const ms = this.latencyMs(query);
    if (ms <= 0) return;
    await this.clock.sleep(ms, signal).catch((reason: unknown) => {
      this.aborted.push(query);
      throw this.abortAs ? this.abortAs(reason) : reason;
    });
  }
}

describe('computeStatus: the numbers a user sees', () => {
  // 30d: 100 req/s, 0.02 bad/s → error ratio 0.0002, consumed 0.2 of the budget.
  // 1h: 100 req/s, 0.5 bad/s → ratio 0.005 → burn 5. 6h: 0.1 bad/s → burn 1. 5m: no traffic → null.
  const instant = [tag('30d', 'total', 100), tag('30d', 'bad', 0.02), tag('1h', 'total', 100), tag('1h', 'bad', 0.5), tag('6h', 'total', 100), tag('6h', 'bad', 0.1), tag('5m', 'total', 0)];

  it('derives events, bad minutes, remaining budget, burn rates and exhaustion exactly', () => {
    const s = status(slo('a'), instant);
    expect(s.errorRatio).toBeCloseTo(0.0002, 15);
    expect(s.sli).toBeCloseTo(0.9998, 15);
    expect(s.consumed).toBeCloseTo(0.2, 12);
    expect(s.budgetRemaining).toBeCloseTo(0.8, 12);
    // events: 100 × 2 592 000 = 259 200 000; bad 0.02 × 2 592 000 = 51 840; allowed 0.001 × total = 259 200.
    expect(s.events).toEqual({ total: 259_200_000, bad: 51_840, allowedBad: expect.closeTo(259_200, 6), remainingBad: expect.closeTo(207_360, 6) });
    // bad minutes: allowed 0.001 × 43 200 = 43.2, consumed 0.0002 × 43 200 = 8.64, remaining 34.56.
    expect(s.badMinutes?.allowed).toBeCloseTo(43.2, 9);
    expect(s.badMinutes?.consumed).toBeCloseTo(8.64, 9);
    expect(s.badMinutes?.remaining).toBeCloseTo(34.56, 9);
    expect(s.burnRates['1h']).toBeCloseTo(5, 9);
    expect(s.burnRates['6h']).toBeCloseTo(1, 9);
    expect(s.burnRates['5m']).toBeNull();
    // exhaustion: remaining × period / burn = 0.8 × 2 592 000 / 5 = 414 720 s (1h), / 1 = 2 073 600 s (6h).
    expect(s.exhaustion['1h']).toBeCloseTo(414_720, 3);
    expect(s.exhaustion['6h']).toBeCloseTo(2_073_600, 3);
    expect(s.slices).toBeNull();
    expect(s.verdict).toBe('pass');
    expect(s.unavailable).toBeNull();
    expect(s.invalid).toBeNull();
  });

  it.each([
    // [minEvents, verdict, first reason]: the window holds 100 × 2 592 000 = 259 200 000 events.
    [259_200_000, 'pass', null],
    [259_200_001, 'no-data', 'no data: 259200000 events in 30d, fewer than minEvents 259200001'],
    [0, 'pass', null],
  ] as const)('min-events guard at %d: %s (exactly at the minimum passes, one more is no-data)', (minEvents, verdict, reason) => {
    const s = status(slo('a'), instant, { ...policy, minEvents });
    expect(s.verdict).toBe(verdict);
    if (reason !== null) {
      expect(s.reasons[0]).toBe(reason);
      expect(s.blocked).toBe(true);
    }
  });

  it('reports no numbers for a window without events (no-data), never a full budget', () => {
    const s = status(slo('a'), [tag('30d', 'total', 0), tag('30d', 'bad', 0)]);
    expect(s.verdict).toBe('no-data');
    expect(s.consumed).toBeNull();
    expect(s.budgetRemaining).toBeNull();
    expect(s.badMinutes).toBeNull();
    expect(s.events).toBeNull();
    expect(s.exhaustion).toEqual({ '1h': null, '6h': null });
  });

  it('reports no slices for a timeslice SLO whose slice answer is not a number', () => {
    const def = slo('a', { budgeting: { method: 'timeslices', sliceSeconds: 60, sliceTarget: 0.99 } });
    const s = status(def, [tag('30d', 'total', 100), tag('30d', 'badslices', Number.NaN)]);
    expect(s.errorRatio).toBeNull();
    expect(s.slices).toBeNull();
    expect(s.verdict).toBe('no-data');
  });

  it('adds up several series of a count and takes the worst of several error ratios', () => {
    // total 60 + 40 = 100, bad 0.01 + 0.01 = 0.02 → same as one series of 100 and 0.02.
    const split = status(slo('a'), [tag('30d', 'total', 60), tag('30d', 'total', 40), tag('30d', 'bad', 0.01), tag('30d', 'bad', 0.01)]);
    expect(split.errorRatio).toBeCloseTo(0.0002, 15);
    expect(split.events?.total).toBe(259_200_000);
    // Error ratio series 0.0001 and 0.0003: the worst, 0.0003 → consumed 0.3.
    const raw = slo('r', { sli: { type: 'error-ratio', query: 'err_ratio[{{.window}}]' } });
    const worst = status(raw, [tag('30d', 'ratio', 0.0001), tag('30d', 'ratio', 0.0003)]);
    expect(worst.errorRatio).toBeCloseTo(0.0003, 15);
    expect(worst.consumed).toBeCloseTo(0.3, 12);
    expect(worst.events).toBeNull();
  });

  it('keeps the description only when the SLO has one', () => {
    expect(status(slo('a', { description: 'checkout must work' }), instant).description).toBe('checkout must work');
    expect('description' in status(slo('a'), instant)).toBe(false);
  });
});

describe('computeStatus: inconsistent answers are invalid (MetricsDataError naming both parts and the query)', () => {
  it.each([
    ['bad above total', slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 200)], 'bad (30d) 200 > total (30d) 100', 'sum(rate(req_total{service="v",code="500"}[30d]))'],
    [
      'good above total (in a short window)',
      slo('v', { sli: { type: 'ratio', good: goodQ('v'), total: totalQ('v') } }),
      [tag('30d', 'total', 100), tag('30d', 'good', 99.9), tag('1h', 'total', 100), tag('1h', 'good', 150)],
      'good (1h) 150 > total (1h) 100',
      'sum(rate(req_total{service="v",code="200"}[1h]))',
    ],
    ['error ratio above 1', slo('v', { sli: { type: 'error-ratio', query: 'err_ratio[{{.window}}]' } }), [tag('30d', 'ratio', 1.5)], 'error ratio (30d) 1.5 > the maximum 1', 'err_ratio[30d]'],
  ])('%s', (_name, def, instant, value, query) => {
    let caught: unknown;
    try {
      status(def, instant);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MetricsDataError);
    const e = caught as MetricsDataError;
    expect(e.value).toBe(value);
    expect(e.query).toBe(query);
    expect(e.time).toBe(AT_ISO);
    expect(e.dependency).toBe('metrics');
  });

  it('accepts bad equal to total and a ratio of exactly 1 (budget fully consumed, not invalid)', () => {
    const s = status(slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 100)]);
    expect(s.errorRatio).toBe(1);
    expect(s.verdict).toBe('fail');
  });
});

describe('evaluateSlos: verdicts, errors and the summary behind the exit code', () => {
  const ok = [tag('30d', 'total', 100), tag('30d', 'bad', 0.02)];
  // All bad: budget exhausted → fail, blocked.
  const exhausted = [tag('30d', 'total', 100), tag('30d', 'bad', 100)];
  const quiet = [tag('30d', 'total', 0), tag('30d', 'bad', 0)];
  const nonsense = [tag('30d', 'total', 100), tag('30d', 'bad', 200)];

  it('counts every verdict in the summary (pass, fail, no-data, invalid, unavailable)', async () => {
    const slos = ['ok', 'ex', 'quiet', 'bad', 'down'].map((s) => slo(s));
    const src = source({ ok, ex: exhausted, quiet, bad: nonsense, down: new Error('connection refused') });
    const r = await evaluateSlos(slos, src, { at: AT, policy, batch: true, onUnavailable: 'pass' });
    expect(r.slos.map((s) => s.verdict)).toEqual(['pass', 'fail', 'no-data', 'invalid', 'pass']);
    expect(r.slos.map((s) => s.blocked)).toEqual([false, true, true, true, false]);
    expect(r.summary).toEqual({ total: 5, pass: 2, fail: 1, noData: 1, blocked: 3, unavailable: 1, invalid: 1 });
    expect(r.at).toBe(AT_ISO);
    const down = r.slos[4]!;
    expect(down.unavailable).toBe('SLO down/availability: the instant query failed: connection refused; query: ' + down.unavailable!.split('; query: ')[1]);
    expect(down.reasons).toEqual([`metrics unavailable, passed because of --on-unavailable pass: ${down.unavailable}`]);
  });

  it('turns inconsistent data into a blocking invalid verdict, even under --on-unavailable pass', async () => {
    for (const onUnavailable of ['fail', 'pass'] as const) {
      const s = (await evaluateSlos([slo('v')], source({ v: nonsense }), { at: AT, policy, batch: true, onUnavailable })).slos[0]!;
      const message = `fakeprom answered bad (30d) larger than total (30d): bad (30d) 200 > total (30d) 100 at ${AT_ISO}; query: sum(rate(req_total{service="v",code="500"}[30d]))`;
      expect(s).toMatchObject({
        verdict: 'invalid',
        blocked: true,
        blocks: ['invalid'],
        reasons: [`invalid metric data: ${message}`],
        unavailable: null,
        invalid: { message, query: 'sum(rate(req_total{service="v",code="500"}[30d]))', value: 'bad (30d) 200 > total (30d) 100', time: AT_ISO },
        sli: null,
        budgetRemaining: null,
        burnRates: { '5m': null, '1h': null, '6h': null, '1d': null, '3d': null },
        exhaustion: { '1h': null, '6h': null },
        fastBurn: [],
        traffic: { current: null, peak: null, low: null, tier: 'unknown', multiplier: 1 },
        incidents: [],
        postmortemRequired: false,
        trend: [],
        sparkline: '',
        bypassed: [],
        exception: null,
      });
    }
  });

  it('lets invalid data pass, still marked invalid, when the policy says block.invalid: false', async () => {
    const p = { ...policy, block: { ...policy.block, invalid: false } };
    const r = await evaluateSlos([slo('v')], source({ v: nonsense }), { at: AT, policy: p, batch: true });
    const s = r.slos[0]!;
    expect(s.verdict).toBe('invalid');
    expect(s.blocked).toBe(false);
    expect(s.blocks).toEqual([]);
    expect(s.reasons[1]).toBe('invalid data passes under this policy (block.invalid: false)');
    expect(s.reasons).toHaveLength(2);
    expect(r.summary).toMatchObject({ invalid: 1, blocked: 0, pass: 0 });
  });

  it('treats a MetricsDataError raised by the source (the guard) as invalid, not unavailable', async () => {
    const err = new MetricsDataError('fakeprom', { query: 'q', value: Number.NaN, time: null, problem: 'a value that is not a number' });
    const s = (await evaluateSlos([slo('v')], source({ v: err }), { at: AT, policy, batch: true, onUnavailable: 'pass' })).slos[0]!;
    expect(s.verdict).toBe('invalid');
    expect(s.unavailable).toBeNull();
    expect(s.invalid).toEqual({ message: err.message, query: 'q', value: 'NaN', time: null });
  });

  it('--allow-no-data lets a no-data verdict pass and keeps every other block', async () => {
    const r = await evaluateSlos([slo('quiet'), slo('ex')], source({ quiet, ex: exhausted }), { at: AT, policy, batch: true, allowNoData: true });
    expect(r.slos.map((s) => [s.verdict, s.blocked])).toEqual([
      ['no-data', false],
      ['fail', true],
    ]);
  });

  it('names the file and path of the SLO in the no-series error, with the on-unavailable hint', async () => {
    const def = slo('gone', { source: { file: 'slos.yaml', path: 'slos[2]', format: 'relia' } });
    const err = await evaluateSlos([def], source({}), { at: AT, policy, batch: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    const e = err as DependencyError;
    expect(e.exitCode).toBe(3);
    expect(e.suggestions[0]).toBe('check the metric and label names in slos.yaml (slos[2]); try the query in the Prometheus UI');
    expect(e.suggestions[2]).toBe('pass --on-unavailable pass to let the gate pass with a warning instead (not recommended)');
  });

  it('wraps a dependency error from the source with the SLO id, keeping its dependency and suggestions', async () => {
    const inner = new DependencyError('thanos', 'store gateway timeout', { suggestions: ['retry later'] });
    const err = await evaluateSlos([slo('v')], source({ v: inner }), { at: AT, policy, batch: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    const e = err as DependencyError;
    expect(e.message).toBe('SLO v/availability: store gateway timeout');
    expect(e.dependency).toBe('thanos');
    expect(e.suggestions).toEqual(['retry later', 'pass --on-unavailable pass to let the gate pass with a warning instead (not recommended)']);
    expect(e.cause).toBe(inner);
  });

  it('passes other relia errors and aborts through unchanged (never as unavailable)', async () => {
    const input = new InputError('bad flag', { field: '--x', suggestions: ['drop it'] });
    expect(await evaluateSlos([slo('v')], source({ v: input }), { at: AT, policy, batch: true, onUnavailable: 'pass' }).catch((e: unknown) => e)).toBe(input);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(await evaluateSlos([slo('v')], source({ v: abort }), { at: AT, policy, batch: true, onUnavailable: 'pass' }).catch((e: unknown) => e)).toBe(abort);
  });

  it('wraps an exit-3 relia error from another copy of the module (a plugin) like a dependency error', async () => {
    const foreign = Object.assign(new ReliaError('redis down', 3, { suggestions: ['start redis'] }), { dependency: 'redis' });
    const err = (await evaluateSlos([slo('v')], source({ v: foreign }), { at: AT, policy, batch: true }).catch((e: unknown) => e)) as DependencyError;
    expect(err).toBeInstanceOf(DependencyError);
    expect(err.message).toBe('SLO v/availability: redis down');
    expect(err.dependency).toBe('redis');
    expect(err.suggestions[0]).toBe('start redis');
    const passed = (await evaluateSlos([slo('v')], source({ v: foreign }), { at: AT, policy, batch: true, onUnavailable: 'pass' })).slos[0]!;
    expect(passed.unavailable).toBe('SLO v/availability: redis down');
  });

  it('aborts the SLOs still running when one fails, and throws the first failure', async () => {
    // 'slow' answers after 2 s of virtual time unless aborted; 'down' fails at once
    const src = new SlowMetrics(new FakeClock(AT), (query) => (query.includes('service="slow"') ? 2000 : 0));
    src.fault = (query) => (query.includes('service="down"') ? new Error('connection refused') : undefined);
    const err = (await evaluateSlos([slo('slow'), slo('down')], src, { at: AT, policy, batch: true, concurrency: 2 }).catch((e: unknown) => e)) as DependencyError;
    expect(err).toBeInstanceOf(DependencyError);
    expect(err.message.startsWith('SLO down/availability: the instant query failed: connection refused')).toBe(true);
    expect(src.aborted.length).toBeGreaterThan(0); // slow's queries, cut short
    expect(src.aborted.every((q) => q.includes('service="slow"'))).toBe(true);
    expect(src.clock.now()).toBe(AT); // cut short: the 2 s never passed
  });

  it('keeps the cause of a plain error it wraps', async () => {
    const plain = new Error('socket hang up');
    const err = (await evaluateSlos([slo('v')], source({ v: plain }), { at: AT, policy, batch: true }).catch((e: unknown) => e)) as DependencyError;
    expect(err).toBeInstanceOf(DependencyError);
    expect(err.dependency).toBe('fakeprom');
    expect(err.cause).toBe(plain);
    expect(err.message.startsWith('SLO v/availability: the instant query failed: socket hang up; query: ')).toBe(true);
  });

  it('reports a bad per-SLO policy override at the SLO path', async () => {
    const def = slo('v', { policy: { minEvents: -1 }, source: { file: 'slos.yaml', path: 'slos[1]', format: 'relia' } });
    const err = await evaluateSlos([def], source({ v: ok }), { at: AT, policy, batch: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(String((err as InputError).message)).toContain('slos[1].policy.minEvents');
    expect(String((err as InputError).message)).toContain('slos.yaml');
  });
});

describe('evaluateSlos: interruptions, odd rejections and what every status carries', () => {
  const ok = [tag('30d', 'total', 100), tag('30d', 'bad', 0.02)];
  /**
   * The metrics fake, unbatched (kind `fakemetrics`, not a PromQL server): InstrumentedMetrics over MemoryMetrics
   * holding v's request counters for the 31 days up to AT, 100 req/s of which 0.02/s are 500s.
   */
  const plain = () => {
    const minutes = 31 * 1440;
    const series = [
      { labels: { __name__: 'req_total', service: 'v', code: '200' }, increments: new Float64Array(minutes).fill(5998.8) },
      { labels: { __name__: 'req_total', service: 'v', code: '500' }, increments: new Float64Array(minutes).fill(1.2) },
    ];
    return new InstrumentedMetrics(MemoryMetrics.fromIncrements(series, AT / 1000 - minutes * 60, 60, { kind: 'fakemetrics', now: () => AT }));
  };

  it('reports every query to onQuery with its kind, one per window and part when unbatched', async () => {
    const seen: Array<{ kind: string; query: string }> = [];
    const r = await evaluateSlos([slo('v')], plain(), { at: AT, policy, onQuery: ({ kind, query }) => seen.push({ kind, query }) });
    expect(r.slos[0]!.consumed).toBeCloseTo(0.2, 9); // 0.02 ÷ 100 of a 0.001 budget, from the fake's counters
    expect(seen.filter((q) => q.kind === 'instant')).toHaveLength(14);
    expect(seen.filter((q) => q.kind === 'range').map((q) => q.query)).toEqual(['sum(rate(req_total{service="v"}[1h]))', 'sum(rate(req_total{service="v",code="500"}[1h]))']);
  });

  it('wraps a rejection that is not an Error as a DependencyError naming the query and its kind', async () => {
    // the fake (no series), its instant queries rejecting with something that is not an Error: a scripted fault
    // InstrumentedMetrics.fault cannot give (it returns an Error or nothing)
    const nothing = new InstrumentedMetrics(new MemoryMetrics([], { kind: 'fakeprom', now: () => AT }));
    nothing.instant = () => Promise.reject(null as unknown as Error);
    const e = (await evaluateSlos([slo('v')], nothing, { at: AT, policy, batch: true }).catch((x: unknown) => x)) as DependencyError;
    expect(e).toBeInstanceOf(DependencyError);
    expect(e.message.startsWith('SLO v/availability: the instant query failed: null; query: label_replace(')).toBe(true);
    // the range queries fail (a scripted fault: fault(query) cannot tell them from the instant query of the same text)
    const boom = plain();
    boom.range = () => Promise.reject(new Error('boom'));
    const r = (await evaluateSlos([slo('v')], boom, { at: AT, policy }).catch((x: unknown) => x)) as DependencyError;
    expect(r.message).toBe('SLO v/availability: the range query failed: boom; query: sum(rate(req_total{service="v"}[1h]))');
  });

  it.each(['fail', 'pass'] as const)('throws the caller\'s reason when interrupted mid-query, never a dependency error or a pass (--on-unavailable %s)', async (onUnavailable) => {
    const caller = new AbortController();
    const interrupted = new Error('interrupted by SIGINT');
    // every query hangs for a minute of virtual time; the caller interrupts once two are in flight, and the source
    // reports its aborted requests as a dependency failure, like an HTTP adapter
    const src = new SlowMetrics(new FakeClock(AT), () => 60_000);
    src.onStart = (n) => {
      if (n === 2) caller.abort(interrupted);
    };
    src.abortAs = () => new DependencyError('fakeprom', 'request aborted');
    const err = await evaluateSlos([slo('v')], src, { at: AT, policy, batch: true, signal: caller.signal, onUnavailable }).catch((x: unknown) => x);
    expect(err).toBe(interrupted);
  });

  it('says which SLO an unavailable or invalid status is about: its source and description, and no blocks when it passes', async () => {
    const described = (svc: string) => slo(svc, { description: `${svc} answers`, source: { file: 'slos.yaml', path: `slos[${svc.length}]`, format: 'openslo' } });
    const r = await evaluateSlos([described('down'), described('v'), slo('ok')], source({ down: new Error('refused'), v: [tag('30d', 'total', 100), tag('30d', 'bad', 200)], ok }), { at: AT, policy, batch: true, onUnavailable: 'pass' });
    const [down, invalid, plainSlo] = r.slos;
    expect(down).toMatchObject({ verdict: 'pass', blocked: false, blocks: [], source: { file: 'slos.yaml', path: 'slos[4]', format: 'openslo' }, description: 'down answers' });
    expect(invalid).toMatchObject({ verdict: 'invalid', source: { file: 'slos.yaml', path: 'slos[1]', format: 'openslo' }, description: 'v answers' });
    expect(plainSlo?.source).toEqual({ file: 'ok.yaml', path: '', format: 'relia' });
    const quiet = await evaluateSlos([slo('down'), slo('v')], source({ down: new Error('refused'), v: [tag('30d', 'total', 100), tag('30d', 'bad', 200)] }), { at: AT, policy, batch: true, onUnavailable: 'pass' });
    expect(quiet.slos.map((s) => 'description' in s)).toEqual([false, false]);
  });

  it('names a path-less SLO file without a path prefix (override field, no-series hint)', async () => {
    const override = await evaluateSlos([slo('v', { policy: { minEvents: -1 } })], source({ v: ok }), { at: AT, policy, batch: true }).catch((x: unknown) => x);
    expect(override).toBeInstanceOf(InputError);
    expect((override as InputError).field).toBe('policy.minEvents');
    expect((override as InputError).message).toBe('v.yaml: policy.minEvents: expected 0 or more');
    const gone = (await evaluateSlos([slo('gone')], source({}), { at: AT, policy, batch: true }).catch((x: unknown) => x)) as DependencyError;
    expect(gone.suggestions[0]).toBe('check the metric and label names in gone.yaml; try the query in the Prometheus UI');
  });
});
