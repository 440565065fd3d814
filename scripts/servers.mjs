#!/usr/bin/env node
/**
 * The real local servers for tests and the demo (docs/test-servers.md).
 *
 *   node scripts/servers.mjs up     [--state DIR] [--only prometheus,redis,origin,nginx,moto,fis,kube] [--timeout 20] [--cache DIR]
 *   node scripts/servers.mjs down   [--state DIR]
 *   node scripts/servers.mjs status [--state DIR]
 *
 * `up` starts Prometheus (with 30 days of backfilled history), two Redis
 * servers, the origin (scripts/origin.mjs), nginx as a caching proxy in front
 * of it, moto (an AWS emulator; `up` fails when it cannot start it), and two
 * loopback stand-ins: FIS's JSON API (scripts/standins/fis.mjs) and a
 * Kubernetes API server (scripts/standins/kube-api.mjs, with a kubeconfig
 * written next to it); all on free 127.0.0.1 ports. Each is
 * checked by polling (never a fixed sleep). It writes DIR/servers.json (the
 * ServersInfo shape of test/helpers/servers.ts) and prints it on stdout.
 * If anything is not ready within --timeout seconds it prints the server's log
 * tail, stops what it started and exits 1.
 *
 * `down` stops exactly the processes recorded in DIR/pids.json, by PID (each
 * is checked against its command line first, so a reused PID is never
 * signalled): SIGTERM, then SIGKILL after 10 s. It is idempotent.
 * The default DIR is .relia-test/servers; the history cache defaults to
 * .relia-test/cache (--cache DIR).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHistory, stopBackfill } from './history/generate.mjs';
import { END_S, toIso } from './history/model.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..');
const ALL = ['prometheus', 'redis', 'origin', 'nginx', 'moto', 'fis', 'kube'];
const HOST = '127.0.0.1';
const POLL_MS = 50;
const STOP_GRACE_MS = 10_000;
const PORT_ATTEMPTS = 4;

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { command, state: join(REPO_ROOT, '.relia-test', 'servers'), cache: join(REPO_ROOT, '.relia-test', 'cache'), only: [...ALL], onlyGiven: false, timeoutS: 20 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--state') opts.state = resolve(value());
    else if (a === '--only') {
      opts.onlyGiven = true;
      opts.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = opts.only.filter((s) => !ALL.includes(s));
      if (unknown.length) fail(`--only: unknown server ${unknown.join(', ')} (choose from ${ALL.join(', ')})`);
    } else if (a === '--cache') opts.cache = resolve(value());
    else if (a === '--timeout') {
      opts.timeoutS = Number(value());
      if (!(opts.timeoutS > 0)) fail('--timeout must be a number of seconds > 0');
    }
    else if (a === '-h' || a === '--help') opts.command = 'help';
    else fail(`unknown argument ${a}`);
  }
  if (command === '-h' || command === '--help') opts.command = 'help';
  if (opts.only.includes('nginx') && !opts.only.includes('origin')) opts.only.push('origin');
  return opts;
}

class UsageError extends Error {}
function fail(message) {
  throw new UsageError(message);
}

const say = (m) => process.stderr.write(`servers: ${m}\n`);

// ---------------------------------------------------------------- processes

const pidsFile = (state) => join(state, 'pids.json');
const serversFile = (state) => join(state, 'servers.json');

function readPids(state) {
  try {
    return JSON.parse(readFileSync(pidsFile(state), 'utf8'));
  } catch {
    return [];
  }
}
function writePids(state, list) {
  writeFileSync(pidsFile(state), `${JSON.stringify(list, null, 2)}\n`);
}

/** /proc/PID/stat fields: state and process group. */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: after[0], pgrp: Number(after[2]) };
  } catch {
    return undefined;
  }
}
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}
/** Alive, not a zombie, and still the process we started (its command line holds the marker). */
function ours(entry) {
  const st = procStat(entry.pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  return cmdline(entry.pid).includes(entry.marker);
}
function signal(entry, sig) {
  // Each server was started in its own session (detached), so its process
  // group is its own: signalling -pid also reaches nginx's workers.
  const st = procStat(entry.pid);
  try {
    process.kill(st && st.pgrp === entry.pid ? -entry.pid : entry.pid, sig);
  } catch {
    // already gone
  }
}

async function stopAll(entries) {
  const live = entries.filter(ours);
  for (const e of live) signal(e, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  let left = live.filter(ours);
  while (left.length > 0 && Date.now() < deadline) {
    await delay(POLL_MS);
    left = left.filter(ours);
  }
  for (const e of left) {
    say(`${e.name} (pid ${e.pid}) ignored SIGTERM for ${STOP_GRACE_MS / 1000} s; sending SIGKILL`);
    signal(e, 'SIGKILL');
  }
  return live.length;
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free loopback port: bind port 0, read it, release it. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function logTail(file, lines = 25) {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const full = join(dir, cmd);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- probes

function httpGet(url, timeoutMs = 1000) {
  return new Promise((resolveGet) => {
    const req = httpRequest(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolveGet(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolveGet(0));
    req.end();
  });
}
const httpOk = (url) => async () => (await httpGet(url)) === 200;

function redisPing(port) {
  return () =>
    new Promise((resolvePing) => {
      const sock = createConnection({ host: HOST, port });
      let data = '';
      const done = (ok) => {
        sock.destroy();
        resolvePing(ok);
      };
      sock.setTimeout(1000, () => done(false));
      sock.on('connect', () => sock.write('PING\r\n'));
      sock.on('data', (d) => {
        data += d;
        if (data.includes('\r\n')) done(data.startsWith('+PONG'));
      });
      sock.on('error', () => done(false));
    });
}

// ---------------------------------------------------------------- starting

class StartError extends Error {
  constructor(message, { portInUse = false } = {}) {
    super(message);
    this.portInUse = portInUse;
  }
}

/**
 * Start one server on a free port and wait until its probe answers. Retries
 * with a fresh port when the port was taken between our probe and its bind.
 */
async function startServer(ctx, spec) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const s = spec(port);
    mkdirSync(dirname(s.log), { recursive: true });
    const fd = openSync(s.log, 'a');
    const child = spawn(s.cmd, s.args, { detached: true, stdio: ['ignore', fd, fd], cwd: s.cwd ?? ctx.state, env: { ...process.env, ...(s.env ?? {}) } });
    closeSync(fd);
    let exited;
    child.on('exit', (code, sig) => (exited = sig ?? `exit ${code}`));
    child.on('error', (error) => (exited = error.message));
    child.unref();
    if (child.pid === undefined) {
      await delay(0);
      throw new StartError(`${s.name}: could not run ${s.cmd}: ${exited ?? 'spawn failed'}`);
    }
    const entry = { name: s.name, pid: child.pid, port, marker: s.marker, log: s.log };
    ctx.started.push(entry);
    writePids(ctx.state, ctx.started);
    try {
      await waitReady(s.name, s.probe, () => exited, s.log, ctx.deadline);
      return { port, pid: child.pid, entry };
    } catch (error) {
      await stopAll([entry]);
      ctx.started.splice(ctx.started.indexOf(entry), 1);
      writePids(ctx.state, ctx.started);
      if (error.portInUse && attempt < PORT_ATTEMPTS) {
        say(`${s.name}: port ${port} was taken meanwhile; retrying on another`);
        continue;
      }
      throw error;
    }
  }
}

const PORT_IN_USE = /address already in use|EADDRINUSE|bind\(\) to .* failed \(98/i;

async function waitReady(name, probe, exited, log, deadline) {
  for (;;) {
    const why = exited();
    if (why !== undefined) {
      const tail = logTail(log);
      throw new StartError(`${name} exited before it was ready (${why}). Log tail (${log}):\n${tail}`, { portInUse: PORT_IN_USE.test(tail) });
    }
    if (await probe()) return;
    if (Date.now() > deadline) {
      const tail = logTail(log);
      throw new StartError(`${name} was not ready in time. Log tail (${log}):\n${tail}`, { portInUse: PORT_IN_USE.test(tail) });
    }
    await delay(POLL_MS);
  }
}

function prometheusSpec(ctx) {
  const dir = join(ctx.state, 'prometheus');
  const config = join(dir, 'prometheus.yml');
  const data = join(dir, 'data');
  return (port) => ({
    name: 'prometheus',
    cmd: 'prometheus',
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=400d',
      // Equal min/max block durations switch off compaction, so the backfilled
      // blocks stay as they are and no compaction runs while tests query.
      '--storage.tsdb.min-block-duration=2h',
      '--storage.tsdb.max-block-duration=2h',
      `--web.listen-address=${HOST}:${port}`,
      '--web.enable-admin-api',
      '--web.enable-lifecycle',
    ],
    log: join(dir, 'prometheus.log'),
    marker: config,
    probe: httpOk(`http://${HOST}:${port}/-/ready`),
  });
}

function preparePrometheus(ctx, history) {
  const dir = join(ctx.state, 'prometheus');
  const data = join(dir, 'data');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  mkdirSync(join(ctx.state, 'rules'), { recursive: true });
  rmSync(join(dir, 'scrape'), { recursive: true, force: true });
  mkdirSync(join(dir, 'scrape'), { recursive: true });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      '# Generated by scripts/servers.mjs. The data is the backfilled history, plus live',
      '# loopback targets a test lists in scrape/*.json (file_sd, picked up on change)',
      '# under job="harness", scraped every second (e.g. the chaos e2e user traffic).',
      'global:',
      '  evaluation_interval: 15s',
      'rule_files:',
      `  - ${JSON.stringify(join(ctx.state, 'rules', '*.yml'))}`,
      'scrape_configs:',
      '  - job_name: harness',
      '    scrape_interval: 1s',
      '    scrape_timeout: 900ms',
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(join(dir, 'scrape', '*.json'))}]`,
      '        refresh_interval: 1s',
      '',
    ].join('\n'),
  );
  for (const block of readdirSync(history.blocksDir)) cpSync(join(history.blocksDir, block), join(data, block), { recursive: true });
  const histDir = join(ctx.state, 'history');
  mkdirSync(histDir, { recursive: true });
  cpSync(history.expectedFile, join(histDir, 'expected.json'));
}

function redisSpec(ctx, k) {
  const dir = join(ctx.state, `redis-${k}`);
  mkdirSync(dir, { recursive: true });
  return (port) => ({
    name: `redis-${k}`,
    cmd: 'redis-server',
    args: ['--bind', HOST, '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, '--logfile', ''],
    log: join(dir, 'redis.log'),
    // redis-server renames its process title to "redis-server 127.0.0.1:PORT".
    marker: `${HOST}:${port}`,
    probe: redisPing(port),
  });
}

function originSpec(ctx) {
  const dir = join(ctx.state, 'origin');
  const script = join(HERE, 'origin.mjs');
  return (port) => ({
    name: 'origin',
    cmd: process.execPath,
    args: [script, '--host', HOST, '--port', String(port)],
    log: join(dir, 'origin.log'),
    marker: `${script} --host ${HOST} --port ${port}`,
    probe: httpOk(`http://${HOST}:${port}/__origin/health`),
  });
}

