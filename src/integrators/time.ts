/**
 * A time a few ulp below t (t − |t|·ε; −MIN_VALUE at 0). A method that evaluates f at the end of a
 * step [t, t + dt] uses it so that f is its left limit there: with the windows [start, stop) of
 * the stimuli, a current that switches on at t + dt then belongs to the next step, not to this one.
 */
export const justBefore = (t: number): number => (t === 0 ? -Number.MIN_VALUE : t - Math.abs(t) * Number.EPSILON);

/** (eˣ − 1)/x, continuous at 0: the "φ₁" of exponential integrators. */
export const phi1 = (x: number): number => (Math.abs(x) < 1e-6 ? 1 + x / 2 + (x * x) / 6 : Math.expm1(x) / x);
