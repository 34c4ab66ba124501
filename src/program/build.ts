import { invalid } from "../errors.js";
import type { CompiledModel } from "../models/compile.js";
import type { Expr } from "../models/expr.js";
import { BOUNDS } from "./bounds.js";
import { Equations } from "./equations.js";
import { RECIPES, stepBlock } from "./methods.js";
import { Lets, num, ref } from "./tree.js";
import { type Block, DT, type StepProgram } from "./types.js";

export interface ProgramOptions {
  /** Per state gate: whether it has a rate factor (default: none has). */
  readonly phi?: readonly boolean[];
  /** The fast-math form of the gate derivative (a WebAssembly fast-math kernel's; not bit-identical). */
  readonly fast?: boolean;
  /** Per gate (all gates, in channel order): whether its voltage shift is the per-neuron parameter sh<j> (default: none is). */
  readonly shift?: readonly boolean[];
}

/** The methods a step program exists for ("derivatives": f(y) itself). */
export const PROGRAM_METHODS = Object.keys(RECIPES);

const reserved = (eq: Equations, currents: readonly string[]) => [...eq.state, ...eq.params, "V0", DT, ...currents];

/**
 * The step program of a compiled model under a method: the state layout, its per-neuron
 * parameters and inputs, one step as named intermediate expressions and state updates, the
 * initial state and the divergence bounds. Every backend lowers this and nothing else.
 */
export function stepProgram(compiled: CompiledModel, method: string, options: ProgramOptions = {}): StepProgram {
  const recipe = RECIPES[method];
  if (!recipe) throw invalid("method (step program)", method, `one of ${PROGRAM_METHODS.join(", ")}`);
  const eq = new Equations(
    compiled,
    options.phi ?? compiled.gates.filter((g) => !g.instantaneous).map(() => false),
    options.fast,
    options.shift,
  );
  const currents = recipe.currents.map((c) => c.name);
  const step = stepBlock(eq, recipe, new Lets(reserved(eq, currents)));
  return {
    method,
    state: eq.state,
    gateCount: eq.gateCount,
    params: eq.params,
    currents: recipe.currents,
    step,
    init: initBlock(eq),
    bounds: BOUNDS,
  };
}

/** The initial state: V0, every pool at its initial concentration, every state gate at its steady state at both (rate factor applied). */
function initBlock(eq: Equations): Block {
  const L = new Lets(reserved(eq, []));
  const v0 = ref("V0");
  const cs = eq.compiled.pools.map((ion) => num(ion.inside));
  const out: Expr[] = [v0, ...eq.gates.map((_, k) => eq.gateSteady(L, "", k, v0, cs)), ...cs];
  return { lets: L.list, out };
}

/** The state of a block that reads it, split (V, the state gates, the pools). */
const stateRefs = (eq: Equations) => eq.split(eq.state.map((s) => ref(s)));

/** α of every state gate, then β of every one (1/ms, rate factor applied), at the state's V and concentrations. */
export function ratesBlock(compiled: CompiledModel, phi: readonly boolean[], shift?: readonly boolean[]): Block {
  const eq = new Equations(compiled, phi, false, shift);
  const L = new Lets(reserved(eq, []));
  const { v, cs } = stateRefs(eq);
  const rates = eq.gates.map((_, k) => eq.gateRates(L, "", k, v, cs));
  return { lets: L.list, out: [...rates.map((r) => r.alpha), ...rates.map((r) => r.beta)] };
}

/** Σg (mS/cm²) and ΣgE (µA/cm²) at the state. */
export function conductanceBlock(compiled: CompiledModel, phi: readonly boolean[], shift?: readonly boolean[]): Block {
  const eq = new Equations(compiled, phi, false, shift);
  const L = new Lets(reserved(eq, []));
  const { v, xs, cs } = stateRefs(eq);
  const { gTotal, gE } = eq.conductance(L, "", v, xs, cs);
  return { lets: L.list, out: [gTotal, gE] };
}

/** The ionic current of each channel (µA/cm², positive outward) at the state. */
export function currentsBlock(compiled: CompiledModel, phi: readonly boolean[], shift?: readonly boolean[]): Block {
  const eq = new Equations(compiled, phi, false, shift);
  const L = new Lets(reserved(eq, []));
  const { v, xs, cs } = stateRefs(eq);
  const out = compiled.channels.map((_, c) => eq.channelCurrent(L, "", c, v, xs, cs));
  return { lets: L.list, out };
}
