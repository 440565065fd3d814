/** A private copy of the test origin (scripts/origin.mjs) on a free loopback port, for tests that change its mode or read its stats. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface PrivateOrigin {
  base: string;
  stop: () => Promise<void>;
}

export async function startOrigin(): Promise<PrivateOrigin> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../scripts/origin.mjs', import.meta.url)), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve(/(http:\/\/\S+)/.exec(line)?.[1] ?? ''));
    child.once('exit', (code) => reject(new Error(`origin exited ${code}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { base, stop };
}
