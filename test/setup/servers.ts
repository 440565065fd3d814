/**
 * vitest globalSetup for the `contract` and `e2e` projects: provides the real
 * local servers as `inject('servers')` (see test/helpers/servers.ts).
 *
 * - RELIA_TEST_SERVERS names a servers.json written by `scripts/servers.mjs up`
 *   (scripts/test.sh does this, so every project shares one set): use it.
 * - Otherwise start a private set into a temp state dir and stop it afterwards.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { ServersInfo } from '../helpers/servers.js';

const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'servers.mjs');

function run(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [SCRIPT, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`node scripts/servers.mjs ${args.join(' ')} failed:\n${stderr || error.message}`));
      else resolvePromise(stdout);
    });
  });
}

function readInfo(file: string): ServersInfo {
  const info = JSON.parse(readFileSync(file, 'utf8')) as ServersInfo;
  if (!info.prometheus || !info.origin || !info.nginx || !info.history || !info.moto || !info.fis || !info.kube || !Array.isArray(info.redis) || info.redis.length < 2) {
    throw new Error(`${file} does not describe a full set of servers (was it started with --only?); start them with: node scripts/servers.mjs up`);
  }
  return info;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.RELIA_TEST_SERVERS;
  if (given && existsSync(given)) {
    project.provide('servers', readInfo(given));
    return undefined;
  }
  if (given) process.stderr.write(`RELIA_TEST_SERVERS=${given} does not exist; starting a private set of servers\n`);

  const state = mkdtempSync(join(tmpdir(), 'relia-servers-'));
  try {
    await run(['up', '--state', state]);
    project.provide('servers', readInfo(join(state, 'servers.json')));
  } catch (error) {
    await run(['down', '--state', state]).catch(() => undefined);
    rmSync(state, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await run(['down', '--state', state]);
    rmSync(state, { recursive: true, force: true });
  };
}
