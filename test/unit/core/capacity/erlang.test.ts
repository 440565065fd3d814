import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../property-runs.js';
import { erlangB, erlangC, erlangCFromB, MAX_SERVERS, mmc, solveServers } from '../../../../src/core/capacity/erlang.js';
import { expectInputError } from '../error-contract.js';

/** Relative difference. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
/** Agree to 4 significant figures: the golden value rounded to 4 s.f. equals ours rounded to 4 s.f. */
const sig4 = (x: number) => Number(x.toPrecision(4));

describe('M/M/c golden values', () => {
  // Source: the CRAN ErlangC package's example (erlang_c(arrival = 100, duration = 180 s,
  // agents = 14, interval = 30 min, target = 20 s)): 10 Erlangs, P(wait) 0.1741,
  // service level 0.888, ASA 7.84 s, occupancy 0.714.
  // Computed inside each test: Stryker switches a mutant on only once the tests start (in a beforeAll hook), after describe blocks are collected.
  const example = () => mmc({ arrivalRate: 100 / 1800, serviceTime: 180, servers: 14, targetWait: 20 });
  it('reproduces the ErlangC package example to 4 significant figures', () => {
    const r = example();
    expect(r.offeredLoad).toBeCloseTo(10, 12); // A = λ·Ts = (100/1800 s⁻¹)(180 s) = 10
    expect(sig4(r.probabilityOfWait)).toBe(0.1741);
    expect(sig4(r.serviceLevel)).toBe(0.8884); // the package prints 0.888 (3 s.f.)
    expect(Number(r.serviceLevel.toPrecision(3))).toBe(0.888);
    expect(sig4(r.averageWait as number)).toBe(7.836); // the package prints 7.84
    expect(Number((r.averageWait as number).toPrecision(3))).toBe(7.84);
    expect(sig4(r.occupancy)).toBe(0.7143); // 10/14
    expect(r.stable).toBe(true);
  });

  it('agrees with the textbook closed form for small c (A^c/c! · c/(c−A) over the sum)', () => {
    // Closed form, fine for c = 14 in floating point: C = [A^c/c! · c/(c−A)] / [Σ_{k<c} A^k/k! + A^c/c! · c/(c−A)]
    const A = 10;
    const c = 14;
    let term = 1;
    let sum = 0;
    for (let k = 0; k < c; k++) {
      sum += term;
      term *= A / (k + 1);
    }
    const top = term * (c / (c - A));
    expect(rel(erlangC(c, A), top / (sum + top))).toBeLessThan(1e-12);
  });

  it('Erlang B(1, A) = A/(1 + A) and B(0, A) = 1', () => {
    expect(erlangB(0, 3)).toBe(1);
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 15);
    // B(2, 1) = (1·0.5)/(2 + 0.5) = 0.2
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 15);
  });

  it('M/M/1: P(wait) = ρ and W = ρ·Ts/(1 − ρ)', () => {
    const m = mmc({ arrivalRate: 0.8, serviceTime: 1, servers: 1 });
    expect(m.probabilityOfWait).toBeCloseTo(0.8, 12);
    expect(m.averageWait).toBeCloseTo(4, 12); // 0.8·1/(1 − 0.8)
    expect(m.averageResponseTime).toBeCloseTo(5, 12); // 1/(μ − λ) = 1/0.2
    expect(m.averageQueueLength).toBeCloseTo(3.2, 12); // λ·W (Little)
    expect(m.serviceLevel).toBeCloseTo(0.2, 12); // target 0: 1 − C
  });
});

describe('unstable queues', () => {
  it('load ≥ servers: P(wait) 1, infinite wait, service level 0', () => {
    const m = mmc({ arrivalRate: 100 / 1800, serviceTime: 180, servers: 10 });
    expect(m).toMatchObject({ stable: false, probabilityOfWait: 1, averageWait: null, serviceLevel: 0, averageResponseTime: null, averageQueueLength: null, occupancy: 1 });
    expect(erlangCFromB(5, 7, 0.3)).toBe(1);
  });
});

