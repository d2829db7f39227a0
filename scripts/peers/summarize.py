#!/usr/bin/python3
"""Markdown tables from one run_all.sh output folder: summarize.py OUTDIR (prints to stdout)."""
import json, sys, os

d = sys.argv[1]
J = lambda p: json.load(open(os.path.join(d, p)))


def e(x):
    return "-" if x is None else ("%.1e" % x)


for grid, tag in (("iv", "shared random cases"), ("ivref", "50-digit reference grid iv-reference.csv")):
    print("\n### Implied vol: %s\n" % tag)
    for rnd in (1, 2):
        cpp, ours = J("%s-ql-cpp-%d.json" % (grid, rnd)), J("%s-ours-%d.json" % (grid, rnd))
        py = J("%s-ql-python.json" % grid) if rnd == 1 else None
        for dc, do in zip(cpp["domains"], ours["domains"]):
            base = do["implied_vol"]["ns_median"]
            print("\nround %d, domain `%s` (n = %d); ratio = median ns / ours' median ns\n" % (rnd, dc["domain"], dc["n"]))
            print("| solver | ns/op min | ns/op median | ratio | failures | max rel err | p99 | p50 | rel err > 1e-6 |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            iv = do["implied_vol"]
            print("| **ours** `ImpliedVolatility.Solve` | %.0f | %.0f | 1.00 | %d | %s | %s | %s | %d |" % (
                iv["ns_min"], iv["ns_median"], iv["failures"], e(iv["max_rel_err"]), e(iv["p99_rel_err"]), e(iv["p50_rel_err"]), iv["rel_err_over_1e-6"]))
            for s in dc["solvers"]:
                print("| QuantLib C++ `%s` | %.0f | %.0f | %.2f | %d | %s | %s | %s | %d |" % (
                    s["solver"], s["ns_min"], s["ns_median"], s["ns_median"] / base, s["failures"], e(s["max_rel_err"]), e(s["p99_rel_err"]), e(s["p50_rel_err"]), s["rel_err_over_1e-6"]))
            if py:
                pd = [x for x in py["domains"] if x["domain"] == dc["domain"]][0]
                for s in pd["solvers"]:
                    print("| QuantLib Python `%s` | %.0f | %.0f | %.2f | %d | %s | %s | %s | %d |" % (
                        s["solver"], s["ns_min"], s["ns_median"], s["ns_median"] / base, s["failures"], e(s["max_rel_err"]), e(s["p99_rel_err"]), e(s["p50_rel_err"]), s["rel_err_over_1e-6"]))
            print("\n| price / price + Greeks | ns/op min | ns/op median |\n|---|---:|---:|")
            print("| ours `Black76.Price` (discounted) | %.0f | %.0f |" % (do["price_ns"]["min"], do["price_ns"]["median"]))
            print("| QuantLib C++ `blackFormula` | %.0f | %.0f |" % (dc["price_ns"]["min"], dc["price_ns"]["median"]))
            if py:
                print("| QuantLib Python `blackFormula` | %.0f | %.0f |" % (pd["price_ns"]["min"], pd["price_ns"]["median"]))
            print("| max rel error of the price vs the mpmath price: ours %s, QuantLib C++ `blackFormula` %s | | |" % (
                e(do.get("price_max_rel_err_vs_reference")), e(dc.get("price_max_rel_err_vs_reference"))))
            print("| ours `Black76.Greeks` (7 figures) | %.0f | %.0f |" % (do["price_and_greeks_ns"]["min"], do["price_and_greeks_ns"]["median"]))
            print("| QuantLib C++ `BlackCalculator` (value, deltaForward, gammaForward, vega, theta) | %.0f | %.0f |" % (dc["price_and_greeks_ns"]["min"], dc["price_and_greeks_ns"]["median"]))
            if "greeks_vs_quantlib" in do:
                g = do["greeks_vs_quantlib"]
                print("\nGreeks agreement (n = %d):\n\n| figure | max abs diff | max rel diff |\n|---|---:|---:|" % g["n"])
                for k in ("price", "delta", "gamma", "vega", "theta"):
                    print("| %s | %s | %s |" % (k, e(g[k]["max_abs_diff"]), e(g[k]["max_rel_diff"])))


h = lambda p: J(os.path.join("heston", p))
print("\n### Heston grid\n")
for eng in ("adaptive", "laguerre"):
    c = h("grid-%s-compare.json" % eng)
    print("| %s | n %d | max abs %s | max rel %s | max rel (price > 1e-6 F) %s | worst %s |" % (
        eng, c["n"], e(c["max_abs_diff"]), e(c["max_rel_diff"]), e(c["max_rel_diff_price_above_1e-6F"]), json.dumps(c["max_abs_diff_case"])))
o, q, w, qo = h("ours.json"), h("ql.json"), h("ours-with-ql-params.json"), h("ql-from-ours.json")
print("\n### Heston calibration (%d quotes, %d expiries, spot %s)\n" % (o["quotes"], o["expiries"], o["spot"]))
print("| run | v0 | kappa | theta | sigma | rho | RMSE (vol pts) | max (vol pts) | wall min | wall median | iterations |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def row(name, p, rmse, mx, wmin, wmed, it):
    print("| %s | %.4f | %.3f | %.4f | %.3f | %.4f | %.3f | %.2f | %s | %s | %s |" % (name, p["v0"], p["kappa"], p["theta"], p["sigma"], p["rho"], rmse, mx, wmin, wmed, it))
for key, name in (("exact_t", "ours, exact T (= fit-surface)"), ("integer_days_t", "ours, integer-day T")):
    r = o[key]
    row(name, r["params"], r["rmse_vol_pts"], r["max_abs_vol_err_pts"], "%.2f s" % (r["wall_ms"]["min"] / 1e3), "%.2f s" % (r["wall_ms"]["median"] / 1e3), r["iterations"])
r = w["integer_days_t_started_at_quantlib_params"]
row("ours, integer-day T, started at QuantLib's optimum", r["params"], r["rmse_vol_pts"], r["max_abs_vol_err_pts"], "%.2f s" % (r["wall_ms"]["min"] / 1e3), "%.2f s" % (r["wall_ms"]["median"] / 1e3), r["iterations"])
row("QuantLib, integer-day T, QuantLib start", q["params"], q["rmse_vol_pts"], q["max_abs_vol_err_pts"], "%.2f s" % q["wall_time_s"]["min"], "%.2f s" % q["wall_time_s"]["median"], "-")
row("QuantLib, integer-day T, started at our optimum", qo["params"], qo["rmse_vol_pts"], qo["max_abs_vol_err_pts"], "%.2f s" % qo["wall_time_s"]["min"], "%.2f s" % qo["wall_time_s"]["median"], "-")
a = w["at_quantlib_params_integer_days_t"]
print("\nQuantLib's parameters priced by our Heston + our implied vol: RMSE %.4f, max %.3f vol pts (QuantLib's own: %.4f, %.3f)." % (a["rmse_vol_pts"], a["max_abs_vol_err_pts"], q["rmse_vol_pts"], q["max_abs_vol_err_pts"]))
cl = [J(os.path.join("heston", "cli-fit-surface-%d.json" % i)) for i in (1, 2, 3)]
print("\nCLI fit-surface --model heston --json: rmseVol %s, elapsedMs %s" % (cl[0]["rmseVol"], sorted(c["elapsedMs"] for c in cl)))
