#!/usr/bin/python3
"""Table for ImpliedVolatilityKernels.LogInline (src/CryptoMargin/Pricing/ImpliedVolatilityKernels.cs).

x = 2^k z with z in [OFF, 2 OFF), OFF = 0.685546875 (bits 0x3FE5F00000000000): the bit pattern of x minus that of OFF has k in
its exponent field and the cut index i in its top seven mantissa bits, so [OFF, 2 OFF) falls into 128 cuts of 2^45 ulps each.
OFF is chosen so that 1.0 is the bit-centre of its cut: there invc = 1 and -ln(invc) = 0 exactly, and ln x = ln(1 + r) with
r = x - 1 keeps its relative accuracy as x -> 1 without a separate branch. For each cut, c_i = the double at the bit-centre
(OFF + i 2^45 + 2^44), invc_i = 1/c_i rounded to the nearest double, and -ln(invc_i) (the exact logarithm of the rounded
reciprocal, so that ln z = -ln(invc_i) + ln(z invc_i) holds exactly) as a double-double hi + lo. mpmath at 50 digits;
deterministic. Prints the C# initialiser (invc, hi, lo per entry)."""
import struct
import mpmath as mp
mp.mp.dps = 50
OFF = 0x3FE5F00000000000
rows = []
for i in range(128):
    c = struct.unpack("<d", struct.pack("<Q", OFF + i * 2**45 + 2**44))[0]
    invc = float(1 / mp.mpf(c))
    logc = -mp.log(mp.mpf(invc))
    hi = float(logc)
    lo = float(logc - mp.mpf(hi))
    rows.append(f"{invc!r}, {hi!r}, {lo!r},")
print("\n".join(rows))
