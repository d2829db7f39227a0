#!/usr/bin/python3
"""Correction table for the implied-volatility solver's direct lower-map guess.

Writes src/CryptoMargin/Pricing/ImpliedVolatilityGuessTable.cs: a 2-D polynomial table of
    e(sc, q) = s/s0 - 1,
the relative error of the direct lower-map guess s0 (Jaeckel, "Let's Be Rational", Wilmott 2015: b ~ c*Phi(x/(sqrt3 s))^3,
c = 2 pi |x|/(3 sqrt3), inverted at beta) against the exact s = sigma*sqrt(t), as a function of
    sc = sqrt(2|x|)  (the inflection point; x = -|ln F/K|),
    q  = s0/s_l      (s_l = sc - b(x, sc) sqrt(2 pi)/e^{x/2}, the tangent's zero at the inflection).
The solver applies s = s0 (1 + sum_ij a_ij zeta^i eta^j) (the Chebyshev interpolant in the power basis) with
    zeta = 2 (g(sc) - g(SCMIN))/(g(SCMAX) - g(SCMIN)) - 1, g(sc) = sc/(sc + K),   eta = 2 q/QMAX - 1.

Method: Chebyshev interpolation on the tensor grid of first-kind Chebyshev nodes (N in zeta, M in eta). At every
node the guess s0 = q*s_l is given; the price it is the exact guess of, beta = c*Phi(x/(sqrt3 s0))^3, follows in closed
form (the guess inverts that map exactly), and the exact s with b(x, s) = beta is solved by a safeguarded Newton
iteration on ln b at mp.dps = 30 (b = e^{x/2}Phi(x/s + s/2) - e^{-x/2}Phi(x/s - s/2), mpmath.ncdf). No randomness.
The script then checks each table on an independent 31 x 31 grid of equally spaced points (not nodes) and prints the
worst relative error of the corrected guess, |(1 + e)/(1 + p) - 1|.

Two tables (TABLES): LowerNear for sc in [0, 4] and q in [0, 1], LowerFar for sc in (4, 16] and q in [0, 0.7]. Above
sc ~ 5.3 the lower map overshoots b(x, sc) before s_l (its value at s0 = s_l exceeds every lower-region price: at sc = 8
by 35x), so the error is undefined near q = 1 there and LowerFar stops at q = 0.7; the solver keeps the uncorrected
guess outside both rectangles (sc > 16, or sc > 4 with q > 0.7).

Run: /usr/bin/python3 scripts/iv-lower-guess-table.py   (Debian's Python with mpmath and numpy; about 20 s)
"""
import os
import numpy as np
from mpmath import mp, mpf, ncdf, exp, log, sqrt, erfc, pi

mp.dps = 30
S3 = sqrt(3)

# (name, sc range, K of the map g(sc) = sc/(sc + K), q range upper end, nodes in zeta, nodes in eta)
TABLES = [
    ("LowerNear", 0.0, 4.0, 10.0, 1.0, 10, 14),
    ("LowerFar", 4.0, 16.0, 5.0, 0.7, 8, 14),
]


def b(x, s):
    return exp(x / 2) * ncdf(x / s + s / 2) - exp(-x / 2) * ncdf(x / s - s / 2)


def solve_lower(x, beta, s0, sc):
    """s in (0, sc) with b(x, s) = beta: Newton on ln b, bisection where a step leaves the bracket."""
    lb = log(beta)
    s, lo, hi = mpf(s0), mpf(0), mpf(sc)
    for _ in range(300):
        bb = b(x, s)
        f = log(bb) - lb
        if f > 0:
            hi = s
        else:
            lo = s
        vega = exp(-((x / s) ** 2 + (s / 2) ** 2) / 2) / sqrt(2 * pi)
        n = s - f * bb / vega
        if not (lo < n < hi):
            n = (lo + hi) / 2
        if abs(n - s) < mpf(10) ** -26 * s:
            return n
        s = n
    raise RuntimeError("no convergence")


def g(sc, k):
    return sc / (sc + k)


def sc_of(zeta, table):
    _, lo, hi, k, _, _, _ = table
    y = g(lo, k) + (zeta + 1) / 2 * (g(hi, k) - g(lo, k))
    return k * y / (1 - y)


