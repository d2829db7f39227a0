#!/usr/bin/python3
"""Derives the closed-form small-t series of the normalised Black function used by the implied-volatility batch
(ImpliedVolatility.SmallTSeries in src/CryptoMargin/Pricing/ImpliedVolatilityBatch.cs) and checks it.

D(h, t) = Y(h + t) - Y(h - t) = 2 sum_{k>=0} Y^(2k+1)(h) t^(2k+1)/(2k+1)!,  Y = Phi/phi  (Jaeckel 2017, small-t expansion).
Y' = 1 + hY, so Y^(n+1) = h Y^(n) + n Y^(n-1); every derivative is P_n(h) + Q_n(h) Y with integer polynomials, and with
a := Y'(h) = 1 + hY (so Y = (a - 1)/h) every odd derivative is a Q~_k(h^2) + P~_k(h^2). The coefficients of
c_k = (a Q~_k(g) + P~_k(g))/(2k+1)!, g = h^2, are exact rationals (Python Fractions, no floating point until the final rounding).

Prints them, checks that every rounded coefficient appears in ImpliedVolatilityBatch.cs (the vector series) and in
ImpliedVolatilityKernels.cs (the scalar SmallTD), and checks the truncation after
K = 8 terms (t^15) against mpmath at 60 digits on a grid of h in [-15, 0], t in (0, 0.21]. Deterministic; needs mpmath
(Debian python3-mpmath)."""
from fractions import Fraction
import math, pathlib, sys
import mpmath as mp

K = 8
ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src/CryptoMargin/Pricing/ImpliedVolatilityBatch.cs"        # the vector series, V(literal)
SCALAR = ROOT / "src/CryptoMargin/Pricing/ImpliedVolatilityKernels.cs"       # the scalar series (SmallTD), plain literals

def add(p, q):
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)]

def times_h(p): return [0] + p
def scale(p, c): return [c * v for v in p]

# Y^(n) = P[n](h) + Q[n](h) Y, polynomials in h as coefficient lists (low to high)
P, Q = [[0], [1]], [[1], [0, 1]]
for n in range(1, 2 * K):
    P.append(add(times_h(P[n]), scale(P[n - 1], n)))
    Q.append(add(times_h(Q[n]), scale(Q[n - 1], n)))

coefficients = []  # per k: (qk, pk) as lists in g = h^2, already divided by (2k+1)!
for k in range(K):
    n = 2 * k + 1
    # Y = (a - 1)/h: Y^(n) = a Q/h + (P - Q/h)
    q_over_h = Q[n][1:]
    assert Q[n][0] == 0, "Q_n(0) must vanish for odd n"
    p_rest = add(P[n], scale(q_over_h, -1))
    for poly in (q_over_h, p_rest):
        assert all(v == 0 for v in poly[1::2]), "odd derivative must be even in h"
    f = math.factorial(n)
    qk = [Fraction(v, f) for v in q_over_h[0::2]]
    pk = [Fraction(v, f) for v in p_rest[0::2]]
    while len(pk) > 1 and pk[-1] == 0: pk.pop()
    coefficients.append((qk, pk))
    print(f"c{k} = a*({' + '.join(f'{c}*g^{i}' for i, c in enumerate(qk))}) + ({' + '.join(f'{c}*g^{i}' for i, c in enumerate(pk))})")

source, scalar = SOURCE.read_text(), SCALAR.read_text()
literals = [repr(float(c)) for qk, pk in coefficients[1:] for c in qk + pk if c != 0]
missing = [v for v in literals if f"V({v})" not in source]
missing_scalar = [v for v in literals if v not in scalar]
if missing or missing_scalar:
    sys.exit(f"coefficients not found in {SOURCE.name}: {missing}; in {SCALAR.name}: {missing_scalar}")
print(f"all {len(literals)} rounded coefficients of c1..c{K - 1} found in {SOURCE.name} and {SCALAR.name}")

mp.mp.dps = 60
def Y(z): return mp.ncdf(z) / mp.npdf(z)
def series(h, t):
    a = 1 + h * Y(h)
    g, w, total = h * h, t * t, mp.mpf(0)
    for k, (qk, pk) in enumerate(coefficients):
        qv = sum(mp.mpf(c.numerator) / c.denominator * g ** i for i, c in enumerate(qk))
        pv = sum(mp.mpf(c.numerator) / c.denominator * g ** i for i, c in enumerate(pk))
        total += (a * qv + pv) * w ** k
    return 2 * t * total
worst = 0
for h in [0, -0.1, -0.5, -1, -2, -3, -5, -7, -10, -12, -15]:
    for t in [0.01, 0.05, 0.1, 0.15, 0.2, 0.21]:
        h_, t_ = mp.mpf(h), mp.mpf(t)
        exact = Y(h_ + t_) - Y(h_ - t_)
        worst = max(worst, abs(series(h_, t_) / exact - 1))
print(f"worst relative truncation after t^{2 * K - 1}: {mp.nstr(worst, 3)}")
if worst > 1e-18:
    sys.exit("truncation above 1e-18")
