#!/usr/bin/python3
"""Side-by-side peer harness (not part of CI): QuantLib's Python bindings (Debian quantlib-python) on the shared
implied-vol CSV (make_iv_cases.py, or tests/CryptoMargin.Tests/Pricing/data/iv-reference.csv).

Usage: iv_quantlib_csv.py CASES.csv [--repeat R]      -> one JSON object on stdout
Per domain: ns/op (min and median of R passes over all cases; includes the Python->SWIG call and the list loop) of
ql.blackFormula and of ql.blackFormulaImpliedStdDev / ql.blackFormulaImpliedStdDevLiRS at QuantLib's default
accuracy (1e-6 on the std-dev sigma*sqrt(t)) and at 1e-12; failures (RuntimeError) counted; relative vol error
|sigma_hat - sigma| / sigma against the sigma that made the price.
"""
import argparse, csv, json, math, sys, time

import QuantLib as ql


def main():
    p = argparse.ArgumentParser()
    p.add_argument("csv")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    rows = {}
    with open(a.csv) as f:
        for r in csv.DictReader(f):
            typ = ql.Option.Call if r["type"] == "call" else ql.Option.Put
            rows.setdefault(r.get("domain", "ref"), []).append(
                (typ, float(r["strike"]), float(r["forward"]), float(r["t"]), float(r["sigma"]), float(r.get("discount", 1.0)), float(r["price"])))
    null = ql.nullDouble()
    I, L, bf = ql.blackFormulaImpliedStdDev, ql.blackFormulaImpliedStdDevLiRS, ql.blackFormula
    solvers = [
        ("blackFormulaImpliedStdDev(default acc 1e-6)", lambda c: I(c[0], c[1], c[2], c[6], c[5])),
        ("blackFormulaImpliedStdDev(acc 1e-12, maxIter 100)", lambda c: I(c[0], c[1], c[2], c[6], c[5], 0.0, null, 1e-12, 100)),
        ("blackFormulaImpliedStdDevLiRS(default acc 1e-6)", lambda c: L(c[0], c[1], c[2], c[6], c[5])),
        ("blackFormulaImpliedStdDevLiRS(acc 1e-12, maxIter 100)", lambda c: L(c[0], c[1], c[2], c[6], c[5], 0.0, null, 1.0, 1e-12, 100)),
    ]

    def timed(n, body):
        ts = []
        for _ in range(max(1, a.repeat)):
            t0 = time.perf_counter()
            out = body()
            ts.append((time.perf_counter() - t0) / n * 1e9)
        ts.sort()
        return out, {"min": round(ts[0], 1), "median": round(ts[len(ts) // 2], 1)}

    domains = []
    for name, cs in rows.items():
        n = len(cs)
        _, price_ns = timed(n, lambda: [bf(c[0], c[1], c[2], c[4] * math.sqrt(c[3]), c[5]) for c in cs])
        res = []
        for sname, fn in solvers:
            def run():
                out = []
                for c in cs:
                    try:
                        out.append(fn(c))
                    except RuntimeError:
                        out.append(None)
                return out
            out, ns = timed(n, run)
            rel, fails = [], 0
            for c, s in zip(cs, out):
                if s is None or not math.isfinite(s):
                    fails += 1
                    continue
                rel.append(abs(s / math.sqrt(c[3]) - c[4]) / c[4])
            rel.sort()
            pick = lambda q: rel[int(q * (len(rel) - 1))] if rel else None
            res.append({"solver": sname, "ns_min": ns["min"], "ns_median": ns["median"], "failures": fails,
                        "max_rel_err": rel[-1] if rel else None, "p99_rel_err": pick(0.99), "p50_rel_err": pick(0.5),
                        "rel_err_over_1e-6": sum(1 for e in rel if e > 1e-6)})
        domains.append({"domain": name, "n": n, "price_ns": price_ns, "solvers": res})
    json.dump({"tool": "QuantLib %s python (Debian quantlib-python)" % ql.__version__, "repeat": a.repeat, "domains": domains}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
