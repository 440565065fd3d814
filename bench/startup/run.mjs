#!/usr/bin/env node
/**
 * Startup bench: cold `relia --version`, `relia --help`, `relia budget --help`
 * against a bare oclif 4 CLI with one command (bench/startup/bare-oclif, same
 * @oclif/core) and against `node -e 0`. Runs are interleaved (one of each per
 * round) so machine noise hits every variant alike; reports medians and ratios.
 *   node bench/startup/run.mjs [--rounds 30] [--json]
 * Needs a build (npm run build). Target: relia within 1.2x of the bare CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bare = join(root, 'bench/startup/bare-oclif');
// The bare CLI resolves @oclif/core from relia's node_modules (same version).
if (!existsSync(join(bare, 'node_modules'))) {
  mkdirSync(join(bare, 'node_modules/@oclif'), { recursive: true });
  symlinkSync(join(root, 'node_modules/@oclif/core'), join(bare, 'node_modules/@oclif/core'));
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg('--rounds', '30'));
const relia = join(root, 'bin/run.js');
const variants = {
  'node -e 0': ['-e', '0'],
  'bare oclif --version': [join(bare, 'bin/run.js'), '--version'],
  'bare oclif --help': [join(bare, 'bin/run.js'), '--help'],
  'relia --version': [relia, '--version'],
  'relia --help': [relia, '--help'],
  'relia budget --help': [relia, 'budget', '--help'],
};
const env = { ...process.env, NO_COLOR: '1' };
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const args of Object.values(variants)) spawnSync(process.execPath, args, { env }); // warm the page cache once
for (let r = 0; r < rounds; r++) {
  for (const [name, args] of Object.entries(variants)) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 0) throw new Error(`${name} exited ${res.status}`);
    samples[name].push(ms);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const result = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  rounds,
  medianMs: Object.fromEntries(Object.entries(med).map(([k, v]) => [k, Number(v.toFixed(1))])),
  ratios: {
    'relia --version / bare --version': Number((med['relia --version'] / med['bare oclif --version']).toFixed(3)),
    'relia --help / bare --help': Number((med['relia --help'] / med['bare oclif --help']).toFixed(3)),
    'relia budget --help / bare --help': Number((med['relia budget --help'] / med['bare oclif --help']).toFixed(3)),
  },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`startup, ${rounds} interleaved rounds, node ${process.version}`);
  for (const [k, v] of Object.entries(result.medianMs)) console.log(`  ${k.padEnd(24)} ${String(v).padStart(7)} ms (median)`);
  for (const [k, v] of Object.entries(result.ratios)) console.log(`  ${k.padEnd(36)} ${v}x  (target <= 1.2x)`);
}
const out = arg('--out');
if (out) writeFileSync(out, JSON.stringify(result, null, 2));
