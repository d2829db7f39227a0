#!/usr/bin/python3
"""Side-by-side peer harness (not part of CI): how much of QuantLib's Heston calibration RMSE is its pricing engine?
Prices the quotes of `PeerHarness heston-chain` at fixed parameters with QuantLib's AnalyticHestonEngine at
Gauss-Laguerre order 64 (what heston_quantlib.py calibrates with), order 192, and adaptive Gauss-Lobatto
(relTolerance 1e-12), and reports RMSE / max of model vol - quote vol in vol points for each.

Usage: heston_quantlib_engine_check.py QUOTES.csv --spot S --rate-curve CURVE.csv --eval-date YYYY-MM-DD
         --params v0,kappa,theta,sigma,rho
"""
import argparse, csv, json, math, sys

import QuantLib as ql


def main():
    p = argparse.ArgumentParser()
    p.add_argument("csv")
    p.add_argument("--spot", type=float, required=True)
    p.add_argument("--rate-curve", required=True)
    p.add_argument("--eval-date", required=True)
    p.add_argument("--params", required=True)
    a = p.parse_args()
    y, m, d = (int(x) for x in a.eval_date.split("-"))
    today = ql.Date(d, m, y)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    dates, rates = [today], []
    with open(a.rate_curve) as f:
        for row in csv.DictReader(f):
            dates.append(today + int(row["days"]))
            rates.append(float(row["zero_rate"]))
    rates.insert(0, rates[0])
    rts = ql.YieldTermStructureHandle(ql.ZeroCurve(dates, rates, dc))
    dts = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc))
    v0, kappa, theta, sigma, rho = (float(x) for x in a.params.split(","))
    model = ql.HestonModel(ql.HestonProcess(rts, dts, ql.QuoteHandle(ql.SimpleQuote(a.spot)), v0, kappa, theta, sigma, rho))
    quotes = [(int(r["maturity_days"]), float(r["strike"]), float(r["implied_vol"])) for r in csv.DictReader(open(a.csv))]
    out = {"tool": "QuantLib %s python" % ql.__version__, "params": a.params, "n": len(quotes), "engines": {}}
    for name, engine in (("laguerre64", ql.AnalyticHestonEngine(model, 64)), ("laguerre192", ql.AnalyticHestonEngine(model, 192)),
                         ("adaptive1e-12", ql.AnalyticHestonEngine(model, 1e-12, 1000000))):
        errs = []
        for days, k, vol in quotes:
            h = ql.HestonModelHelper(ql.Period(days, ql.Days), ql.NullCalendar(), a.spot, k, ql.QuoteHandle(ql.SimpleQuote(vol)), rts, dts,
                                     ql.BlackCalibrationHelper.ImpliedVolError)
            h.setPricingEngine(engine)
            try:
                errs.append((h.impliedVolatility(h.modelValue(), 1e-12, 5000, 0.001, 10.0) - vol) * 100)
            except RuntimeError:
                errs.append(float("nan"))
        ok = [e for e in errs if math.isfinite(e)]
        out["engines"][name] = {"rmse_vol_pts": math.sqrt(sum(e * e for e in ok) / len(ok)), "max_abs_vol_err_pts": max(abs(e) for e in ok),
                                "failures": len(errs) - len(ok)}
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
