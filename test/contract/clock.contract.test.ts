/** The Clock and Random contracts against the real implementations and the fakes of the core tests. */
import { systemClock } from '../../src/cli/base-command.js';
import { seededRandom as productSeededRandom } from '../../src/core/cache/random.js';
import { seededUniform } from '../../src/core/risk/simulate.js';
import { seededRandom } from '../fakes/seeded-random.js';
import { FakeClock } from '../fakes/virtual-clock.js';
import { clockContract, randomContract } from './suites/clock.js';

clockContract('systemClock (src/cli/base-command.ts, real time)', () => systemClock);
clockContract('FakeClock (test/fakes/virtual-clock.ts, virtual time)', () => new FakeClock());

randomContract('Math.random (unseeded runs)', () => Math.random, { seeded: false });
randomContract('seededRandom (src/core/cache/random.ts, --seed)', (seed) => productSeededRandom(seed), { seeded: true });
randomContract('seededUniform (src/core/risk/simulate.ts, risk simulate --seed)', (seed) => seededUniform(seed), { seeded: true });
randomContract('seededRandom (test/fakes/seeded-random.ts, the core tests\')', (seed) => seededRandom(seed), { seeded: true });
