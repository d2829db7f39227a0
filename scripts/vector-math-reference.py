#!/usr/bin/python3
"""Writes tests/CryptoMargin.Tests/Pricing/data/vector-math-reference.csv: exp, ln, erfc and Phi at 50 digits (mpmath)
for the tests of src/CryptoMargin/Pricing/VectorMath.cs. Arguments come from a fixed seed (reproducible) and are
rounded to doubles first, so the reference is the exact function of the double the test passes in.
Run: /usr/bin/python3 scripts/vector-math-reference.py
"""
import os
import random
from mpmath import mp, mpf, exp, log, erfc, ncdf

mp.dps = 50
rng = random.Random(20261124)
rows = []


def add(fn, x, value):
    rows.append((fn, repr(float(x)), mp.nstr(value, 25)))


for _ in range(400):
    x = float(rng.uniform(-745, 709.7))
    add("exp", x, exp(mpf(x)))
for _ in range(200):
    x = float(rng.uniform(-1, 1))
    add("exp", x, exp(mpf(x)))
for _ in range(400):
    x = float(10 ** rng.uniform(-307, 307))
    add("ln", x, log(mpf(x)))
for _ in range(200):
    x = float(1 + rng.uniform(-0.3, 0.5))
    add("ln", x, log(mpf(x)))
for _ in range(300):
    x = float(rng.uniform(-6, 26.5))
    add("erfc", x, erfc(mpf(x)))
for _ in range(300):
    z = float(rng.uniform(-37.0, 8.3))
    add("phi", z, ncdf(mpf(z)))
for _ in range(200):
    z = float(rng.uniform(-3, 3))
    add("phi", z, ncdf(mpf(z)))

path = os.path.join(os.path.dirname(__file__), "..", "tests", "CryptoMargin.Tests", "Pricing", "data", "vector-math-reference.csv")
with open(path, "w") as out:
    out.write("function,x,value\n")
    for fn, x, v in rows:
        out.write(f"{fn},{x},{v}\n")
print(len(rows), "rows; Phi(-37.5) =", mp.nstr(ncdf(mpf(-37.5)), 5), "Phi(-37) =", mp.nstr(ncdf(mpf(-37)), 5),
      "erfc(26.543) =", mp.nstr(erfc(mpf(26.543)), 5))
