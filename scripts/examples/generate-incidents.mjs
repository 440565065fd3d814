#!/usr/bin/env node
/**
 * Generate docs/examples/incidents.csv and docs/examples/incidents.json: a
 * year (2025-12-01 .. 2026-11-01) of incidents for a streaming service, for
 * `relia risk history` and `relia risk register`. Deterministic: a fixed seed
 * drives pure-rand, so re-running produces byte-identical files.
 *
 *   node scripts/examples/generate-incidents.mjs
 *
 * The model (made up, but shaped like real incident data):
 *  - each (service, category) has a yearly rate; incidents arrive as a Poisson
 *    process (exponential gaps);
 *  - time to detect is lognormal with a category median that falls by 75 %
 *    over the year (better alerting), so MTTD shows an improving trend;
 *  - detect → resolve is lognormal with a category median;
 *  - impact is uniform in a category range, rounded to 0.01;
 *  - three follow-up incidents start while an earlier one in the same group is
 *    still open (overlaps), and the three latest incidents are still open.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

const SEED = 20251201;
const START = Date.UTC(2025, 11, 1);
const END = Date.UTC(2026, 10, 1);
const MIN = 60_000;
const YEAR_MS = 365.25 * 86_400_000;

const rng = xoroshiro128plus(SEED);
for (let i = 0; i < 32; i++) rng.next();
const uniform = () => uniformFloat64(rng);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
const lognormal = (median, sigma) => median * Math.exp(sigma * normal());

/** Category: median minutes to detect (at the start of the year), median detect → resolve, impact range. */
const CATEGORIES = {
  cdn: { ttd: 7, ttr: 35, impact: [0.05, 0.4] },
  database: { ttd: 5, ttr: 50, impact: [0.1, 0.7] },
  cache: { ttd: 4, ttr: 20, impact: [0.05, 0.3] },
  dependency: { ttd: 12, ttr: 60, impact: [0.1, 0.9] },
  deploy: { ttd: 9, ttr: 25, impact: [0.02, 0.3] },
};

/** Incidents per year for each (service, category). */
const GROUPS = [
  ['playback', 'cdn', 10],
  ['playback', 'cache', 5],
  ['playback', 'dependency', 5],
  ['playback', 'deploy', 6],
  ['catalog', 'database', 4],
  ['catalog', 'cache', 3],
  ['catalog', 'deploy', 5],
  ['checkout', 'database', 5],
  ['checkout', 'dependency', 6],
  ['checkout', 'deploy', 4],
  ['search', 'cache', 5],
  ['search', 'deploy', 3],
  ['search', 'dependency', 2],
];

const roundToMinute = (ms) => Math.round(ms / MIN) * MIN;

function makeIncident(service, category, started) {
  const c = CATEGORIES[category];
  const progress = (started - START) / (END - START);
  const ttd = Math.max(1, lognormal(c.ttd * (1 - 0.75 * progress), 0.35));
  const ttr = Math.max(3, lognormal(c.ttr, 0.7));
  const detected = roundToMinute(started + ttd * MIN);
  const resolved = roundToMinute(detected + ttr * MIN);
  const impact = Math.round((c.impact[0] + uniform() * (c.impact[1] - c.impact[0])) * 100) / 100;
  return { service, category, started, detected, resolved, impact };
}

const incidents = [];
for (const [service, category, perYear] of GROUPS) {
  let t = START;
  for (;;) {
    t += (-Math.log(1 - uniform()) / perYear) * YEAR_MS;
    if (t >= END) break;
    incidents.push(makeIncident(service, category, roundToMinute(t)));
  }
}
incidents.sort((a, b) => a.started - b.started || (a.service < b.service ? -1 : 1));

// Overlaps: a follow-up in the same group, 40 % into three earlier incidents.
for (const index of [7, 23, 41]) {
  const first = incidents[index];
  const started = roundToMinute(first.started + 0.4 * (first.resolved - first.started));
  incidents.push(makeIncident(first.service, first.category, started));
}
incidents.sort((a, b) => a.started - b.started || (a.service < b.service ? -1 : 1));

// The three latest incidents are still open.
for (const inc of incidents.slice(-3)) inc.resolved = null;

const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const severity = (inc) => {
  const minutes = ((inc.resolved ?? inc.detected) - inc.started) / MIN;
  if (inc.impact >= 0.5 && minutes >= 30) return 'SEV1';
  if (inc.impact >= 0.2) return 'SEV2';
  return 'SEV3';
};
const rows = incidents.map((inc, i) => ({
  id: `INC-${1001 + i}`,
  service: inc.service,
  category: inc.category,
  severity: severity(inc),
  started: iso(inc.started),
  detected: iso(inc.detected),
  resolved: inc.resolved === null ? null : iso(inc.resolved),
  impact: inc.impact,
}));

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'docs', 'examples');
const header = 'id,service,category,severity,started,detected,resolved,impact';
const csv = [header, ...rows.map((r) => [r.id, r.service, r.category, r.severity, r.started, r.detected, r.resolved ?? '', r.impact].join(','))].join('\n') + '\n';
writeFileSync(join(out, 'incidents.csv'), csv);
writeFileSync(join(out, 'incidents.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(`wrote ${rows.length} incidents (${rows.filter((r) => r.resolved === null).length} open) to ${out}`);