describe('numerical stability at internet scale', () => {
  it('stays finite and in [0, 1] for c up to 100,000 and loads near 1 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 1e-6, max: 1 - 1e-12, noNaN: true }), (c, rho) => {
        const A = c * rho;
        const C = erlangC(c, A);
        const B = erlangB(c, A);
        return Number.isFinite(C) && C >= 0 && C <= 1 && Number.isFinite(B) && B >= 0 && B <= 1;
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('stays finite and in [0, 1] at loads within 1e-12 … 1e-3 of c, for c up to 100,000 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 3, max: 12 }), (c, digits) => {
        const A = c * (1 - 10 ** -digits);
        const m = mmc({ arrivalRate: A, serviceTime: 1, servers: c, targetWait: 1 });
        return (
          m.stable &&
          Number.isFinite(m.probabilityOfWait) && m.probabilityOfWait >= 0 && m.probabilityOfWait <= 1 &&
          Number.isFinite(m.averageWait) && (m.averageWait as number) > 0 &&
          m.serviceLevel >= 0 && m.serviceLevel <= 1
        );
      }),
      { numRuns: propertyRuns(100) },
    );
    // The boundary the issue names: A = c·(1 − 1e-9) at c = 100,000.
    const m = mmc({ arrivalRate: 100_000 * (1 - 1e-9), serviceTime: 1, servers: 100_000 });
    expect(m.probabilityOfWait).toBeGreaterThan(0.9999);
    expect(m.probabilityOfWait).toBeLessThanOrEqual(1);
    expect(Number.isFinite(m.averageWait)).toBe(true);
  });

  it('c = 100,000 at ρ = 1 − 1e-9: P(wait) → 1; at ρ = 0.99 it is small, matching the square-root staffing regime', () => {
    expect(erlangC(100_000, 100_000 * (1 - 1e-9))).toBeGreaterThan(0.9999);
    // Halfin–Whitt: with c = A + β√A, P(wait) → [1 + β Φ(β)/φ(β)]⁻¹. A = 99,000, β = 1000/√99000 ≈ 3.178 gives ≈ 8.2e-4.
    const c = 100_000;
    const A = 99_000;
    const beta = (c - A) / Math.sqrt(A);
    const phi = Math.exp((-beta * beta) / 2) / Math.sqrt(2 * Math.PI);
    const Phi = 1 - 0.5 * erfc(beta / Math.SQRT2);
    const halfinWhitt = 1 / (1 + (beta * Phi) / phi);
    // an asymptotic approximation: a few per cent off at finite A
    expect(rel(erlangC(c, A), halfinWhitt)).toBeLessThan(0.05);
    // Exactly, by an independent route: 1/B(c) = Σ_{j=0..c} Π_{i<j} (c − i)/A, summed in log space.
    let logTerm = 0;
    const logs: number[] = [0];
    for (let j = 1; j <= c; j++) {
      logTerm += Math.log((c - j + 1) / A);
      logs.push(logTerm);
    }
    const top = Math.max(...logs);
    const invB = Math.exp(top) * logs.reduce((s, l) => s + Math.exp(l - top), 0);
    const B = 1 / invB;
    expect(rel(erlangB(c, A), B)).toBeLessThan(1e-9);
    expect(rel(erlangC(c, A), (c * B) / (c - A * (1 - B)))).toBeLessThan(1e-9);
  });
});

