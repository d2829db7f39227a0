#!/usr/bin/python3
"""Inputs for the side-by-side Black-76 implied-vol comparison (CryptoMargin vs QuantLib): one CSV that every
harness reads, so all solvers invert the very same double prices.

Prices are computed in 40-digit arithmetic (mpmath) from the stated sigma and rounded once to double, so neither
library's own pricer favours its own solver; the "true" vol is the sigma that made the price.

Domains (seeded, Python's random.Random):
  ql    iv_quantlib.py's default domain: F = 100, T ~ U[1/365, 2], sigma ~ U[0.05, 2], ln(K/F) = z sigma sqrt(T),
        z ~ U[-3, 3], D = exp(-0.03 T), the OTM option (call if K >= F else put); price = present value.
  wide  CryptoMargin's ImpliedVolatilityBenchmarks domain, OTM only: F = 50,000, sigma log-uniform [0.005, 5],
        T log-uniform [1e-4, 5], z ~ U[-6, 6], D = 1.
Usage: make_iv_cases.py OUT.csv [--n-ql 50000] [--n-wide 20000] [--seed 20261124]
Columns: domain,forward,strike,t,sigma,type,discount,price
"""
import argparse, math, random
import mpmath as mp

mp.mp.dps = 40


def black(F, K, T, sig, call, D):
    F, K, s = mp.mpf(F), mp.mpf(K), mp.mpf(sig) * mp.sqrt(mp.mpf(T))
    d1 = mp.log(F / K) / s + s / 2
    d2 = d1 - s
    v = F * mp.ncdf(d1) - K * mp.ncdf(d2) if call else K * mp.ncdf(-d2) - F * mp.ncdf(-d1)
    return float(mp.mpf(D) * v)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--n-ql", type=int, default=50000)
    p.add_argument("--n-wide", type=int, default=20000)
    p.add_argument("--seed", type=int, default=20261124)
    a = p.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "w") as f:
        f.write("domain,forward,strike,t,sigma,type,discount,price\n")
        for _ in range(a.n_ql):
            T = rng.uniform(1 / 365, 2.0)
            vol = rng.uniform(0.05, 2.0)
            K = 100.0 * math.exp(rng.uniform(-3, 3) * vol * math.sqrt(T))
            D = math.exp(-0.03 * T)
            call = K >= 100.0
            f.write("ql,100,%r,%r,%r,%s,%r,%r\n" % (K, T, vol, "call" if call else "put", D, black(100.0, K, T, vol, call, D)))
        for _ in range(a.n_wide):
            vol = 0.005 * 1000 ** rng.random()
            T = 1e-4 * 5e4 ** rng.random()
            K = 50000.0 * math.exp(rng.uniform(-6, 6) * vol * math.sqrt(T))
            call = K >= 50000.0
            f.write("wide,50000,%r,%r,%r,%s,1,%r\n" % (K, T, vol, "call" if call else "put", black(50000.0, K, T, vol, call, 1.0)))


if __name__ == "__main__":
    main()
