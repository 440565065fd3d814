#!/usr/bin/env node
/**
 * How long `relia capacity forecast`'s core takes (season detection, the
 * Holt-Winters fit with its grid + Nelder–Mead search, the backtest refit,
 * the forecast and the scheduled actions), in process, on generated series
 * of the sizes users send. No servers.
 *
 *   npm run build && node bench/capacity/forecast.mjs [--rounds 7] [--json]
 *
 * Series: 7d at 5m (2,017 points, daily season of 288), 21d at 5m (6,049
 * points, weekly season of 2,016: the weekends differ), 30d at 1h (721
 * points). Figures: the median and the max over the rounds, after one warm-up.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { forecastSeries } = await import(pathToFileURL(join(ROOT, 'dist/src/core/capacity/forecast.js')).href);

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const ROUNDS = Number(arg('--rounds', '7'));
const JSON_OUT = process.argv.includes('--json');

function prng(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const END = Date.parse('2026-11-01T00:00:00Z') / 1000;
function series(days, step, weekly) {
  const r = prng(days * step);
  const n = (days * 86400) / step + 1;
  const start = END - (n - 1) * step;
  const values = Array.from({ length: n }, (_, i) => {
    const t = start + i * step;
    const weekend = weekly && Math.floor(t / 86400 + 4) % 7 >= 5;
    return (weekend ? 600 : 1000) * (1 + 0.3 * Math.sin((2 * Math.PI * ((t % 86400) / 3600 - 12)) / 24)) + 20 * (r() - 0.5);
  });
  return { start, step, values, filled: 0 };
}

const cases = [
  { name: '7d@5m daily', series: series(7, 300, false) },
  { name: '21d@5m weekly', series: series(21, 300, true) },
  { name: '30d@1h daily', series: series(30, 3600, false) },
];
const scaling = { capacityPerInstance: 100, leadTime: 900, targetUtilization: 0.7, interval: 3600, minInstances: 1 };
const out = [];
for (const c of cases) {
  const run = () => forecastSeries({ series: c.series, season: 'auto', horizon: 86400, level: 0.95, scaling });
  const warm = run();
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out.push({ case: c.name, points: c.series.values.length, season: warm.season.label, mape: warm.backtest?.mape ?? null, medianMs: times[Math.floor(times.length / 2)], maxMs: times[times.length - 1] });
}
if (JSON_OUT) console.log(JSON.stringify(out, null, 2));
else for (const o of out) console.log(`${o.case.padEnd(15)} ${String(o.points).padStart(5)} points  season ${o.season.padEnd(3)}  backtest MAPE ${o.mape === null ? 'n/a' : `${o.mape.toFixed(2)}%`}  median ${o.medianMs.toFixed(1)} ms  max ${o.maxMs.toFixed(1)} ms`);