/** Complementary error function (Numerical Recipes erfcc, |error| < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

describe('monotonicity (property)', () => {
  it('P(wait) and the average wait fall, the service level rises, as servers are added', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 500, noNaN: true }), fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 60, noNaN: true }), (A, extra, t) => {
        const c = Math.floor(A) + 1;
        const a = mmc({ arrivalRate: A / 10, serviceTime: 10, servers: c, targetWait: t });
        const b = mmc({ arrivalRate: A / 10, serviceTime: 10, servers: c + extra, targetWait: t });
        return b.probabilityOfWait <= a.probabilityOfWait + 1e-12 && (b.averageWait as number) <= (a.averageWait as number) + 1e-12 && b.serviceLevel >= a.serviceLevel - 1e-12;
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('sizing: the fewest servers', () => {
  const base = { arrivalRate: 100 / 1800, serviceTime: 180 };
  it('80% in 20 s needs 14 agents for the ErlangC example (13 gives less)', () => {
    const r = solveServers({ ...base, targetServiceLevel: 0.8, targetWait: 20 });
    expect(r.servers).toBe(14);
    expect(r.binding).toEqual(['service-level']);
    expect(mmc({ ...base, servers: 13, targetWait: 20 }).serviceLevel).toBeLessThan(0.8);
  });

  it('takes the largest need over the goals and says which binds', () => {
    const r = solveServers({ ...base, targetServiceLevel: 0.8, targetWait: 20, maxOccupancy: 0.7, maxWait: 60 });
    // occupancy ≤ 0.7 ⇒ c ≥ 10/0.7 = 14.29 ⇒ 15
    expect(r.serversFor).toEqual({ stability: 11, serviceLevel: 14, maxWait: expect.any(Number), maxOccupancy: 15 });
    expect(r.servers).toBe(15);
    expect(r.binding).toEqual(['max-occupancy']);
    expect(r.occupancy).toBeLessThanOrEqual(0.7);
  });

  it('max wait: the fewest c with ASA ≤ the limit', () => {
    const r = solveServers({ ...base, maxWait: 5 });
    expect(r.averageWait as number).toBeLessThanOrEqual(5);
    expect(mmc({ ...base, servers: r.servers - 1 }).averageWait as number).toBeGreaterThan(5);
    expect(r.binding).toEqual(['max-wait']);
  });

  it('a goal met by stability alone binds with it', () => {
    const r = solveServers({ arrivalRate: 0.5, serviceTime: 1, maxOccupancy: 1 });
    expect(r.servers).toBe(1);
    expect(r.binding).toEqual(['stability', 'max-occupancy']);
  });

  it('the answer is the fewest servers: c meets every goal and c − 1 misses one (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 2000, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (A, sl, t, maxWait) => {
          const goal = { arrivalRate: A / 10, serviceTime: 10, targetServiceLevel: sl, targetWait: t, maxWait };
          const r = solveServers(goal);
          const meets = (c: number) => {
            if (c <= A) return false;
            const m = mmc({ arrivalRate: A / 10, serviceTime: 10, servers: c, targetWait: t });
            return m.serviceLevel >= sl && (m.averageWait as number) <= maxWait;
          };
          return meets(r.servers) && !meets(r.servers - 1);
        },
      ),
      { numRuns: propertyRuns(150) },
    );
  });

  it('sizes 90,000 Erlangs quickly (the scan carries Erlang B along)', () => {
    const r = solveServers({ arrivalRate: 90_000, serviceTime: 1, maxWait: 0.01 });
    expect(r.servers).toBeGreaterThan(90_000);
    expect(r.averageWait as number).toBeLessThanOrEqual(0.01);
  });
});

describe('bad input: InputError naming the field', () => {
  const cases: Array<[() => unknown, string]> = [
    [() => mmc({ arrivalRate: 0, serviceTime: 1, servers: 1 }), '--arrival-rate'],
    [() => mmc({ arrivalRate: 1, serviceTime: Number.NaN, servers: 1 }), '--service-time'],
    [() => mmc({ arrivalRate: 1, serviceTime: 1, servers: 1.5 }), '--servers'],
    [() => mmc({ arrivalRate: 1, serviceTime: 1, servers: MAX_SERVERS + 1 }), '--servers'],
    [() => mmc({ arrivalRate: 1, serviceTime: 1, servers: 2, targetWait: -1 }), '--target-wait'],
    [() => solveServers({ arrivalRate: 1, serviceTime: 1 }), '--servers'],
    [() => solveServers({ arrivalRate: 1, serviceTime: 1, targetServiceLevel: 1 }), '--target-service-level'],
    [() => solveServers({ arrivalRate: 1, serviceTime: 1, maxWait: 0 }), '--max-wait'],
    [() => solveServers({ arrivalRate: 1, serviceTime: 1, maxOccupancy: 0 }), '--max-occupancy'],
    [() => solveServers({ arrivalRate: 1, serviceTime: 1, maxOccupancy: 0.5, targetWait: -2 }), '--target-wait'],
    [() => solveServers({ arrivalRate: 1e8, serviceTime: 1, maxOccupancy: 0.9 }), '--arrival-rate'],
  ];
  it.each(cases.map(([f, field], i) => [i, f, field] as const))('case %i names %s, says what was wrong and how to fix it', (_i, f, field) => {
    expectInputError(f, field);
  });
});
