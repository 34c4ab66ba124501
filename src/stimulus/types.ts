import type { Ms } from "../units.js";

/** Injected current, one value per neuron. */
export interface Stimulus {
  /** Current density for each neuron at time t, written into out (µA/cm²). Windows are [start, stop). */
  sample(t: Ms, out: Float64Array): void;
  /** Times where the current jumps (an adaptive method lands on them). */
  readonly breakpoints: readonly Ms[];
  /**
   * Set by a stimulus that is one amplitude per neuron switched on and off together: `on(t)` says
   * whether `sample(t)` writes the amplitudes (else zeros). Fused kernels use it to inject the
   * same numbers without calling `sample` every step.
   */
  readonly gated?: { readonly amplitude: Float64Array; on(t: Ms): boolean };
}