def error(zeta, eta, table):
    sc = mpf(sc_of(zeta, table))
    q = mpf(eta + 1) / 2 * table[4]
    if q == 0:
        return 0.0
    if sc == 0:
        sc = mpf("1e-8")  # the limit sc -> 0 exists (the error becomes a function of h = x/s alone)
    x = -sc ** 2 / 2
    bmax = exp(x / 2)
    bc = bmax / 2 * (1 - exp(sc ** 2 / 2) * erfc(sc / sqrt(2)))
    sl = sc - bc * sqrt(2 * pi) / bmax
    s0 = q * sl
    c = 2 * pi * (-x) / (3 * S3)
    beta = c * ncdf(x / (S3 * s0)) ** 3
    return float(solve_lower(x, beta, s0, sc) / s0 - 1)


def fit(table):
    name, lo, hi, k, qmax, n, m = table
    zn = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    en = np.cos(np.pi * (np.arange(m) + 0.5) / m)
    values = np.array([[error(z, e, table) for e in en] for z in zn])
    tz = np.polynomial.chebyshev.chebvander(zn, n - 1)
    te = np.polynomial.chebyshev.chebvander(en, m - 1)
    cheb = np.linalg.solve(tz, np.linalg.solve(te, values.T).T)
    # to the power basis in (zeta, eta) for Horner evaluation (degree <= 13 on [-1, 1]: the conversion's rounding,
    # ~1e-13, is far below the interpolation error); the check below evaluates the converted table
    rows = np.array([np.polynomial.chebyshev.cheb2poly(cheb[i, :]) for i in range(n)])
    coeff = np.array([np.polynomial.chebyshev.cheb2poly(rows[:, j]) for j in range(m)]).T
    worst, at = 0.0, None
    for z in np.linspace(-1, 1, 31):
        for e in np.linspace(-1, 1, 31):
            exact = error(z, e, table)
            p = np.polynomial.polynomial.polyval2d(z, e, coeff)
            d = abs((1 + exact) / (1 + p) - 1)
            if d > worst:
                worst, at = d, (sc_of(z, table), (e + 1) / 2 * qmax)
    print(f"{name}: worst relative error of the corrected guess on the 31 x 31 check grid {worst:.3e} at sc, q = {at}")
    return coeff, worst


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "CryptoMargin", "Pricing",
                       "ImpliedVolatilityGuessTable.cs")
    text = ["// Generated by scripts/iv-lower-guess-table.py; do not edit by hand (provenance: docs/options/implied-volatility.md).\n",
            "namespace CryptoMargin.Pricing;\n\n", "public static partial class ImpliedVolatility\n{\n"]
    for table in TABLES:
        name, lo, hi, k, qmax, n, m = table
        coeff, worst = fit(table)
        text.append(f"    // {name}: the direct lower-map guess's relative error e(sc, q) = s/s0 - 1, Chebyshev-interpolated on {n} x {m} nodes and\n")
        text.append(f"    // converted to the power basis: sc in [{lo:g}, {hi:g}], zeta = 2(g(sc) - g({lo:g}))/(g({hi:g}) - g({lo:g})) - 1, g(sc) = sc/(sc + {k:g});\n")
        text.append(f"    // q = s0/s_l in [0, {qmax:g}], eta = 2q/{qmax:g} - 1; a_ij of zeta^i eta^j, row i = zeta^i. Worst relative error of the\n")
        text.append(f"    // corrected guess on the script's 31 x 31 check grid {worst:.2e}.\n")
        text.append(f"    private const double {name}ScMin = {lo!r}, {name}ScMax = {hi!r}, {name}K = {k!r}, {name}QMax = {qmax!r};\n")
        text.append(f"    private const int {name}N = {n}, {name}M = {m};\n")
        text.append(f"    private static ReadOnlySpan<double> {name}Table =>\n    [\n")
        lines = [repr(float(v)) for v in coeff.reshape(-1)]
        for i in range(n):
            text.append("        " + ", ".join(lines[i * m:(i + 1) * m]) + ",\n")
        text.append("    ];\n\n")
    text[-1] = "    ];\n"
    text.append("}\n")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(text))
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
