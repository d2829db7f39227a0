// Side-by-side peer harness (not part of CI): QuantLib's native Black-76 implied vol, price and Greeks on the
// inputs of a CSV shared with CryptoMargin's harness (PeerHarness), so both invert the very same double prices.
// Build:  g++ -O2 -std=c++17 iv_quantlib_csv.cpp -o /tmp/peers/iv_quantlib_csv $(pkg-config --cflags --libs quantlib)
// Run:    iv_quantlib_csv CASES.csv [--repeat R] [--greeks-out FILE]   -> one JSON object on stdout
// CSV: header with columns forward,strike,t,sigma,type,price and optionally domain (default "ref") and discount
// (default 1); price is the present value. Errors are relative, |sigma_hat - sigma| / sigma; QuantLib's accuracy
// argument is on the std-dev sigma*sqrt(t). A solver that throws counts as a failure (its time stays in ns/op).
#include <ql/pricingengines/blackcalculator.hpp>
#include <ql/pricingengines/blackformula.hpp>
#include <ql/utilities/null.hpp>
#include <ql/version.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace QuantLib;

struct Case { std::string domain; Option::Type type; Real F, K, T, vol, D, price; };

static std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out; std::stringstream ss(s); std::string x;
    while (std::getline(ss, x, ',')) out.push_back(x);
    return out;
}

static double pct(const std::vector<double>& v, double q) { return v.empty() ? NAN : v[(size_t)(q * (v.size() - 1))]; }

