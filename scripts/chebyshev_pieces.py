"""Shared by scripts/iv-bc-table.py and scripts/iv-mills-table.py: one-variable piecewise polynomial tables fitted with
mpmath (the caller sets mp.mp.dps). Each piece is f's Chebyshev interpolant at first-kind nodes on [centre - half, centre +
half], converted to the power basis of the local coordinate y in [-1, 1], and checked on equally spaced points."""
import os
import mpmath as mp


def fit_piece(f, centre, half, degree):
    """Coefficients (mpmath numbers, y^0 first) of f(centre + half*y)'s degree-`degree` Chebyshev interpolant."""
    nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / (degree + 1)) for k in range(degree + 1)]
    values = [f(centre + half * y) for y in nodes]
    m = mp.matrix([[y ** j for j in range(degree + 1)] for y in nodes])
    c = mp.lu_solve(m, mp.matrix(values))
    return [c[j] for j in range(degree + 1)]


def worst_error(f, coefficients, centre, half, inside, points=201):
    """Worst |p/f - 1| on `points` equally spaced y in [-1, 1] where inside(argument) holds, p summed in mpmath from the
    rounded (double) coefficients."""
    worst = mp.mpf(0)
    for k in range(points):
        y = -1 + 2 * mp.mpf(k) / (points - 1)
        arg = centre + half * y
        if not inside(arg):
            continue
        p = mp.mpf(0)
        for c in reversed(coefficients):
            p = p * y + mp.mpf(c)
        worst = max(worst, abs(p / f(arg) - 1))
    return worst


def write_atomically(name, text):
    """Writes src/CryptoMargin/Pricing/<name> through a temporary file and a rename; returns the path."""
    path = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "CryptoMargin", "Pricing", name))
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    return path
