import { justBefore } from "../integrators/time.js";
import type { CompiledModel } from "../models/compile.js";
import type { Stimulus } from "../stimulus/types.js";
import type { CurrentTime } from "./types.js";

/** A batch's per-neuron inputs, as every backend reads them. */
export interface KernelInputs {
  readonly n: number;
  readonly cm: Float64Array;
  /** Per channel, in channel order: g (mS/cm²) and E (mV); a GHK channel's permeability (cm/s) and voltage scale R·T/(z·F) (mV). */
  readonly g: readonly Float64Array[];
  readonly e: readonly Float64Array[];
  /** Per state gate, its rate factor per neuron; null where it is 1 for every neuron (then left out: x·1 = x exactly). */
  readonly phi: readonly (Float64Array | null)[];
  /**
   * Per gate (all gates, in channel order), its voltage shift (mV) per neuron; null where every neuron
   * has the model's own (then a number in the program, left out at 0).
   */
  readonly shift: readonly (Float64Array | null)[];
}

/** What a fused runner needs of a batch: the compiled model, its inputs and its stimulus. */
export interface FusedSource {
  readonly compiled: CompiledModel;
  readonly inputs: KernelInputs;
  readonly stimulus: Stimulus;
}

/** A fixed-step method over a whole run that records spikes only, in one fused kernel. */
export interface FusedRun {
  /**
   * Advances y (variable-major) by `steps` steps of dt, passing every upward crossing of
   * `threshold` to onSpike(neuron, t_ms) in the order the step-by-step loop finds them (by step,
   * then neuron), at the time it computes. Returns false, with y undefined, when a state left the
   * physical range: the caller then reruns the checked loop, which reports where.
   */
  run(y: Float64Array, steps: number, dt: number, threshold: number, onSpike: (neuron: number, t: number) => void): boolean;
  /**
   * Steps of the last run computed once for all neurons: before the current first flows, neurons
   * alike in everything but its amplitude are in the same state (0 where they differ otherwise).
   */
  readonly sharedSteps: number;
}

/** A fused runner for a method, or undefined where it does not apply. `steps`: the run's length, when known. */
export type FusedRunner = (source: FusedSource, method: string, fastMath: boolean, steps: number) => FusedRun | undefined;

/**
 * The fused runner a lower layer may reach without importing it (the WebAssembly runner sets
 * itself here when loaded; `simulate` imports it and calls it directly).
 */
export const fusedRunners: { current?: FusedRunner } = {};

/** The time a current sampled `at` within the step [t, t + dt] is sampled at (every backend alike). */
export const sampleTime = (at: CurrentTime, t: number, dt: number): number =>
  at === "start" ? t : at === "half" ? t + dt / 2 : justBefore(t + dt);