/** A loopback stand-in from scripts/standins/ (a node process, like the origin). */
function standInSpec(ctx, name, file, healthPath) {
  const dir = join(ctx.state, name);
  const script = join(HERE, 'standins', file);
  return (port) => ({
    name,
    cmd: process.execPath,
    args: [script, '--host', HOST, '--port', String(port), ...(name === 'kube' ? ['--kubeconfig', join(dir, 'kubeconfig.yaml')] : [])],
    log: join(dir, `${name}.log`),
    marker: `${script} --host ${HOST} --port ${port}`,
    probe: httpOk(`http://${HOST}:${port}${healthPath}`),
  });
}

function nginxConfig(ctx, port, originPort) {
  const d = join(ctx.state, 'nginx');
  const q = (p) => JSON.stringify(p);
  const lines = [
    '# Generated by scripts/servers.mjs: a caching reverse proxy in front of scripts/origin.mjs.',
    ...(typeof process.getuid === 'function' && process.getuid() === 0 ? ['user root root;  # workers must write the cache under the state dir'] : []),
    'daemon off;',
    'worker_processes 2;',
    `pid ${q(join(d, 'nginx.pid'))};`,
    `error_log ${q(join(d, 'error.log'))} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '  default_type application/octet-stream;',
    `  access_log ${q(join(d, 'access.log'))} combined;`,
    `  client_body_temp_path ${q(join(d, 'temp', 'client_body'))};`,
    `  proxy_temp_path ${q(join(d, 'temp', 'proxy'))};`,
    `  fastcgi_temp_path ${q(join(d, 'temp', 'fastcgi'))};`,
    `  uwsgi_temp_path ${q(join(d, 'temp', 'uwsgi'))};`,
    `  scgi_temp_path ${q(join(d, 'temp', 'scgi'))};`,
    `  proxy_cache_path ${q(join(d, 'cache'))} levels=1:2 keys_zone=relia:10m max_size=512m inactive=1h use_temp_path=off;`,
    `  upstream origin { server ${HOST}:${originPort}; keepalive 32; }`,
    '  server {',
    `    listen ${HOST}:${port};`,
    '    server_name localhost;',
    '    location = /__nginx/health { access_log off; default_type text/plain; return 200 "ok\\n"; }',
    '    location / {',
    '      proxy_pass http://origin;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $http_host;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '      proxy_cache relia;',
    '      proxy_cache_key $scheme$proxy_host$request_uri;',
    '      proxy_cache_revalidate on;',
    '      add_header X-Cache-Status $upstream_cache_status always;',
    '    }',
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

function nginxSpec(ctx, originPort) {
  const dir = join(ctx.state, 'nginx');
  for (const sub of ['cache', 'temp']) mkdirSync(join(dir, sub), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  return (port) => {
    writeFileSync(conf, nginxConfig(ctx, port, originPort));
    return {
      name: 'nginx',
      cmd: which('nginx') ?? '/usr/sbin/nginx',
      args: ['-p', `${dir}/`, '-c', conf, '-e', join(dir, 'error.log')],
      log: join(dir, 'nginx.log'),
      marker: conf,
      probe: httpOk(`http://${HOST}:${port}/__nginx/health`),
    };
  };
}

