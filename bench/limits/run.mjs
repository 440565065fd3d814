#!/usr/bin/env node
/**
 * Issue 10's input limits, measured on the BUILT CLI (no servers):
 * - peak RSS (`/usr/bin/time -f %M`) and wall time of `budget validate --slo`,
 *   `budget check --slo` (Prometheus unreachable: it parses everything, then
 *   fails closed with exit 3) on one multi-document SLO file, and of
 *   `risk history --incidents` on one incident CSV, at each --sizes MiB (the
 *   default input limit is 8 MiB, 64 MiB before this bench: src/cli/files.ts),
 *   with RELIA_MAX_INPUT_SIZE raised so the largest size is read;
 * - the same file one byte over the limit: refused before it is read;
 * - the gzip bomb: a 300 MB run of zeros gzipped (~291 KB) as a cache warm
 *   sitemap source: refused at the 256 MiB source limit (exit 2);
 * - SIGINT/SIGTERM to exit latency of `risk simulate` (a ~1.8×10⁸-draw run):
 *   the signal is sent once the run has reported its first slice
 *   (`--progress json`), --rounds times each.
 *
 *   npm run build && node bench/limits/run.mjs [--sizes 2,8,16] [--rounds 10] [--only mem,bomb,signal]
 *
 * Prints a Markdown table per part (copy into docs/performance.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const SIZES = arg('--sizes', '2,8,16').split(',').map(Number);
const ROUNDS = Number(arg('--rounds', '10'));
const ONLY = arg('--only', 'mem,bomb,signal').split(',');
const MiB = 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), 'relia-bench-limits-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1', CI: 'true' };
delete env.RELIA_CONFIG;
delete env.RELIA_ENV;

/** Write `bytes` (about) of `unit(i)` blocks after `head`. */
function generate(path, bytes, head, unit, sep = '') {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const u = (i > 0 ? sep : '') + unit(i);
    parts.push(u);
    size += u.length;
  }
  writeFileSync(path, parts.join(''));
  return statSync(path).size;
}

const slo = (i) => `apiVersion: relia/v1
kind: SLO
service: svc${i}
name: availability
objective: 99.9
window: 30d
sli:
  bad: sum(rate(http_requests_total{service="svc${i}",code="500"}[{{.window}}]))
  total: sum(rate(http_requests_total{service="svc${i}"}[{{.window}}]))
labels:
  team: payments
`;
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const incident = (i) => {
  const s = Date.parse('2020-01-01T00:00:00Z') + i * 37 * 60_000;
  return `INC-${i},svc${i % 50},cdn,SEV3,${iso(s)},${iso(s + 300_000)},${iso(s + 2_100_000)},0.1\n`;
};

/** Peak RSS (MiB), wall seconds and exit code of one relia run. */
function measure(args, extraEnv = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'RSS %M WALL %e', process.execPath, BIN, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 1024 * MiB });
  const m = /RSS (\d+) WALL ([\d.]+)\s*$/.exec(r.stderr);
  const code = /Command exited with non-zero status (\d+)/.exec(r.stderr);
  return { rssMiB: m ? Number(m[1]) / 1024 : NaN, seconds: m ? Number(m[2]) : NaN, exit: code ? Number(code[1]) : 0 };
}

const rows = [];
const row = (what, fileMiB, m) => {
  rows.push({ what, fileMiB, ...m });
  process.stderr.write(`${what} ${fileMiB.toFixed(1)} MiB: ${m.rssMiB.toFixed(0)} MiB RSS, ${m.seconds} s, exit ${m.exit}\n`);
};

if (ONLY.includes('mem')) {
  const big = `${Math.max(...SIZES) + 1}MB`;
  row('node bin/run.js --version (baseline)', 0, measure(['--version']));
  for (const size of SIZES) {
    const slos = join(tmp, `slos-${size}.yaml`);
    const sloMiB = generate(slos, size * MiB, '', slo, '---\n') / MiB;
    row('budget validate --slo F --json', sloMiB, measure(['budget', 'validate', '--slo', slos, '--json'], { RELIA_MAX_INPUT_SIZE: big }));
    row('budget check --slo F --prometheus http://127.0.0.1:1 --json', sloMiB, measure(['budget', 'check', '--slo', slos, '--prometheus', 'http://127.0.0.1:1', '--json'], { RELIA_MAX_INPUT_SIZE: big }));
    rmSync(slos);
    const incidents = join(tmp, `incidents-${size}.csv`);
    const incMiB = generate(incidents, size * MiB, 'id,service,category,severity,started,detected,resolved,impact\n', incident) / MiB;
    row('risk history --incidents F --json', incMiB, measure(['risk', 'history', '--incidents', incidents, '--json'], { RELIA_MAX_INPUT_SIZE: big }));
    rmSync(incidents);
  }
  const over = join(tmp, 'over.csv');
  const overMiB = generate(over, 8 * MiB + 1, 'id,service,category,severity,started,detected,resolved,impact\n', incident) / MiB;
  row('risk history --incidents F (over the 8 MiB default: refused)', overMiB, measure(['risk', 'history', '--incidents', over, '--json']));
  rmSync(over);
}

if (ONLY.includes('bomb')) {
  const bomb = join(tmp, 'bomb.xml.gz');
  await new Promise((resolve, reject) => {
    const gz = createGzip({ level: 9 });
    const out = createWriteStream(bomb);
    gz.pipe(out).on('finish', resolve).on('error', reject);
    const chunk = Buffer.alloc(MiB);
    let left = 300_000_000;
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!gz.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void gz.once('drain', write);
      }
      gz.end();
    };
    write();
  });
  row('cache warm --source sitemap:bomb.xml.gz (300 MB of zeros gzipped)', statSync(bomb).size / MiB, measure(['cache', 'warm', '--source', `sitemap:${bomb}`, '--target', 'http', '--dry-run', '--json']));
}

const baseline = rows.find((r) => r.what.includes('baseline'))?.rssMiB ?? 0;
console.log('| command | file (MiB) | peak RSS (MiB) | (RSS − baseline) / file | wall (s) | exit |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| \`${r.what}\` | ${r.fileMiB.toFixed(1)} | ${r.rssMiB.toFixed(0)} | ${r.fileMiB > 0 && baseline > 0 ? ((r.rssMiB - baseline) / r.fileMiB).toFixed(1) : '—'} | ${r.seconds} | ${r.exit} |`);

if (ONLY.includes('signal')) {
  const dir = mkdtempSync(join(tmp, 'sim-'));
  writeFileSync(join(dir, 'register.yaml'), 'objective: 99.9\nrisks:\n  - { name: flappy, service: api, category: dependency, ettd: 1m, ettr: 4m, impact: 0.1, ettf: 1h }\n');
  const once = (signal) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'risk', 'simulate', '-r', 'register.yaml', '--seed', '1', '--years', '20000', '--progress', 'json'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      let sent = 0;
      child.stderr.on('data', (c) => {
        err += String(c);
        if (!sent && err.includes('{"event":"simulate"')) {
          sent = performance.now();
          child.kill(signal);
        }
      });
      child.on('exit', (code, sig) => (sent ? resolve({ ms: performance.now() - sent, code }) : reject(new Error(`exited before its first progress event: ${code ?? sig}\n${err}`))));
    });
  console.log('\n| signal | rounds | exit | median (ms) | max (ms) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await once(signal));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const codes = [...new Set(runs.map((r) => r.code))].join('/');
    console.log(`| ${signal} | ${ROUNDS} | ${codes} | ${ms[Math.floor(ms.length / 2)].toFixed(0)} | ${ms[ms.length - 1].toFixed(0)} |`);
  }
}
