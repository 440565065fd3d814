// A child process of the lock race test (test/contract/lock.contract.test.ts): for each round, wait until the
// round's start file exists, acquire that round's lock once, and report whether it got it. Locks won are held
// until stdin closes, as a running warm would hold them.
import { existsSync } from 'node:fs';
import { FileLock } from '../../src/cli/cache/files.js';

const [dir, rounds] = [process.argv[2]!, Number(process.argv[3])];
const held: FileLock[] = [];
for (let r = 0; r < rounds; r++) {
  while (!existsSync(`${dir}/go-${r}`)) await new Promise((resolve) => setImmediate(resolve));
  const lock = new FileLock(`${dir}/round-${r}.lock`);
  const got = await lock.acquire();
  if (got) held.push(lock);
  process.stdout.write(`${r} ${got ? 1 : 0}\n`);
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
