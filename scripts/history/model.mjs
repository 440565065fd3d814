/**
 * The traffic model behind the backfilled Prometheus history (docs/test-servers.md#history).
 *
 * Everything here is deterministic: a fixed end time, fixed incident times and
 * one small seeded PRNG per series, so the same source always yields the same
 * integers. The model produces per-minute INCREMENTS; the counters are their
 * running sums. Sample i sits at t_i = FIRST + 60·i s and carries the
 * cumulative count of everything in (FIRST, t_i]; the increment of minute i
 * is what happened in (t_{i-1}, t_i].
 */

export const STEP_S = 60;
export const DAY_S = 86_400;
/** The end of the history: the last sample is exactly here. */
export const END_S = Date.UTC(2026, 10, 1) / 1000; // 2026-11-01T00:00:00Z = 1793491200
/** Thirty days before END: the window the tests call "30d". */
export const START_S = END_S - 30 * DAY_S; // 2026-10-02T00:00:00Z
/** Six hours of lead-in before START, so rate()/increase() over short windows at START have data. */
export const PRE_S = 6 * 3600;
/** The first sample (counters are 0 here). */
export const FIRST_S = START_S - PRE_S; // 2026-10-01T18:00:00Z
/** Number of increments; samples are 0..MINUTES. */
export const MINUTES = (END_S - FIRST_S) / STEP_S;

const iso = (s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
export const toIso = iso;
const at = (text) => Date.parse(text) / 1000;

/**
 * The services. `rps` is the daily mean; `amplitude` the relative swing of the
 * daily sine, which peaks at 18:00 UTC; `errorRatio` the baseline share of
 * code="500"; `notFoundRatio` the share of code="404" (a good event).
 * Incidents replace the error ratio (and `trafficFactor` multiplies the mean)
 * for minutes whose end time t satisfies start < t ≤ end.
 */
export const SERVICES = [
  {
    name: 'checkout',
    rps: 200,
    amplitude: 0.4,
    errorRatio: 0.0005,
    notFoundRatio: 0.004,
    incidents: [
      { name: 'checkout-error-burst', start: at('2026-10-11T14:10:00Z'), end: at('2026-10-11T14:55:00Z'), errorRatio: 0.2 },
      { name: 'checkout-degraded', start: at('2026-10-23T03:00:00Z'), end: at('2026-10-23T05:00:00Z'), errorRatio: 0.02 },
    ],
  },
  {
    name: 'search',
    rps: 400,
    amplitude: 0.3,
    errorRatio: 0.0002,
    notFoundRatio: 0.006,
    incidents: [{ name: 'search-outage', start: at('2026-10-26T09:30:00Z'), end: at('2026-10-26T09:40:00Z'), errorRatio: 0.5 }],
  },
  {
    name: 'playback',
    rps: 300,
    amplitude: 0.35,
    errorRatio: 0.0008,
    notFoundRatio: 0.002,
    incidents: [
      { name: 'playback-peak', kind: 'peak', start: at('2026-10-28T17:00:00Z'), end: at('2026-10-28T23:00:00Z'), errorRatio: 0.003, trafficFactor: 3 },
    ],
  },
  {
    // Low traffic: ~0.015 rps, about 39 000 requests in 30 days, so a
    // min-events guard of 100 000 finds too little data.
    name: 'billing',
    rps: 0.015,
    amplitude: 0.3,
    errorRatio: 0.001,
    notFoundRatio: 0.002,
    incidents: [],
  },
  {
    // Budget exhausted: 0.5 % errors against a 99.9 % objective, and a fast
    // burn (10 %) in the last 90 minutes.
    name: 'recommendations',
    rps: 100,
    amplitude: 0.3,
    errorRatio: 0.005,
    notFoundRatio: 0.003,
    incidents: [{ name: 'recommendations-fast-burn', start: END_S - 90 * 60, end: END_S, errorRatio: 0.1 }],
  },
];

export const CODES = ['200', '404', '500'];

/** plays_total{title}: TITLES titles with Zipf(s = 1) popularity over PLAYS_RPS plays per second. */
export const TITLES = 50;
export const PLAYS_RPS = 40;
export const titleId = (k) => `t${String(k).padStart(3, '0')}`;

/** mulberry32: a 32-bit state PRNG, uniform in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: a stable seed per series. */
export function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Poisson(λ): Knuth's product method for small λ, a rounded normal above 40. */
function poisson(rand, lambda) {
  if (lambda <= 0) return 0;
  if (lambda < 40) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rand();
    while (p > limit) {
      k++;
      p *= rand();
    }
    return k;
  }
  const u1 = 1 - rand();
  const u2 = rand();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
}

