#!/usr/bin/python3
"""Reference grid for the implied-volatility round-trip test.

Writes tests/CryptoMargin.Tests/Pricing/data/iv-reference.csv with columns forward,strike,t,sigma,type,price:
undiscounted Black-76 prices (Black 1976) computed with mpmath at 50 significant digits from known sigma, printed
with 25 significant digits in exponent notation. forward, strike, t and sigma are IEEE doubles printed exactly
(Python repr), and the price is computed from those exact binary values, so the only error in the C# test is the
final rounding of the price to a double.

Domain (the issue): log-moneyness k = ln(K/F) = z*sigma*sqrt(t), z in [-6, 6] (plus a deep band |z| in 7..10
where the price stays >= 1e-25 F), t in [1e-4, 5] years, sigma in [0.005, 5], prices >= 1e-25 F. Out-of-the-money
and at-the-money rows for both types; in-the-money rows only where the time value is >= 1% of the price (below
that a double price cannot carry sigma to 1e-12).

Run with Debian's interpreter, which has mpmath:  /usr/bin/python3 scripts/iv-reference.py
Deterministic: no randomness; the grid is a fixed product.
"""
import os
from mpmath import mp, mpf, sqrt, log, ncdf, nstr

mp.dps = 50

TIMES = [1e-4, 3e-4, 1e-3, 0.004, 0.02, 0.0833, 0.25, 0.5, 1.0, 2.0, 5.0]
SIGMAS = [0.005, 0.01, 0.03, 0.1, 0.25, 0.6, 1.0, 2.0, 3.5, 5.0]
ZS = [i * 0.5 for i in range(-12, 13)] + [-10, -9, -8, -7, 7, 8, 9, 10]
FORWARDS = [1.0, 97.25, 43125.5]


def black(F, K, t, sigma, call):
    s = sigma * sqrt(t)
    d1 = log(F / K) / s + s / 2
    d2 = d1 - s
    if call:
        return F * ncdf(d1) - K * ncdf(d2)
    return K * ncdf(-d2) - F * ncdf(-d1)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "CryptoMargin.Tests", "Pricing", "data", "iv-reference.csv")
    rows = 0
    with open(out, "w") as f:
        f.write("forward,strike,t,sigma,type,price\n")
        n = 0
        for t in TIMES:
            for sigma in SIGMAS:
                for z in ZS:
                    F = FORWARDS[n % len(FORWARDS)]
                    n += 1
                    k = z * sigma * t ** 0.5
                    K = float(F * 2.718281828459045 ** k) if z != 0 else F
                    Fm, Km, tm, sm = mpf(F), mpf(K), mpf(t), mpf(sigma)
                    for call in (True, False):
                        p = black(Fm, Km, tm, sm, call)
                        intrinsic = max(Fm - Km, 0) if call else max(Km - Fm, 0)
                        if p < mpf("1e-25") * Fm:
                            continue
                        if intrinsic > 0 and (p - intrinsic) < mpf("0.01") * p:
                            continue
                        f.write("%r,%r,%r,%r,%s,%s\n" % (F, K, t, sigma, "call" if call else "put",
                                                        nstr(p, 25, min_fixed=1, max_fixed=0, strip_zeros=False)))
                        rows += 1
    print("wrote %d rows to %s" % (rows, os.path.normpath(out)))


if __name__ == "__main__":
    main()
