// The two server limits at their exact edge (docs/capacity-planning.md: sizing
// looks at 1 to 10,000,000 servers): `--servers 10000000` itself is accepted,
// and a sizing whose goal is first met one server past the limit is refused.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { MAX_SERVERS, mmc, solveServers } from '../../../../src/core/capacity/erlang.js';
import { expectInputError } from '../error-contract.js';

describe('the largest server count', () => {
  it('exactly MAX_SERVERS (10,000,000) servers is accepted and evaluated', () => {
    // one Erlang on ten million servers: nobody waits
    const m = mmc({ arrivalRate: 1, serviceTime: 1, servers: MAX_SERVERS });
    expect(m).toMatchObject({ servers: 10_000_000, stable: true, probabilityOfWait: 0, averageWait: 0, serviceLevel: 1 });
  }, 60_000);
});

describe('sizing up to a limit', () => {
  // A = 1 Erlang. Erlang C: c = 2 → 1/3, c = 3 → 1/11, c = 4 → 1/49; the average
  // wait C·Ts/(c − A) is 1/3 s, 1/22 s, 1/147 s. A max wait of 10 ms is first
  // met at 4 servers.
  const goal = { arrivalRate: 1, serviceTime: 1, maxWait: 0.01 };
  it('a goal first met at exactly the limit is sized', () => {
    const r = solveServers(goal, 4);
    expect(r.servers).toBe(4);
    expect(r.averageWait).toBeCloseTo(1 / 147, 15);
    expect(r.serversFor).toEqual({ stability: 2, serviceLevel: null, maxWait: 4, maxOccupancy: null });
  });
  it('one server under that limit is refused, naming the goal', () => {
    expectInputError(() => solveServers(goal, 3), '--max-wait', ['no number of servers up to 3 meets the goals']);
  });
});
