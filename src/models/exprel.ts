/**
 * (eˣ − 1)/x, continuous at x = 0 where it equals 1.
 *
 * Rate laws of the form k·u/(1 − e^(−u/s)) have a removable 0/0 at u = 0 (NEURON
 * guards it with `vtrap`). Written as k·s/exprel(−u/s) they are finite everywhere
 * and, through `expm1`, more accurate than the textbook form near the singular point.
 */
export const exprel = (x: number): number => (Math.abs(x) < 1e-6 ? 1 + x / 2 + (x * x) / 6 : Math.expm1(x) / x);
