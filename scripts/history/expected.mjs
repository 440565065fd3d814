/**
 * expected.json: the numbers tests compare against, computed here from the
 * generator's own integer counts (never through PromQL). Field meanings are
 * written into the file (`definitions`) and into docs/test-servers.md.
 */
import { CODES, DAY_S, END_S, FIRST_S, MINUTES, PRE_S, PLAYS_RPS, SERVICES, START_S, STEP_S, TITLES, indexAt, titleId, toIso } from './model.mjs';

export const WINDOWS = { '5m': 300, '30m': 1800, '1h': 3600, '2h': 7200, '6h': 21_600, '1d': DAY_S, '3d': 3 * DAY_S, '30d': 30 * DAY_S };

/** Prometheus' quantile(): rank φ·(n−1) over the sorted values, linear between neighbours. */
export function promQuantile(phi, values) {
  const sorted = Float64Array.from(values).sort();
  const rank = phi * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const w = rank - lo;
  return sorted[lo] * (1 - w) + sorted[hi] * w;
}

/** series: output of buildSeries(). */
export function computeExpected(series) {
  const N = MINUTES;
  const find = (family, labels) =>
    series.find((s) => s.family === family && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) ??
    (() => {
      throw new Error(`no series ${family}${JSON.stringify(labels)}`);
    })();
  const between = (cum, fromS, toS) => cum[indexAt(toS)] - cum[indexAt(fromS)];

  const services = {};
  for (const svc of SERVICES) {
    const cums = Object.fromEntries(CODES.map((c) => [c, find('http_requests', { service: svc.name, code: c }).cum]));
    const count = (fromS, toS) => {
      const by = Object.fromEntries(CODES.map((c) => [c, between(cums[c], fromS, toS)]));
      const total = by['200'] + by['404'] + by['500'];
      return { total, bad: by['500'], good: total - by['500'], notFound: by['404'] };
    };
    const windows = Object.fromEntries(Object.entries(WINDOWS).map(([name, w]) => [name, count(END_S - w, END_S)]));
    const incidents = svc.incidents.map((inc) => ({
      name: inc.name,
      kind: inc.kind ?? 'errors',
      start: toIso(inc.start),
      end: toIso(inc.end),
      startUnix: inc.start,
      endUnix: inc.end,
      errorRatio: inc.errorRatio,
      ...(inc.trafficFactor ? { trafficFactor: inc.trafficFactor } : {}),
      ...count(inc.start, inc.end),
    }));
    // Per-minute totals for the minutes ending at END−30d … END (43 201 of them;
    // see definitions.perMinute for why both ends are included).
    const from = indexAt(END_S - WINDOWS['30d']);
    const perMinute = new Float64Array(N - from + 1);
    for (let i = from; i <= N; i++) {
      let total = 0;
      for (const c of CODES) total += cums[c][i] - cums[c][i - 1];
      perMinute[i - from] = total;
    }
    const p90Requests = promQuantile(0.9, perMinute);
    services[svc.name] = {
      meanRps: svc.rps,
      dailyAmplitude: svc.amplitude,
      baselineErrorRatio: svc.errorRatio,
      notFoundRatio: svc.notFoundRatio,
      windows,
      incidents,
      perMinute: { count: perMinute.length, p90Requests, p90Rate: p90Requests / STEP_S },
    };
  }

  const peakSpec = SERVICES.find((s) => s.name === 'playback').incidents.find((i) => i.kind === 'peak');
  const playbackPeak = services.playback.incidents.find((i) => i.name === peakSpec.name);

  const plays = {};
  for (let k = 1; k <= TITLES; k++) {
    const cum = find('plays', { title: titleId(k) }).cum;
    plays[titleId(k)] = { '1h': between(cum, END_S - 3600, END_S), '30d': between(cum, START_S, END_S) };
  }

  return {
    version: 1,
    generator: 'scripts/history/generate.mjs',
    end: toIso(END_S),
    endUnix: END_S,
    start: toIso(START_S),
    startUnix: START_S,
    firstSample: toIso(FIRST_S),
    firstSampleUnix: FIRST_S,
    leadInSeconds: PRE_S,
    stepSeconds: STEP_S,
    windows: WINDOWS,
    definitions: {
      counts:
        'For a window W ending at END: total/bad/good/notFound = counter sample at END minus counter sample at END−W, summed over the codes of the service (bad = code "500", notFound = code "404", good = total − bad). Both samples exist (60 s grid), so this is the increase over (END−W, END].',
      incidents: 'Same, over (start, end]: the sample at end minus the sample at start. The incident ratio applies to the minutes whose end time t has start < t ≤ end.',
      perMinute:
        'Per-minute totals (all codes) for the minutes ending at END−30d, END−30d+60 s, …, END: 43 201 values (Prometheus 2.42 subqueries include both ends). p90Requests is Prometheus quantile(0.9) over them (rank 0.9·(n−1), linear interpolation); p90Rate = p90Requests / 60.',
      plays: 'plays_total{title}: "1h" = sample at END minus sample at END−1h; "30d" = sample at END minus sample at START.',
    },
    services,
    playbackPeak,
    plays: { titles: TITLES, meanRps: PLAYS_RPS, zipfExponent: 1, increase: plays },
  };
}