/** moto_server on PATH, else a pyenv Python that can import moto. */
function findMoto() {
  const bin = which('moto_server');
  if (bin) return { cmd: bin, args: [] };
  const root = '/root/.pyenv/versions';
  let versions = [];
  try {
    versions = readdirSync(root).sort().reverse();
  } catch {
    return undefined;
  }
  for (const v of versions) {
    const py = join(root, v, 'bin', 'python3');
    if (!existsSync(py)) continue;
    if (existsSync(join(root, v, 'bin', 'moto_server'))) return { cmd: join(root, v, 'bin', 'moto_server'), args: [] };
    const r = spawnSync(py, ['-c', 'import moto.server'], { stdio: 'ignore', timeout: 10_000 });
    if (r.status === 0) return { cmd: py, args: ['-m', 'moto.server'] };
  }
  return undefined;
}

function motoSpec(ctx, moto) {
  const dir = join(ctx.state, 'moto');
  return (port) => ({
    name: 'moto',
    cmd: moto.cmd,
    args: [...moto.args, '-H', HOST, '-p', String(port)],
    log: join(dir, 'moto.log'),
    marker: `-H ${HOST} -p ${port}`,
    probe: httpOk(`http://${HOST}:${port}/moto-api/data.json`),
  });
}

// ---------------------------------------------------------------- commands

