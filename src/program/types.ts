import type { Expr } from "../models/expr.js";

/**
 * A step program: one time step of a compiled model under one method, as data that no backend
 * needs to understand beyond arithmetic (the spirit of Brian2's ExplicitStateUpdater: a method is
 * a recipe applied to the model's equations, and every target only prints the result).
 *
 * Names in the expressions are of four kinds, all plain identifiers:
 * - state variables (`state`, V first, then the state gates, then the concentration pools),
 * - per-neuron parameters (`params`),
 * - inputs: `dt` (ms, one value for the run) and the injected currents (`currents`),
 * - intermediate values (`Let.name`), each defined once, before its first use.
 *
 * Every value is per neuron; neurons do not interact. A backend evaluates `lets` in order and then
 * writes every `out` expression (all reading the values before the step).
 */
export interface Let {
  readonly name: string;
  readonly expr: Expr;
}

/** Straight-line code: intermediate values, then one output expression per output slot. */
export interface Block {
  readonly lets: readonly Let[];
  readonly out: readonly Expr[];
}

/**
 * When within the step [t, t + dt] an injected current is sampled: at t, at t + dt/2, or just
 * before t + dt (the left limit, see integrators/time.ts justBefore).
 */
export type CurrentTime = "start" | "half" | "end";

export interface CurrentInput {
  readonly name: string;
  readonly at: CurrentTime;
}

/** The divergence bounds: a state outside them has left the physical range for good. */
export interface Bounds {
  /** |V| must stay below this (mV). */
  readonly vAbsBelow: number;
  /** Every gate must stay in the open interval (gateAbove, gateBelow). */
  readonly gateAbove: number;
  readonly gateBelow: number;
  /** |C| of every concentration pool (mM) must stay below this. */
  readonly concAbsBelow: number;
}

export interface StepProgram {
  /** The method this program steps with ("derivatives": `step.out` is f(y), not the next state). */
  readonly method: string;
  /** State variable names in state order: V, the state gates, then the concentration pools. */
  readonly state: readonly string[];
  /** How many state gates follow V (the rest of the state are concentrations, mM). */
  readonly gateCount: number;
  /** Per-neuron parameter names the step reads (V0 is read by `init` only). */
  readonly params: readonly string[];
  readonly currents: readonly CurrentInput[];
  /** One step: `out[k]` is state variable k after the step (or its derivative for "derivatives"). */
  readonly step: Block;
  /** The initial state from the parameters (V0 among them): `out[k]` is state variable k. */
  readonly init: Block;
  readonly bounds: Bounds;
}

/** The name of the time step in a program. */
export const DT = "dt";
