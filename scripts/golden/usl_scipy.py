#!/usr/bin/env python3
"""Reference USL fits for test/unit/core/capacity/usl-golden.test.ts, from SciPy.

Independent of relia's solver: scipy.optimize.least_squares (MINPACK's
Levenberg-Marquardt without bounds; the trust-region reflective method with
sigma, kappa >= 0) minimises the same objective, sum (X_i - X(N_i))^2 with
X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)). The starting guess
is the linearised least squares solved with numpy's lstsq, also printed
(with kappa = 0 when that start has a pole at a measured N); the bounded fit is
the best from that start and a grid of feasible starts.
Not run by the tests or CI (they hold the printed numbers); re-run by hand:
python3 scripts/golden/usl_scipy.py (SciPy 1.17, NumPy 2.4 here).
"""
import numpy as np
from scipy.optimize import least_squares

DATA = {
    # codahale/usl README
    "codahale": [(1, 65), (18, 996), (36, 1652), (72, 1853), (108, 1829), (144, 1775), (216, 1702)],
    # noisy measurements with a peak (usl-survivors.test.ts)
    "noisy": [(1, 52), (4, 170), (8, 255), (16, 330), (32, 345), (64, 290)],
    # better than linear from 1 to 2 units (a cache warming up): sigma < 0 unconstrained
    "superlinear": [(1, 100), (2, 240), (3, 390), (4, 520), (6, 700), (8, 800)],
    # Amdahl with a slight rise: kappa < 0 unconstrained
    # throughput collapsing from N = 0.5: the linearised start has a pole at N = 0.5 (kappa 11.4)
    "fractional": [(0.5, 50), (1, 20), (2, 10), (3, 5)],
    # three points, each better than linear: sigma = kappa = 0, lambda = sum(N X) / sum(N^2) by hand
    "superlinear-3": [(1, 43.6), (2, 91.7), (4, 209.4)],
    # kappa < 0 unconstrained, with a linearised start of kappa > 0 (the held kappa must start at 0)
    "kappa-start-positive": [(1, 48.6), (2, 97.9), (4, 184.3), (8, 348.4)],
    "amdahl-rising": [(n, 100 * n / (1 + 0.1 * (n - 1)) * (1 + 0.002 * n)) for n in (1, 2, 4, 8, 16, 32)],
}


def model(p, n):
    lam, sig, kap = p
    return lam * n / (1 + sig * (n - 1) + kap * n * (n - 1))


def guess(pts):
    n = np.array([p[0] for p in pts], float)
    x = np.array([p[1] for p in pts], float)
    lam = float(np.max(x / n))
    keep = x > 0
    y = n[keep] * lam / x[keep] - 1
    a = np.column_stack([n[keep] - 1, n[keep] * (n[keep] - 1)])
    (s, k), *_ = np.linalg.lstsq(a, y, rcond=None)
    return lam, float(s), float(k)


def feasible(p, n):
    return bool(np.all(1 + p[1] * (n - 1) + p[2] * n * (n - 1) > 0))


GRID = [(l, s, k) for l in (0.2, 1, 5) for s in (0, 0.5, 1, 2) for k in (0, 0.1, 1, 3)]

for name, pts in DATA.items():
    n = np.array([p[0] for p in pts], float)
    x = np.array([p[1] for p in pts], float)
    res = lambda p: x - model(p, n)
    lam, s, k = guess(pts)
    start = [lam, min(max(s, 0), 0.99), max(k, 0)]
    if not feasible(start, n):
        start[2] = 0  # a start with a pole at a measured N gives no finite residuals
    tol = dict(xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=100000)
    free = least_squares(res, start, method="lm", **tol)
    # bounded: the best of the trust-region reflective method from the start and from a grid of feasible starts
    # (lambda on the grid is a multiple of the start's), keeping only fits without a pole at a measured N
    bounded = None
    for g in [tuple(start)] + [(lam * l, s2, k2) for (l, s2, k2) in GRID]:
        if not feasible(g, n):
            continue
        r = least_squares(res, list(g), method="trf", bounds=([-np.inf, 0, 0], [np.inf, np.inf, np.inf]), x_scale="jac", **tol)
        if feasible(r.x, n) and (bounded is None or r.cost < bounded.cost):
            bounded = r
    print(f"{name}:")
    print(f"  linearised guess  lambda={lam!r} sigma={s!r} kappa={k!r}")
    print(f"  unconstrained     lambda={free.x[0]!r} sigma={free.x[1]!r} kappa={free.x[2]!r} sse={2 * free.cost!r}")
    print(f"  sigma,kappa >= 0  lambda={bounded.x[0]!r} sigma={bounded.x[1]!r} kappa={bounded.x[2]!r} sse={2 * bounded.cost!r}")
