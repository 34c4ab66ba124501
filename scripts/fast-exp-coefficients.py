"""
The fast-math exp/expm1 polynomial of src/wasm/simdMath.ts (FAST_P), derived here.

expm1(r) = r + r²·P(r) on the reduced range |r| ≤ ln2/2, with P(r) = (eʳ − 1 − r)/r². P is approximated
by its Chebyshev interpolant of degree 10 (mpmath.chebyfit: close to the minimax polynomial) in 50-digit
arithmetic; each coefficient is then rounded to the nearest double. Prints the coefficients, constant term
first, as JavaScript number literals, and the bound on |P − poly| mpmath reports (1.4e-18 for degree 10,
against 1.0e-16 for degree 9, too coarse: P's error reaches the result as ≈ r·error, relative).

    python3 scripts/fast-exp-coefficients.py [degree=10]      (needs mpmath: Debian python3-mpmath)
"""
import sys

import mpmath as mp

mp.mp.dps = 50
degree = int(sys.argv[1]) if len(sys.argv) > 1 else 10
half_ln2 = mp.log(2) / 2


def P(r):
    if r == 0:
        return mp.mpf(1) / 2
    return (mp.expm1(r) - r) / r**2


poly, err = mp.chebyfit(P, [-half_ln2, half_ln2], degree + 1, error=True)
coefficients = [float(c) for c in reversed(poly)]  # chebyfit gives the highest degree first
print(f"// degree {degree}, |P - poly| <= {mp.nstr(err, 3)} on |r| <= ln2/2")
print("[" + ", ".join(repr(c) for c in coefficients) + "]")
