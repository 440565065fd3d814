import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createProcessPort } from '../../plugins/local/src/process.js';
import { MemoryProcess } from '../fakes/memory-process.js';
import { kit } from '../helpers/kit.js';
import { processContract } from './suites/process.js';

const children = new Map<number, ChildProcess>();
afterAll(() => {
  for (const c of children.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const node = (code: string) => ({ file: process.execPath, args: ['-e', code] });

processContract('plugins/local (execa, real processes)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'relia-process-'));
  let n = 0;
  return {
    port: createProcessPort(kit),
    ok: node('console.log("hello")'),
    fail: node('console.error("bad"); process.exit(3)'),
    slow: node('setTimeout(() => {}, 5000)'),
    env: node('console.log(process.env.RELIA_TEST_VALUE)'),
    async spawn() {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await new Promise((resolve) => child.once('spawn', resolve));
      children.set(child.pid!, child);
      return child.pid!;
    },
    async gone(pid) {
      const child = children.get(pid)!;
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
    // pid_max is at most 2^22 on Linux: this one cannot exist.
    unusedPid: 4_194_305,
    async pidFile(content) {
      const path = join(dir, `p${n++}.pid`);
      await writeFile(path, content);
      return path;
    },
    missingFile: join(dir, 'missing.pid'),
  };
});

processContract('memory fake', async () => {
  const fake = new MemoryProcess((file, args, options) => {
    if (file === 'ok') return { exitCode: 0, stdout: 'hello\n' };
    if (file === 'fail') return { exitCode: 3, stderr: 'bad\n' };
    if (file === 'slow') return { exitCode: 0, durationMs: 5000 };
    if (file === 'env') return { exitCode: 0, stdout: `${options.env?.RELIA_TEST_VALUE ?? ''}\n` };
    return 'missing';
  });
  let n = 0;
  return {
    port: fake,
    ok: { file: 'ok', args: [] },
    fail: { file: 'fail', args: [] },
    slow: { file: 'slow', args: [] },
    env: { file: 'env', args: [] },
    spawn: async () => fake.spawn(),
    gone: async () => undefined,
    unusedPid: 4_194_305,
    async pidFile(content) {
      const path = `/run/fake-${n++}.pid`;
      fake.files.set(path, content);
      return path;
    },
    missingFile: '/run/missing.pid',
  };
});