int main(int argc, char** argv) {
    if (argc < 2) { std::fprintf(stderr, "usage: %s CASES.csv [--repeat R] [--greeks-out FILE]\n", argv[0]); return 2; }
    int repeat = 5; std::string greeksOut;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else if (a == "--greeks-out" && i + 1 < argc) greeksOut = argv[++i];
        else { std::fprintf(stderr, "unknown argument '%s'\n", argv[i]); return 2; }
    }
    std::ifstream in(argv[1]);
    if (!in) { std::fprintf(stderr, "cannot read '%s'\n", argv[1]); return 2; }
    std::string line; std::getline(in, line);
    auto hdr = split(line); std::map<std::string, int> col;
    for (size_t i = 0; i < hdr.size(); ++i) col[hdr[i]] = (int)i;
    for (const char* c : {"forward", "strike", "t", "sigma", "type", "price"})
        if (!col.count(c)) { std::fprintf(stderr, "%s: header has no column '%s'\n", argv[1], c); return 2; }
    std::vector<Case> all; int lineNo = 1;
    while (std::getline(in, line)) {
        ++lineNo; if (line.empty()) continue;
        auto f = split(line); Case c;
        c.domain = col.count("domain") ? f[col["domain"]] : "ref";
        c.F = std::stod(f[col["forward"]]); c.K = std::stod(f[col["strike"]]); c.T = std::stod(f[col["t"]]);
        c.vol = std::stod(f[col["sigma"]]); c.price = std::stod(f[col["price"]]);
        c.D = col.count("discount") ? std::stod(f[col["discount"]]) : 1.0;
        const std::string& ty = f[col["type"]];
        if (ty != "call" && ty != "put") { std::fprintf(stderr, "%s:%d: field 'type': '%s' is not call or put\n", argv[1], lineNo, ty.c_str()); return 2; }
        c.type = ty == "call" ? Option::Call : Option::Put;
        all.push_back(c);
    }
    std::vector<std::string> domains;
    for (auto& c : all) if (std::find(domains.begin(), domains.end(), c.domain) == domains.end()) domains.push_back(c.domain);

    using clk = std::chrono::steady_clock;
    auto timeIt = [&](size_t n, const std::function<void()>& body) {
        std::vector<double> t;
        for (int r = 0; r < repeat; ++r) {
            auto t0 = clk::now(); body();
            t.push_back(std::chrono::duration<double, std::nano>(clk::now() - t0).count() / n);
        }
        std::sort(t.begin(), t.end());
        return std::make_pair(t.front(), t[t.size() / 2]);
    };

    std::printf("{\n  \"tool\": \"QuantLib %s C++ (g++ -O2)\", \"repeat\": %d,\n  \"domains\": [\n", QL_VERSION, repeat);
    for (size_t di = 0; di < domains.size(); ++di) {
        std::vector<Case> cs;
        for (auto& c : all) if (c.domain == domains[di]) cs.push_back(c);
        const size_t n = cs.size();
        volatile double sink = 0;
        auto price = timeIt(n, [&] { double s = 0; for (auto& c : cs) s += blackFormula(c.type, c.K, c.F, c.vol * std::sqrt(c.T), c.D); sink = s; });
        auto greeks = timeIt(n, [&] {
            double s = 0;
            for (auto& c : cs) {
                BlackCalculator b(c.type, c.K, c.F, c.vol * std::sqrt(c.T), c.D);
                s += b.value() + b.deltaForward() + b.gammaForward() + b.vega(c.T) + b.theta(c.F, c.T);
            }
            sink = s;
        });
        if (!greeksOut.empty() && di == 0) {
            FILE* g = std::fopen(greeksOut.c_str(), "w");
            std::fprintf(g, "index,price,delta,gamma,vega,theta\n");
            for (size_t i = 0; i < n; ++i) {
                auto& c = cs[i];
                BlackCalculator b(c.type, c.K, c.F, c.vol * std::sqrt(c.T), c.D);
                std::fprintf(g, "%zu,%.17g,%.17g,%.17g,%.17g,%.17g\n", i, b.value(), b.deltaForward(), b.gammaForward(), b.vega(c.T), b.theta(c.F, c.T));
            }
            std::fclose(g);
        }
        double priceErr = 0;  // blackFormula against the CSV's price (mpmath, rounded once): relative error
        for (auto& c : cs)
            if (c.price > 0) priceErr = std::max(priceErr, std::fabs(blackFormula(c.type, c.K, c.F, c.vol * std::sqrt(c.T), c.D) - c.price) / c.price);
        struct Solver { std::string name; std::function<Real(const Case&)> f; };
        std::vector<Solver> solvers = {
            {"blackFormulaImpliedStdDev(default acc 1e-6)", [](const Case& c) { return blackFormulaImpliedStdDev(c.type, c.K, c.F, c.price, c.D); }},
            {"blackFormulaImpliedStdDev(acc 1e-12, maxIter 100)", [](const Case& c) { return blackFormulaImpliedStdDev(c.type, c.K, c.F, c.price, c.D, 0.0, Null<Real>(), 1e-12, 100); }},
            {"blackFormulaImpliedStdDevLiRS(default acc 1e-6)", [](const Case& c) { return blackFormulaImpliedStdDevLiRS(c.type, c.K, c.F, c.price, c.D); }},
            {"blackFormulaImpliedStdDevLiRS(acc 1e-12, maxIter 100)", [](const Case& c) { return blackFormulaImpliedStdDevLiRS(c.type, c.K, c.F, c.price, c.D, 0.0, Null<Real>(), 1.0, 1e-12, 100); }},
            {"blackFormulaImpliedStdDevApproximation(closed form)", [](const Case& c) { return blackFormulaImpliedStdDevApproximation(c.type, c.K, c.F, c.price, c.D); }},
        };
        std::printf("    {\"domain\": \"%s\", \"n\": %zu,\n     \"price_ns\": {\"min\": %.1f, \"median\": %.1f}, \"price_max_rel_err_vs_reference\": %.3e,\n"
                    "     \"price_and_greeks_ns\": {\"min\": %.1f, \"median\": %.1f, \"what\": \"BlackCalculator value, deltaForward, gammaForward, vega, theta(spot=F)\"},\n     \"solvers\": [\n",
                    domains[di].c_str(), n, price.first, price.second, priceErr, greeks.first, greeks.second);
        for (size_t s = 0; s < solvers.size(); ++s) {
            std::vector<Real> out(n);
            auto ns = timeIt(n, [&] {
                for (size_t i = 0; i < n; ++i) {
                    try { out[i] = solvers[s].f(cs[i]); } catch (...) { out[i] = Null<Real>(); }
                }
            });
            int fails = 0; std::vector<double> rel; rel.reserve(n);
            for (size_t i = 0; i < n; ++i) {
                if (out[i] == Null<Real>() || !std::isfinite(out[i])) { ++fails; continue; }
                rel.push_back(std::fabs(out[i] / std::sqrt(cs[i].T) - cs[i].vol) / cs[i].vol);
            }
            std::sort(rel.begin(), rel.end());
            size_t over6 = std::count_if(rel.begin(), rel.end(), [](double e) { return e > 1e-6; });
            std::printf("      {\"solver\": \"%s\", \"ns_min\": %.1f, \"ns_median\": %.1f, \"failures\": %d, \"max_rel_err\": %.3e, "
                        "\"p99_rel_err\": %.3e, \"p50_rel_err\": %.3e, \"rel_err_over_1e-6\": %zu}%s\n",
                        solvers[s].name.c_str(), ns.first, ns.second, fails, rel.empty() ? NAN : rel.back(), pct(rel, 0.99), pct(rel, 0.5),
                        over6, s + 1 < solvers.size() ? "," : "");
        }
        std::printf("     ]}%s\n", di + 1 < domains.size() ? "," : "");
        (void)sink;
    }
    std::printf("  ]\n}\n");
    return 0;
}
