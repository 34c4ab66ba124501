import type { Bounds } from "./types.js";

/**
 * The divergence bounds, the one definition every backend checks after each step: |V| ≥ 1000 mV
 * is not physiological, and a gate (an open probability) beyond [−0.5, 1.5] has left its range
 * for good; a concentration (mM) of 10⁶ or more, or below −10⁶, is no concentration; a value that
 * is not finite fails all three.
 */
export const BOUNDS: Bounds = { vAbsBelow: 1000, gateAbove: -0.5, gateBelow: 1.5, concAbsBelow: 1e6 };
