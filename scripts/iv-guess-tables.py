#!/usr/bin/python3
"""Correction tables for the implied-volatility solver's direct lower-map and upper-map guesses, and a direct table of s
near the inflection point (the upper and central tables: see the comment blocks above fit_upper and fit_central).

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

Run: /usr/bin/python3 scripts/iv-guess-tables.py   (Debian's Python with mpmath and numpy; a few minutes)
"""
import os
import numpy as np
from mpmath import mp, mpf, ncdf, exp, log, sqrt, erfc, pi

mp.dps = 30
S3 = sqrt(3)

# (name, sc from, sc to, K of the map g(sc) = sc/(sc + K), q range upper end, patches in zeta, patches in eta)
PATCH_DEGREE = 5
TABLES = [
    ("LowerNear", 0.0, 4.0, 10.0, 1.0, 6, 6),
    ("LowerFar", 4.0, 16.0, 5.0, 0.7, 8, 8),
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


def inflection(sc):
    """x = -sc^2/2, b_max = e^{x/2} and b_c = b(x, sc) = b_max/2 (1 - e^{sc^2/2} erfc(sc/sqrt2)) at the inflection point sc."""
    x = -sc ** 2 / 2
    bmax = exp(x / 2)
    return x, bmax, bmax / 2 * (1 - exp(sc ** 2 / 2) * erfc(sc / sqrt(2)))


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
    x, bmax, bc = inflection(sc)
    sl = sc - bc * sqrt(2 * pi) / bmax
    s0 = q * sl
    c = 2 * pi * (-x) / (3 * S3)
    beta = c * ncdf(x / (S3 * s0)) ** 3
    return float(solve_lower(x, beta, s0, sc) / s0 - 1)


# Upper table: beta >= b(x, sc) (s >= sc), the direct upper-map guess s0 = -2 Phi^{-1}((b_max - beta)/(b_max + 1/b_max))
# (b_max - b ~ (e^{x/2} + e^{-x/2}) Phi(-s/2), exact at x = 0). Coordinates sc in [0, UPPER_SCMAX] (map g with K = UPPER_K)
# and w = sc/s0 in [0, UPPER_WF * w_c(sc)], w_c(sc) = sc/s0(b(x, sc)) the guess's value at the inflection point (a 1-D
# Chebyshev interpolant in zeta on UPPER_NW nodes, in the power basis: the solver evaluates the same polynomial).
# Between UPPER_WF * w_c and w_c (the last stretch before the inflection point, where the guess is 15-45% off) and for
# sc > 4 the error varies too fast for a small table; the solver keeps Jaeckel's rational guess there.
UPPER_SCMAX, UPPER_K, UPPER_WF = 4.0, 5.0, 0.8
UPPER_NA, UPPER_NB, UPPER_NW = 4, 4, 10


def distance_to_max(x, s):
    return exp(x / 2) * ncdf(-x / s - s / 2) + exp(-x / 2) * ncdf(x / s - s / 2)


def solve_upper(x, d, s0):
    """s with b_max - b(x, s) = d: Newton on ln(b_max - b), bisection where a step leaves the bracket."""
    ld = log(d)
    s, lo, hi = mpf(s0), mpf(0), mpf("inf")
    for _ in range(400):
        m = distance_to_max(x, s)
        f = log(m) - ld
        if f < 0:
            hi = s
        else:
            lo = s
        vega = exp(-((x / s) ** 2 + (s / 2) ** 2) / 2) / sqrt(2 * pi)
        n = s + f * m / vega
        if not (lo < n < hi):
            n = (lo + hi) / 2 if hi < mpf("inf") else 2 * s
        if abs(n - s) < mpf(10) ** -26 * s:
            return n
        s = n
    raise RuntimeError("no convergence")


def inverse_phi(p):
    """Phi^{-1}(p) by Newton on ln Phi (mpmath has no inverse normal)."""
    z = mpf(-1) if p < 0.5 else mpf(1)
    lp = log(p)
    for _ in range(200):
        n = z - (log(ncdf(z)) - lp) * ncdf(z) / (exp(-z * z / 2) / sqrt(2 * pi))
        if abs(n - z) < mpf(10) ** -26 * (1 + abs(z)):
            return n
        z = n
    raise RuntimeError("no convergence")


def upper_sc(zeta):
    y = (zeta + 1) / 2 * g(UPPER_SCMAX, UPPER_K)
    return UPPER_K * y / (1 - y)


def upper_wc(sc):
    sc = mpf(max(sc, 1e-9))
    x, bmax, bc = inflection(sc)
    return float(sc / (-2 * inverse_phi((bmax - bc) / (bmax + 1 / bmax))))


def upper_error(zeta, eta, wc):
    sc = mpf(upper_sc(zeta))
    w = mpf(eta + 1) / 2 * UPPER_WF * mpf(np.polynomial.polynomial.polyval(zeta, wc))
    if w == 0 or sc == 0:
        return 0.0  # x = 0: the upper map is exact; w = 0: s -> infinity, where it is exact too
    x = -sc ** 2 / 2
    s0 = sc / w
    bmax = exp(x / 2)
    return float(solve_upper(x, (bmax + 1 / bmax) * ncdf(-s0 / 2), s0) / s0 - 1)


def fit_upper_wc():
    zw = np.cos(np.pi * (np.arange(UPPER_NW) + 0.5) / UPPER_NW)
    wc_cheb = np.linalg.solve(np.polynomial.chebyshev.chebvander(zw, UPPER_NW - 1), [upper_wc(upper_sc(z)) for z in zw])
    wc = np.polynomial.chebyshev.cheb2poly(wc_cheb)
    return wc, max(abs(np.polynomial.polynomial.polyval(z, wc) / upper_wc(upper_sc(z)) - 1) for z in np.linspace(-1, 1, 41))


# Central table: b(x, sc) * CENTRAL_VMIN <= beta < b(x, sc) (the lower region's last stretch before the inflection point,
# where the lower map is poor and Jaeckel's rational guess needs one kernel call and leaves two steps): u = s/sc itself as
# a 2-D polynomial in zeta (sc in [0, CENTRAL_SCMAX], map g with K = CENTRAL_K) and eta = 2 (v - VMIN)/(1 - VMIN) - 1,
# v = beta/b(x, sc). s(beta) is smooth through the inflection point (b' > 0 there), so no guess is needed underneath.
# Below VMIN, u(v) bends like 1/sqrt(ln(1/v)) as v -> 0 at small sc: left to the direct guess and the rational guess.
CENTRAL_SCMAX, CENTRAL_K, CENTRAL_VMIN = 4.0, 5.0, 0.2
CENTRAL_NA, CENTRAL_NB = 8, 8


def central_u(zeta, eta):
    sc = mpf(max(upper_sc(zeta), 1e-6))  # the sc -> 0 limit (u = v there) is approached smoothly
    v = CENTRAL_VMIN + (mpf(eta) + 1) / 2 * (1 - CENTRAL_VMIN)
    if v >= 1:
        return 1.0
    x, bmax, bc = inflection(sc)
    return float(solve_lower(x, v * bc, sc * v, sc) / sc)


# Small table: the lower region at small sc below the central table (beta < 0.2 b(x, sc)), where the lower map fails or is
# poor (h = x/s between about -1 and 0: s is not small against |x|). There, as sc -> 0, beta/|x| tends to a function of h
# alone, (phi(h) + h Phi(h))/|h| (the normalised Bachelier price), so the table is of H = |x|/(tau s) = -h/tau in
# zeta = 2 sc/SMALL_SCMAX - 1 and tau = |x|/(|x| + beta) in [tau_lo(sc), SMALL_TAUMAX], tau_lo = SMALL_TAUMAX sc/(sc + 0.16)
# (just inside v = beta/b(x, sc) = 0.2), eta = 2(tau - tau_lo)/(SMALL_TAUMAX - tau_lo) - 1; H stays finite as tau -> 0.
SMALL_SCMAX, SMALL_TAUMAX = 1.0, 0.95
SMALL_NA, SMALL_NB = 6, 16


def solve_any(x, beta):
    """s with b(x, s) = beta (0 < beta < b_max): Newton on ln b from s = sqrt(2 pi) beta, bisection outside the bracket."""
    lb = log(beta)
    s, lo, hi = mpf(beta) * sqrt(2 * pi) + mpf(10) ** -30, mpf(0), mpf("inf")
    for _ in range(400):
        bb = b(x, s)
        f = log(bb) - lb
        if f > 0:
            hi = s
        else:
            lo = s
        vega = exp(-((x / s) ** 2 + (s / 2) ** 2) / 2) / sqrt(2 * pi)
        n = s - f * bb / vega
        if not (lo < n < hi):
            n = (lo + hi) / 2 if hi < mpf("inf") else 2 * s
        if abs(n - s) < mpf(10) ** -26 * s:
            return n
        s = n
    raise RuntimeError("no convergence")


def small_h(zeta, eta):
    sc = mpf(max((zeta + 1) / 2 * SMALL_SCMAX, 1e-6))
    tau_lo = SMALL_TAUMAX * sc / (sc + mpf("0.16"))
    tau = tau_lo + (mpf(eta) + 1) / 2 * (SMALL_TAUMAX - tau_lo)
    x = -sc ** 2 / 2
    if tau == 0:
        tau = mpf(10) ** -12  # the limit tau -> 0 (h -> 0) is finite: H -> phi(0)-like
    beta = -x * (1 / tau - 1)
    return float(-x / (tau * solve_any(x, beta)))


# Mid table: the lower region below the central table (beta < CENTRAL_VMIN b(x, sc)) where the direct lower-map guess
# cannot be inverted or lands past s_l (q = s0/s_l >= 1; near-the-money short-dated quotes of real chains at sc ~ 0.2-1.5,
# v ~ 0.01-0.2), which Jaeckel's rational guess served with two steps: u = s/sc as a 2-D polynomial in zeta (sc in
# [MID_SCMIN, MID_SCMAX], map g with K = MID_K) and eta linear in ln v between ln MID_VMIN and ln MID_VMAX (u bends like
# 1/sqrt(ln(1/v)) as v -> 0, smooth in ln v on this range). Not below sc = 0.2: as sc -> 0, u -> v, but for small v it
# rises steeply away from sc = 0 (at v = 0.001: 0.001 at sc -> 0, 0.005 at sc = 0.01, 0.016 at 0.05), which no patch of
# low degree follows.
MID_SCMIN, MID_SCMAX, MID_K, MID_VMIN, MID_VMAX = 0.2, 4.0, 5.0, 1e-3, 0.2
MID_NA, MID_NB = 8, 8


def mid_u(zeta, eta):
    y = g(MID_SCMIN, MID_K) + (zeta + 1) / 2 * (g(MID_SCMAX, MID_K) - g(MID_SCMIN, MID_K))
    sc = mpf(MID_K * y / (1 - y))
    v = exp(log(mpf(MID_VMIN)) + (mpf(eta) + 1) / 2 * (log(mpf(MID_VMAX)) - log(mpf(MID_VMIN))))
    x, bmax, bc = inflection(sc)
    return float(solve_lower(x, v * bc, sc * v, sc) / sc)


def fit_patched(func, na, nb, deg, correction):
    """Piecewise Chebyshev interpolation of func(zeta, eta) on [-1, 1]^2 cut into na x nb equal patches, each interpolated on
    (deg + 1)^2 first-kind Chebyshev nodes of its own and converted to the power basis in the patch's local coordinates
    (zeta_l = na (zeta + 1) - 2 ia - 1, likewise eta_l): coefficients patch by patch (patch (ia, ib) at (ia nb + ib)(deg + 1)^2),
    row i = zeta_l^i. Checked on a 41 x 41 grid of the whole square (patch edges included): the worst relative error of
    the corrected guess s0 (1 + e) (correction) or of the value itself."""
    n = deg + 1
    nodes = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    vander = np.polynomial.chebyshev.chebvander(nodes, deg)
    coeff = np.zeros((na, nb, n, n))
    for ia in range(na):
        for ib in range(nb):
            zs = (nodes + 2 * ia + 1) / na - 1
            es = (nodes + 2 * ib + 1) / nb - 1
            values = np.array([[func(z, e) for e in es] for z in zs])
            cheb = np.linalg.solve(vander, np.linalg.solve(vander, values.T).T)
            rows = np.array([np.polynomial.chebyshev.cheb2poly(cheb[i, :]) for i in range(n)])
            coeff[ia, ib] = np.array([np.polynomial.chebyshev.cheb2poly(rows[:, j]) for j in range(n)]).T

    def evaluate(z, e):
        u, w = (z + 1) / 2 * na, (e + 1) / 2 * nb
        ia, ib = min(int(u), na - 1), min(int(w), nb - 1)
        return np.polynomial.polynomial.polyval2d(2 * (u - ia) - 1, 2 * (w - ib) - 1, coeff[ia, ib])

    worst, at = 0.0, None
    for z in np.linspace(-1, 1, 41):
        for e in np.linspace(-1, 1, 41):
            exact, p = func(z, e), evaluate(z, e)
            d = abs((1 + exact) / (1 + p) - 1) if correction else abs(p / exact - 1)
            if d > worst:
                worst, at = d, (z, e)
    return coeff.reshape(-1), worst, at


def emit(text, name, comment, consts, coeff, n):
    text.extend("    // " + line + "\n" for line in comment)
    text.append("    " + consts + "\n")
    text.append(f"    private static ReadOnlySpan<double> {name} =>\n    [\n")
    lines = [repr(float(v)) for v in coeff]
    for i in range(0, len(lines), n):
        text.append("        " + ", ".join(lines[i:i + n]) + ",\n")
    text.append("    ];\n\n")


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "CryptoMargin", "Pricing",
                       "ImpliedVolatilityGuessTable.cs")
    text = ["// Generated by scripts/iv-guess-tables.py; do not edit by hand (provenance: docs/options/implied-volatility.md).\n",
            "namespace CryptoMargin.Pricing;\n\n", "public static partial class ImpliedVolatility\n{\n",
            f"    // Every table: {PATCH_DEGREE + 1} x {PATCH_DEGREE + 1} power-basis coefficients per patch (Chebyshev interpolants in the patch's local\n",
            "    // coordinates), patches row-major over (zeta, eta) cut into equal intervals.\n",
            f"    private const int PatchDegree = {PATCH_DEGREE};\n\n"]
    for table in TABLES:
        name, lo, hi, k, qmax, na, nb = table
        coeff, worst, at = fit_patched(lambda z, e: error(z, e, table), na, nb, PATCH_DEGREE, True)
        print(f"{name}: worst relative error of the corrected guess on the 41 x 41 check grid {worst:.3e} at zeta, eta = {at}")
        emit(text, name + "Table", [
            f"{name}: the direct lower-map guess's relative error e(sc, q) = s/s0 - 1; sc in [{lo:g}, {hi:g}],",
            f"zeta = 2(g(sc) - g({lo:g}))/(g({hi:g}) - g({lo:g})) - 1, g(sc) = sc/(sc + {k:g}); q = s0/s_l in [0, {qmax:g}], eta = 2q/{qmax:g} - 1;",
            f"{na} x {nb} patches. Worst relative error of the corrected guess on the script's 41 x 41 check grid {worst:.2e}."],
            f"private const double {name}ScMin = {lo!r}, {name}ScMax = {hi!r}, {name}K = {k!r}, {name}QMax = {qmax!r}; "
            f"private const int {name}PatchesZeta = {na}, {name}PatchesEta = {nb};", coeff, PATCH_DEGREE + 1)
    wc, wc_worst = fit_upper_wc()
    coeff, worst, at = fit_patched(lambda z, e: upper_error(z, e, wc), UPPER_NA, UPPER_NB, PATCH_DEGREE, True)
    print(f"Upper: w_c polynomial within {wc_worst:.1e} of w_c; worst relative error of the corrected guess on the 41 x 41 check grid {worst:.3e} at {at}")
    text.append("    private static ReadOnlySpan<double> UpperWcTable => [" + ", ".join(repr(float(v)) for v in wc) + "];\n")
    emit(text, "UpperTable", [
        f"Upper: the direct upper-map guess's relative error e(sc, w) = s/s0 - 1 (s >= sc); sc in [0, {UPPER_SCMAX:g}], zeta = 2 g(sc)/g({UPPER_SCMAX:g}) - 1,",
        f"g(sc) = sc/(sc + {UPPER_K:g}); w = sc/s0 in [0, {UPPER_WF:g} w_c(sc)], eta = 2w/({UPPER_WF:g} w_c) - 1, w_c = UpperWcTable's polynomial in",
        f"zeta (w at the inflection point, within {wc_worst:.1e}); {UPPER_NA} x {UPPER_NB} patches. Worst relative error of the corrected guess on",
        f"the script's 41 x 41 check grid {worst:.2e}."],
        f"private const double UpperScMax = {UPPER_SCMAX!r}, UpperK = {UPPER_K!r}, UpperWFraction = {UPPER_WF!r}; "
        f"private const int UpperPatchesZeta = {UPPER_NA}, UpperPatchesEta = {UPPER_NB};", coeff, PATCH_DEGREE + 1)
    coeff, worst, at = fit_patched(central_u, CENTRAL_NA, CENTRAL_NB, PATCH_DEGREE, False)
    print(f"Central: worst relative error of s on the 41 x 41 check grid {worst:.3e} at {at}")
    emit(text, "CentralTable", [
        f"Central: u = s/sc for {CENTRAL_VMIN:g} b(x, sc) <= beta < b(x, sc); sc in [0, {CENTRAL_SCMAX:g}], zeta = 2 g(sc)/g({CENTRAL_SCMAX:g}) - 1,",
        f"g(sc) = sc/(sc + {CENTRAL_K:g}); v = beta/b(x, sc), eta = 2(v - {CENTRAL_VMIN:g})/(1 - {CENTRAL_VMIN:g}) - 1; {CENTRAL_NA} x {CENTRAL_NB} patches.",
        f"Worst relative error of s on the script's 41 x 41 check grid {worst:.2e}."],
        f"private const double CentralScMax = {CENTRAL_SCMAX!r}, CentralK = {CENTRAL_K!r}, CentralVMin = {CENTRAL_VMIN!r}; "
        f"private const int CentralPatchesZeta = {CENTRAL_NA}, CentralPatchesEta = {CENTRAL_NB};", coeff, PATCH_DEGREE + 1)
    coeff, worst, at = fit_patched(small_h, SMALL_NA, SMALL_NB, PATCH_DEGREE, False)
    print(f"Small: worst relative error of s on the 41 x 41 check grid {worst:.3e} at {at}")
    emit(text, "SmallTable", [
        f"Small: H = |x|/(tau s) for beta < 0.2 b(x, sc) at sc in [0, {SMALL_SCMAX:g}], zeta = 2 sc/{SMALL_SCMAX:g} - 1; tau = |x|/(|x| + beta) in",
        f"[tau_lo, {SMALL_TAUMAX:g}], tau_lo = {SMALL_TAUMAX:g} sc/(sc + 0.16), eta = 2(tau - tau_lo)/({SMALL_TAUMAX:g} - tau_lo) - 1; {SMALL_NA} x {SMALL_NB} patches.",
        f"Worst relative error of s on the script's 41 x 41 check grid {worst:.2e}."],
        f"private const double SmallScMax = {SMALL_SCMAX!r}, SmallTauMax = {SMALL_TAUMAX!r}; "
        f"private const int SmallPatchesZeta = {SMALL_NA}, SmallPatchesEta = {SMALL_NB};", coeff, PATCH_DEGREE + 1)
    coeff, worst, at = fit_patched(mid_u, MID_NA, MID_NB, PATCH_DEGREE, False)
    print(f"Mid: worst relative error of s on the 41 x 41 check grid {worst:.3e} at {at}")
    emit(text, "MidTable", [
        f"Mid: u = s/sc for {MID_VMIN:g} b(x, sc) <= beta < {MID_VMAX:g} b(x, sc); sc in [{MID_SCMIN:g}, {MID_SCMAX:g}],",
        f"zeta = 2(g(sc) - g({MID_SCMIN:g}))/(g({MID_SCMAX:g}) - g({MID_SCMIN:g})) - 1,",
        f"g(sc) = sc/(sc + {MID_K:g}); v = beta/b(x, sc), eta = 2 ln(v/{MID_VMIN:g})/ln({MID_VMAX:g}/{MID_VMIN:g}) - 1; {MID_NA} x {MID_NB} patches.",
        f"Worst relative error of s on the script's 41 x 41 check grid {worst:.2e}."],
        f"private const double MidScMin = {MID_SCMIN!r}, MidScMax = {MID_SCMAX!r}, MidK = {MID_K!r}, MidVMin = {MID_VMIN!r}, MidVMax = {MID_VMAX!r}; "
        f"private const int MidPatchesZeta = {MID_NA}, MidPatchesEta = {MID_NB};", coeff, PATCH_DEGREE + 1)
    text[-1] = "    ];\n"
    text.append("}\n")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(text))
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
