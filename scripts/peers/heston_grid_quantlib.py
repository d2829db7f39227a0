#!/usr/bin/python3
"""Side-by-side peer harness (not part of CI): QuantLib AnalyticHestonEngine prices on a parameter grid, written as
a CSV that `PeerHarness heston-grid` prices with CryptoMargin's Heston and compares.

Usage: heston_grid_quantlib.py OUT.csv [--engine adaptive|laguerre] [--order 144]
Grid: F = 100 (spot 100, r = q = 0, so spot = forward and prices are undiscounted), v0 in {0.1, 0.5},
kappa in {0.5, 2, 5}, theta in {0.1, 0.5}, sigma in {0.3, 1, 2.5}, rho in {-0.7, 0, 0.5};
maturities 7, 30, 91, 182, 365, 730 days (Actual/365F); strikes K = F exp(z sqrt(theta T)),
z in {-2, -1, -0.5, 0, 0.5, 1, 2}; the OTM option (call if K >= F). 4,536 prices.
Engines: 'adaptive' = AnalyticHestonEngine(model, relTolerance 1e-12, maxEvaluations 1e6) (Gauss-Lobatto,
the reference setting), 'laguerre' = AnalyticHestonEngine(model, order) (Gauss-Laguerre, QuantLib's default 144).
"""
import argparse, itertools, math, time

import QuantLib as ql


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--engine", choices=["adaptive", "laguerre"], default="adaptive")
    p.add_argument("--order", type=int, default=144)
    a = p.parse_args()
    today = ql.Date(24, 11, 2026)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    rts = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc))
    spot = ql.QuoteHandle(ql.SimpleQuote(100.0))
    n, t0 = 0, time.perf_counter()
    with open(a.out, "w") as f:
        f.write("v0,kappa,theta,sigma,rho,forward,strike,t,type,ql_price\n")
        for v0, kappa, theta, sigma, rho in itertools.product([0.1, 0.5], [0.5, 2.0, 5.0], [0.1, 0.5], [0.3, 1.0, 2.5], [-0.7, 0.0, 0.5]):
            model = ql.HestonModel(ql.HestonProcess(rts, rts, spot, v0, kappa, theta, sigma, rho))
            engine = (ql.AnalyticHestonEngine(model, 1e-12, 1000000) if a.engine == "adaptive"
                      else ql.AnalyticHestonEngine(model, a.order))
            for days in [7, 30, 91, 182, 365, 730]:
                T = days / 365.0
                for z in [-2, -1, -0.5, 0, 0.5, 1, 2]:
                    K = 100.0 * math.exp(z * math.sqrt(theta * T))
                    typ = ql.Option.Call if K >= 100.0 else ql.Option.Put
                    opt = ql.VanillaOption(ql.PlainVanillaPayoff(typ, K), ql.EuropeanExercise(today + days))
                    opt.setPricingEngine(engine)
                    f.write("%r,%r,%r,%r,%r,100.0,%r,%r,%s,%r\n" % (v0, kappa, theta, sigma, rho, K, T,
                                                                    "call" if typ == ql.Option.Call else "put", opt.NPV()))
                    n += 1
    print('{"tool": "QuantLib %s python", "engine": "%s", "n": %d, "seconds": %.2f}' % (ql.__version__, a.engine, n, time.perf_counter() - t0))


if __name__ == "__main__":
    main()
