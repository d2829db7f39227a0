#!/usr/bin/python3
"""Table for ImpliedVolatilityKernels.LogInline (src/CryptoMargin/Pricing/ImpliedVolatilityKernels.cs): for i = 0..127 the
centre c_i = 1 + (i + 1/2)/128 of the i-th of 128 equal cuts of [1, 2), invc_i = 1/c_i rounded to the nearest double, and
-ln(invc_i) (the exact logarithm of the rounded reciprocal, so that ln m = -ln(invc_i) + ln(m*invc_i) holds exactly) as a
double-double hi + lo. mpmath at 50 digits; deterministic. Prints the C# initialiser (invc, hi, lo per entry)."""
import mpmath as mp
mp.mp.dps = 50
rows = []
for i in range(128):
    c = 1 + (mp.mpf(i) + mp.mpf(1) / 2) / 128
    invc = float(1 / c)
    logc = -mp.log(mp.mpf(invc))
    hi = float(logc)
    lo = float(logc - mp.mpf(hi))
    rows.append(f"{invc!r}, {hi!r}, {lo!r},")
print("\n".join(rows))
