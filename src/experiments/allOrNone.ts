/**
 * Is a model's "spike" an action potential? The paired-pulse protocol counts a spike as an upward crossing of
 * the spike threshold (0 mV by default); a passive membrane crosses it too when a pulse is big enough, and would
 * then get refractory "periods" (V cannot cross 0 mV again while it is still above it). The test here is the
 * defining property of the action potential, the all-or-none law (Adrian 1914; Hodgkin & Huxley 1952): at the
 * threshold, an arbitrarily small increase of the stimulus turns a small, graded response into a full one. A
 * linear membrane's response grows only in proportion to the stimulus.
 *
 * Measured on the single-pulse threshold's bracket [lo, hi] (lo does not fire, hi fires): the jump of the peak
 * response between the two, divided by the jump a linear membrane would make, (peak(lo) − V0) × (hi − lo) / lo:
 *
 *     ratio = (peak(hi) − peak(lo)) / ((peak(lo) − V0) × (hi − lo) / lo)
 *
 * A linear (passive) membrane gives exactly 1 (its response is proportional to the amplitude), a membrane whose
 * gated currents only oppose a depolarization (the lab model with TTX) less than 1. Measured with 1 ms pulses
 * from rest, forward Euler, dt 0.025 ms and a bracket 0.001 µA/cm² wide: passive 1.000, lab with gNa 0 0.49;
 * lab 3.9e3, hh1952 5.6e4 (at 20 °C, where its response is nearly graded, 57), traub-miles 3.6e4, wang-buzsaki
 * 2.7e4, connor-stevens 1.9e5, morris-lecar 1.2e4 (a bracket 0.1 µA/cm² wide: all above 1.2e3 but hh1952 at
 * 20 °C, 59). A response is an action potential when its ratio is at least `ALL_OR_NONE_MIN_RATIO` (10): an order
 * of magnitude beyond the linear membrane.
 */
import { SpikelabError } from "../errors.js";
import type { MV, UAPerCm2 } from "../units.js";

/** The smallest all-or-none ratio of an action potential: ten times the jump of a linear membrane. */
export const ALL_OR_NONE_MIN_RATIO = 10;

/** A model whose threshold crossings are not action potentials: it has no refractory period to measure. */
export class NoActionPotentialError extends SpikelabError {
  override name = "NoActionPotentialError";
  constructor(
    message: string,
    /** The measured all-or-none ratio (1: a linear membrane). */
    readonly all_or_none_ratio: number,
  ) {
    super(message);
  }
}

/**
 * The all-or-none ratio from the peak responses (mV) to the bracket's two amplitudes [lo, hi] from V0: 1 for a
 * linear membrane, thousands for an action potential. NaN when lo is not above 0 (a threshold within the
 * tolerance of 0: nothing to compare with).
 */
export function allOrNoneRatio(bracket: readonly [UAPerCm2, UAPerCm2], peaks_mV: readonly [MV, MV], v0_mV: MV): number {
  const [lo, hi] = bracket;
  if (!(lo > 0 && hi > lo)) return Number.NaN;
  const [below, above] = peaks_mV;
  return (above - below) / (((below - v0_mV) * (hi - lo)) / lo);
}

/** Throws NoActionPotentialError, naming the model and the measured ratio, unless the ratio is an action potential's. */
export function requireActionPotential(
  ratio: number,
  what: { readonly model: string; readonly pulse_ms: number; readonly spike_threshold_mV: MV; readonly threshold_uA_per_cm2: UAPerCm2 },
): number {
  if (ratio >= ALL_OR_NONE_MIN_RATIO || Number.isNaN(ratio)) return ratio;
  throw new NoActionPotentialError(
    `no refractory period: model ${JSON.stringify(what.model)} does not fire action potentials (its response to a ${what.pulse_ms} ms pulse is graded, not all-or-none: where it first crosses ${what.spike_threshold_mV} mV, at ${what.threshold_uA_per_cm2.toPrecision(6)} µA/cm², a little more current raises the peak ${ratio.toPrecision(3)}× as much as it would a linear membrane's; an action potential's jumps ≥ ${ALL_OR_NONE_MIN_RATIO}×)`,
    ratio,
  );
}