async function up(opts) {
  const t0 = performance.now();
  const state = opts.state;
  mkdirSync(state, { recursive: true });
  const previous = readPids(state).filter(ours);
  if (previous.length > 0) {
    fail(`servers from ${state} are still running (${previous.map((e) => `${e.name} pid ${e.pid}`).join(', ')}); run: node scripts/servers.mjs down --state ${state}`);
  }
  rmSync(serversFile(state), { force: true });
  const want = (name) => opts.only.includes(name);
  const ctx = { state, started: [], deadline: Number.POSITIVE_INFINITY };
  writePids(state, []);

  let interrupted = false;
  const onSignal = (sig) => {
    if (interrupted) return;
    interrupted = true;
    say(`${sig}: stopping what was started`);
    stopBackfill();
    stopAll(ctx.started).finally(() => {
      rmSync(pidsFile(state), { force: true });
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let moto;
    if (want('moto')) {
      moto = findMoto();
      if (!moto) {
        const msg = 'moto is not installed: no moto_server on PATH and no /root/.pyenv/versions/*/bin/python3 with moto';
        fail(`${msg}. The AWS adapters' tests need it: install it (pip install 'moto[server]==5.2.1') or leave moto out with --only`);
      }
    }

    // The history (cold: generate + promtool; warm: a cache hit) comes first:
    // readiness deadlines cover starting servers, not building data.
    let history;
    if (want('prometheus')) {
      history = await ensureHistory({ cacheRoot: opts.cache, log: say });
      say(`history ${history.cached ? 'cached' : 'built'} in ${history.seconds.toFixed(1)} s (${history.dir})`);
      preparePrometheus(ctx, history);
    }

    ctx.deadline = Date.now() + opts.timeoutS * 1000;
    const jobs = {};
    if (want('prometheus')) jobs.prometheus = startServer(ctx, prometheusSpec(ctx));
    if (want('redis')) jobs.redis = Promise.all([0, 1].map((k) => startServer(ctx, redisSpec(ctx, k))));
    if (want('origin')) jobs.origin = startServer(ctx, originSpec(ctx));
    if (want('nginx')) jobs.nginx = jobs.origin.then((o) => startServer(ctx, nginxSpec(ctx, o.port)));
    if (moto) jobs.moto = startServer(ctx, motoSpec(ctx, moto));
    if (want('fis')) jobs.fis = startServer(ctx, standInSpec(ctx, 'fis', 'fis.mjs', '/__standin/health'));
    if (want('kube')) jobs.kube = startServer(ctx, standInSpec(ctx, 'kube', 'kube-api.mjs', '/__standin/health'));

    const settled = await Promise.allSettled(Object.values(jobs));
    const failed = settled.filter((s) => s.status === 'rejected');
    for (const f of failed.slice(1)) say(f.reason?.message ?? String(f.reason));
    if (failed.length > 0) throw failed[0].reason;
    const got = Object.fromEntries(await Promise.all(Object.entries(jobs).map(async ([k, p]) => [k, await p])));

    const url = (p) => `http://${HOST}:${p}`;
    const info = {
      prometheus: got.prometheus ? { url: url(got.prometheus.port), pid: got.prometheus.pid, dataDir: join(state, 'prometheus', 'data'), scrapeDir: join(state, 'prometheus', 'scrape') } : null,
      redis: (got.redis ?? []).map((r) => ({ url: `redis://${HOST}:${r.port}`, port: r.port, pid: r.pid })),
      origin: got.origin ? { url: url(got.origin.port), pid: got.origin.pid } : null,
      nginx: got.nginx ? { url: url(got.nginx.port), pid: got.nginx.pid, accessLog: join(state, 'nginx', 'access.log') } : null,
      moto: got.moto ? { url: url(got.moto.port), pid: got.moto.pid } : null,
      fis: got.fis ? { url: url(got.fis.port), pid: got.fis.pid } : null,
      kube: got.kube ? { url: url(got.kube.port), pid: got.kube.pid, kubeconfig: join(state, 'kube', 'kubeconfig.yaml'), context: 'relia-stand-in' } : null,
      history: history ? { expectedFile: join(state, 'history', 'expected.json'), end: toIso(END_S) } : null,
    };
    writeFileSync(serversFile(state), `${JSON.stringify(info, null, 2)}\n`);
    say(`up in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${ctx.started.map((e) => `${e.name}@${e.port}`).join(' ')} (state ${state})`);
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  } catch (error) {
    const n = await stopAll(ctx.started);
    rmSync(pidsFile(state), { force: true });
    if (n > 0) say(`stopped the ${n} server(s) this run had started`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function down(opts) {
  const entries = readPids(opts.state);
  const n = await stopAll(entries);
  rmSync(pidsFile(opts.state), { force: true });
  rmSync(serversFile(opts.state), { force: true });
  say(n > 0 ? `stopped ${n} process(es) from ${opts.state}` : `nothing running from ${opts.state}`);
}

async function status(opts) {
  const entries = readPids(opts.state);
  if (entries.length === 0) {
    say(`nothing recorded in ${opts.state}`);
    process.exitCode = 1;
    return;
  }
  let allUp = true;
  for (const e of entries) {
    const alive = ours(e);
    allUp &&= alive;
    process.stdout.write(`${e.name.padEnd(11)} pid ${String(e.pid).padEnd(8)} port ${String(e.port).padEnd(6)} ${alive ? 'running' : 'NOT RUNNING'}\n`);
  }
  if (!allUp) process.exitCode = 1;
}

const HELP = `usage: node scripts/servers.mjs up|down|status [--state DIR] [--only ${ALL.join(',')}] [--timeout SECONDS] [--cache DIR]`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.command === 'up') await up(opts);
  else if (opts.command === 'down') await down(opts);
  else if (opts.command === 'status') await status(opts);
  else if (opts.command === 'help' || opts.command === undefined) process.stdout.write(`${HELP}\n`);
  else fail(`unknown command ${opts.command}`);
}

main().catch((error) => {
  say(error instanceof UsageError || error instanceof StartError ? error.message : (error.stack ?? String(error)));
  if (error instanceof UsageError) say(HELP);
  process.exit(error instanceof UsageError ? 2 : 1);
});