/** 1 + amplitude·sin(...), peaking at 18:00 UTC; evaluated at the middle of the minute. */
function daily(tEnd, amplitude) {
  const tod = (tEnd - 30) % DAY_S;
  return 1 + amplitude * Math.sin((2 * Math.PI * (tod - 12 * 3600)) / DAY_S);
}

function activeIncident(service, t) {
  for (const inc of service.incidents) if (inc.start < t && t <= inc.end) return inc;
  return undefined;
}

/**
 * Per-minute increments for one service: { '200': Int32Array, '404': ..., '500': ... },
 * index i = 1..MINUTES (index 0 is unused and 0).
 */
export function serviceIncrements(service) {
  const rand = mulberry32(seedOf(`relia-history/v1/${service.name}`));
  const out = Object.fromEntries(CODES.map((c) => [c, new Int32Array(MINUTES + 1)]));
  for (let i = 1; i <= MINUTES; i++) {
    const t = FIRST_S + i * STEP_S;
    const inc = activeIncident(service, t);
    const mean = service.rps * STEP_S * daily(t, service.amplitude) * (inc?.trafficFactor ?? 1);
    // Poisson for thin traffic; otherwise ±3 % uniform jitter around the mean.
    const total = mean < 40 ? poisson(rand, mean) : Math.round(mean * (1 + 0.06 * (rand() - 0.5)));
    const errorRatio = inc?.errorRatio ?? service.errorRatio;
    const bad = Math.min(total, poisson(rand, total * errorRatio));
    const notFound = Math.min(total - bad, poisson(rand, total * service.notFoundRatio));
    out['500'][i] = bad;
    out['404'][i] = notFound;
    out['200'][i] = total - bad - notFound;
  }
  return out;
}

/** Per-minute increments of plays_total for title k (1-based). */
export function titleIncrements(k) {
  const rand = mulberry32(seedOf(`relia-history/v1/plays/${titleId(k)}`));
  let harmonic = 0;
  for (let j = 1; j <= TITLES; j++) harmonic += 1 / j;
  const share = 1 / k / harmonic;
  const out = new Int32Array(MINUTES + 1);
  for (let i = 1; i <= MINUTES; i++) {
    const t = FIRST_S + i * STEP_S;
    out[i] = poisson(rand, PLAYS_RPS * STEP_S * share * daily(t, 0.35));
  }
  return out;
}

/** Running sums: cumulative[i] = Σ increments[1..i] (cumulative[0] = 0). Float64 so sums never overflow. */
export function cumulative(increments) {
  const out = new Float64Array(increments.length);
  let sum = 0;
  for (let i = 1; i < increments.length; i++) {
    sum += increments[i];
    out[i] = sum;
  }
  return out;
}

/** Index of the sample at unix time t (must be on the grid). */
export function indexAt(t) {
  const i = (t - FIRST_S) / STEP_S;
  if (!Number.isInteger(i) || i < 0 || i > MINUTES) throw new Error(`time ${iso(t)} is not a sample of the history`);
  return i;
}

/** Every series of the history: { metric, labels, cum } in output order. */
export function buildSeries() {
  const series = [];
  for (const service of SERVICES) {
    const inc = serviceIncrements(service);
    for (const code of CODES) series.push({ family: 'http_requests', labels: { service: service.name, code }, cum: cumulative(inc[code]) });
  }
  for (let k = 1; k <= TITLES; k++) series.push({ family: 'plays', labels: { title: titleId(k) }, cum: cumulative(titleIncrements(k)) });
  return series;
}
