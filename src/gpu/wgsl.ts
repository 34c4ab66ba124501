import { SpikelabError } from "../errors.js";
import { compileModel, gateVariables, shiftParameter, stateGates } from "../models/compile.js";
import { type CompareOp, type Expr, type FunctionName, VOLTAGE } from "../models/expr.js";
import { lawTree, type RateLaw } from "../models/rates.js";
import type { GateDefinition, NeuronModel } from "../models/types.js";
import { stepProgram } from "../program/build.js";
import { DT } from "../program/types.js";
import { GPU_METHODS, type GpuMethod } from "./methods.js";

/**
 * WGSL printed from the step program (src/program/): one compute invocation per neuron, the time
 * loop inside the kernel, f32. It knows no model arithmetic and no method: the program's
 * intermediate values become `let`s, its updates the new state, its initial state and bounds the
 * kernel's start and divergence check, so that the only difference from the CPU is f32 rounding.
 *
 * Every form the CPU handles compiles: the standard rate laws and `expr` laws (`exprToWgsl`), α/β
 * and x∞/τ gates, instantaneous gates, per-gate temperature and rate_factor (factors computed on
 * the CPU in f64), model constants (bound into the code), and V0 "rest" (found per neuron on the CPU in f64).
 */

export { GPU_METHODS, type GpuMethod };

const F32_MAX = 3.4028234663852886e38;

/** A number as a WGSL float literal (abstract float, rounded once to f32 where it is used; never an integer literal). */
export function wgslFloat(x: number): string {
  if (!Number.isFinite(x) || Math.abs(x) > F32_MAX) {
    throw new SpikelabError(
      `the GPU backend cannot write ${x} as an f32 literal (only finite numbers up to ${F32_MAX}); use --backend cpu`,
    );
  }
  const s = Number.isInteger(x) && Math.abs(x) < 1e15 ? x.toFixed(1) : String(x);
  return x < 0 ? `(${s})` : s;
}

/**
 * An expression tree (src/models/expr.ts, constants bound, singularities guarded) as WGSL, fully
 * parenthesised in the tree's order as `toJs` writes it: V is written `v`, or every name as `v(name)`.
 * Functions map to WGSL builtins, or to the kernel prelude's helpers where WGSL has none or where
 * its builtin differs from JavaScript's: `exprel` (guarded, as the CPU's), `expm1_g`, `tanh_g`
 * (saturates instead of overflowing), `pow_g` (a negative base with a whole exponent, as `**`).
 * A whole exponent from 1 to 4 (or −1 to −4) is written as products, as the CPU writes gate powers.
 */
export function exprToWgsl(e: Expr, v: string | ((name: string) => string)): string {
  switch (e.type) {
    case "num":
      return wgslFloat(e.value);
    case "name":
      if (typeof v === "function") return v(e.name);
      if (e.name !== VOLTAGE) throw new SpikelabError(`the GPU backend got an unbound name "${e.name}" in a rate expression`);
      return v;
    case "neg":
      return `(-${exprToWgsl(e.arg, v)})`;
    case "bin":
      if (e.op === "^") return powerExpr(e.left, e.right, v);
      return `(${exprToWgsl(e.left, v)} ${e.op} ${exprToWgsl(e.right, v)})`;
    case "call": {
      const args = e.args.map((a) => exprToWgsl(a, v));
      if (e.fn === "pow") return powerExpr(e.args[0] as Expr, e.args[1] as Expr, v);
      const name = WGSL_FUNCTIONS[e.fn];
      return `${name}(${args.join(", ")})`;
    }
    case "select": {
      if (!Object.hasOwn(WGSL_COMPARE, e.op)) throw new SpikelabError(`the GPU backend got an unknown comparison ${JSON.stringify(e.op)}`);
      // WGSL's select(f, t, cond) computes both branches: the one not taken may be non-finite without effect
      const cond = `${exprToWgsl(e.left, v)} ${WGSL_COMPARE[e.op]} ${exprToWgsl(e.right, v)}`;
      return `select(${exprToWgsl(e.ifFalse, v)}, ${exprToWgsl(e.ifTrue, v)}, ${cond})`;
    }
  }
}

/** The expression language's comparisons in WGSL (the same operators; f32 comparisons are IEEE, false with NaN but for !=). */
const WGSL_COMPARE: Readonly<Record<CompareOp, string>> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!=" };

/** The expression language's functions (FUNCTIONS of expr.ts) in WGSL; `pow` is written by `powerExpr`. */
export const WGSL_FUNCTIONS: Readonly<Record<FunctionName, string>> = {
  exp: "exp",
  expm1: "expm1_g",
  log: "log",
  sqrt: "sqrt",
  tanh: "tanh_g",
  cosh: "cosh",
  sinh: "sinh",
  abs: "abs",
  min: "min",
  max: "max",
  pow: "pow_g",
  exprel: "exprel",
};

function powerExpr(base: Expr, exponent: Expr, v: string | ((name: string) => string)): string {
  const b = exprToWgsl(base, v);
  const n =
    exponent.type === "num" ? exponent.value : exponent.type === "neg" && exponent.arg.type === "num" ? -exponent.arg.value : Number.NaN;
  if (Number.isInteger(n) && Math.abs(n) <= 4) {
    if (n === 0) return "1.0";
    const p = Math.abs(n) === 1 ? b : `ipow${Math.abs(n)}(${b})`;
    return n > 0 ? p : `(1.0 / ${p})`;
  }
  return `pow_g(${b}, ${exprToWgsl(exponent, v)})`;
}

/** A rate law as a WGSL expression of the f32 voltage `v`: its tree (rates.ts lawTree), printed. */
export const rateToWgsl = (law: RateLaw, v: string, constants: Readonly<Record<string, number>> = {}): string =>
  exprToWgsl(lawTree(law, constants), v);

/** True when a state gate's rates are scaled (a temperature dependence, its own or the model's, or a rate_factor ≠ 1). */
export const hasRateFactor = (model: NeuronModel, gate: GateDefinition): boolean =>
  (gate.temperature ?? model.temperature) !== undefined || (gate.rate_factor ?? 1) !== 1;

/** The kernel input holding a gate's rate factor (computed per neuron on the CPU in f64). */
export const rateFactorInput = (gate: string): string => `phi_${gate}`;

/**
 * exprel(x) = (eˣ − 1)/x = Σ xᵏ/(k+1)!: the series, to x⁸, used for |x| < EXPREL_SERIES_BELOW,
 * where eˣ − 1 would lose most of its f32 digits to cancellation (truncation < 1e-9 relative, far below f32's 6e-8).
 */
export const EXPREL_SERIES: readonly number[] = [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880];
export const EXPREL_SERIES_BELOW = 0.5;

/** c₀ + x(c₁ + x(c₂ + …)) as WGSL. */
function horner(c: readonly number[], x: string): string {
  return c.reduceRight((inner, ck, k) => (k === c.length - 1 ? wgslFloat(ck) : `${wgslFloat(ck)} + ${x} * (${inner})`), "");
}

/**
 * Names of every scalar a kernel reads per neuron: Cm, V0 (computed on the CPU in f64 where it is
 * "rest"), each channel's g and E, each scaled state gate's rate factor `phi_<x>` (computed on the
 * CPU in f64 from celsius, q10 and rate_factor), each gate's voltage shift `vShift_<x>` (mV), then the
 * stimulus and its windows. Model constants
 * are not inputs: they are one value per run and are bound into the code, as the CPU binds them.
 */
export function kernelInputs(model: NeuronModel): string[] {
  return [
    "Cm",
    "V0",
    ...model.channels.flatMap((c) => [`g${c.name}`, `E${c.name}`]),
    ...stateGates(model)
      .filter((g) => hasRateFactor(model, g))
      .map((g) => rateFactorInput(g.name)),
    ...gateVariables(model).map((g) => shiftParameter(g.name)),
    ...STIMULUS_INPUTS,
  ];
}

/**
 * The stimulus and spike-window inputs, computed on the CPU in f64: the stimulus sampled at t_k = k·dt
 * is on iff kOn ≤ k < kOff, sampled at t_k + dt/2 iff kOnHalf ≤ k < kOffHalf, just before t_k + dt iff
 * kOnEnd ≤ k < kOffEnd (so that [start, stop) agrees exactly with the CPU's samples);
 * a crossing at step position k + f (f ∈ (0, 1]) is in the rate window iff
 * winStartStep + winStartFrac ≤ k + f < winStopStep + winStopFrac.
 */
export const STIMULUS_INPUTS = [
  "amplitude",
  "kOn",
  "kOff",
  "kOnHalf",
  "kOffHalf",
  "kOnEnd",
  "kOffEnd",
  "winStartStep",
  "winStartFrac",
  "winStopStep",
  "winStopFrac",
] as const;
/** Inputs stored as u32 bit patterns in the f32 buffers. */
export const INTEGER_INPUTS: ReadonlySet<string> = new Set([
  "kOn",
  "kOff",
  "kOnHalf",
  "kOffHalf",
  "kOnEnd",
  "kOffEnd",
  "winStartStep",
  "winStopStep",
]);
/** The on/off inputs of a current sampled at each time of the step. */
const WINDOW_OF = { start: ["kOn", "kOff"], half: ["kOnHalf", "kOffHalf"], end: ["kOnEnd", "kOffEnd"] } as const;
/** Run-wide constants that are never per-neuron. */
export const RUN_CONSTANTS = ["dt", "threshold"] as const;

export interface KernelOptions {
  readonly model: NeuronModel;
  readonly method: GpuMethod;
  /** Inputs (of `kernelInputs`) read per neuron from the column buffer; the rest are run-wide. */
  readonly perNeuron: ReadonlySet<string>;
  /** The model's constants for this run (default: the model's own), bound into the code. */
  readonly constants?: Readonly<Record<string, number>>;
  /**
   * The gates (by name) whose voltage shift the code reads from its input `vShift_<gate>` (default: those
   * whose shift is per neuron); every other gate's is the model's own, a number in the code.
   */
  readonly shifted?: ReadonlySet<string>;
  readonly workgroupSize?: number;
}

/** Where each input lives: a slot of the run-wide `consts` buffer or a column of `cols` (cols[c·n + i]). */
export interface KernelLayout {
  readonly code: string;
  readonly consts: readonly string[];
  readonly columns: readonly string[];
  readonly stateNames: readonly string[];
  /** Per-neuron u32 statistics, variable-major: stats[j·n + i]. */
  readonly statNames: readonly ["spike_count", "window_count", "latency_bits", "diverged_step"];
  readonly workgroupSize: number;
}

/** Generates the WGSL kernel and its buffer layout for a model, method and set of per-neuron inputs. */
export function generateKernel({ model, method, perNeuron, constants, shifted, workgroupSize = 64 }: KernelOptions): KernelLayout {
  if (!(GPU_METHODS as readonly string[]).includes(method)) {
    throw new SpikelabError(`the GPU backend runs methods ${GPU_METHODS.join(", ")}; got "${method}"`);
  }
  if (Object.keys(model.ions ?? {}).length > 0) {
    throw new SpikelabError(
      `the GPU backend does not run ions yet (model "${model.name}" declares ${Object.keys(model.ions ?? {}).join(", ")}: concentration pools, Nernst potentials, concentration-dependent rates); run it on the CPU (WebAssembly or JavaScript)`,
    );
  }
  const inputs = kernelInputs(model);
  for (const name of perNeuron) {
    if (!inputs.includes(name)) throw new SpikelabError(`unknown per-neuron GPU input "${name}"; expected one of ${inputs.join(", ")}`);
  }
  const columns = inputs.filter((n) => perNeuron.has(n));
  const consts = [...RUN_CONSTANTS, ...inputs.filter((n) => !perNeuron.has(n))];
  const gates = gateVariables(model);
  const states = gates.filter((g) => !g.instantaneous);
  const gateNames = states.map((g) => g.name);
  const stateNames = ["V", ...gateNames];
  for (const g of gates) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(g.name))
      throw new SpikelabError(`the GPU backend needs gate names that are plain identifiers; got "${g.name}"`);
  }
  for (const c of model.channels) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.name))
      throw new SpikelabError(`the GPU backend needs channel names that are plain identifiers; got ${JSON.stringify(c.name)}`);
  }
  const G = states.length;

  const read = (name: string): string => {
    const c = columns.indexOf(name);
    const raw = c >= 0 ? `cols[${c}u * ctl.n + i]` : `consts[${consts.indexOf(name)}]`;
    return INTEGER_INPUTS.has(name) ? `bitcast<u32>(${raw})` : raw;
  };
  const ident = (name: string) => `p_${name}`;
  const paramLets = [...inputs, ...RUN_CONSTANTS]
    .map((name) => `  let ${ident(name)}${INTEGER_INPUTS.has(name) ? ": u32" : ": f32"} = ${read(name)};`)
    .join("\n");
  const indent = (s: string, by = "    ") =>
    s
      .split("\n")
      .map((l) => by + l)
      .join("\n");

  // the step program, its names as WGSL identifiers
  const compiled = compileModel(model, constants);
  const program = stepProgram(compiled, method, {
    phi: states.map((g) => hasRateFactor(model, g)),
    shift: gates.map((g) => (shifted ?? perNeuron).has(shifted ? g.name : shiftParameter(g.name))),
  });
  const lets = new Set([...program.step.lets, ...program.init.lets].map((l) => l.name));
  const currents = new Set(program.currents.map((c) => c.name));
  const name = (x: string): string => {
    if (x === "V") return "V";
    if (lets.has(x)) return `l_${x}`;
    if (currents.has(x)) return `c_${x}`;
    if (x === DT) return "dt";
    const k = Number(x.replace(/^\D+/, ""));
    if (/^x\d+$/.test(x)) return `x_${gateNames[k]}`;
    if (x === "Cm" || x === "V0") return ident(x);
    if (/^g\d+$/.test(x)) return ident(`g${model.channels[k]?.name}`);
    if (/^e\d+$/.test(x)) return ident(`E${model.channels[k]?.name}`);
    if (/^phi\d+$/.test(x)) return ident(rateFactorInput(gateNames[k] as string));
    if (/^sh\d+$/.test(x)) return ident(shiftParameter(gates[k]?.name as string));
    throw new SpikelabError(`the GPU backend got an unknown name "${x}" in a step program`);
  };
  const wgsl = (e: Expr) => exprToWgsl(e, name);
  const block = (b: typeof program.step, assign: readonly string[]) =>
    [
      ...b.lets.map((l) => `let l_${l.name}: f32 = ${wgsl(l.expr)};`),
      ...b.out.map((e, j) => `let o_${j}: f32 = ${wgsl(e)};`),
      ...assign.map((x, j) => `${x} = o_${j};`),
    ].join("\n");
  const stateVars = ["V", ...gateNames.map((x) => `x_${x}`)];
  // one step of the method, from the state (V, gates) at t_k, with each current at its time in the step
  const step = [
    ...program.currents.map((c) => {
      const [on, off] = WINDOW_OF[c.at];
      return `let c_${c.name}: f32 = select(0.0, ${ident("amplitude")}, k >= ${ident(on)} && k < ${ident(off)});`;
    }),
    block(program.step, stateVars),
  ].join("\n");
  const init = block(program.init, stateVars);
  const { vAbsBelow, gateAbove, gateBelow } = program.bounds;
  const gateBad = gateNames.map((x) => ` || !(x_${x} > ${wgslFloat(gateAbove)} && x_${x} < ${wgslFloat(gateBelow)})`).join("");
  const code = `// spikelab: ${model.name}, ${method}, f32 — generated from the declarative model (src/gpu/wgsl.ts)
struct Ctl { n: u32, k0: u32, k1: u32, stride: u32 }
@group(0) @binding(0) var<uniform> ctl: Ctl;
@group(0) @binding(1) var<storage, read> consts: array<f32>;
@group(0) @binding(2) var<storage, read> cols: array<f32>;
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<u32>;

const NO_STEP: u32 = 0xffffffffu;

// (e^x − 1)/x, finite at 0: a Taylor polynomial where e^x − 1 would cancel in f32 (|x| < ${EXPREL_SERIES_BELOW},
// truncation < 1e-9 relative), the quotient elsewhere. The exprel guard of expLinear rates, and φ₁ of the exponential methods.
fn exprel(x: f32) -> f32 {
  if (abs(x) < ${EXPREL_SERIES_BELOW}) {
    return ${horner(EXPREL_SERIES, "x")};
  }
  return (exp(x) - 1.0) / x;
}
// the expression language's functions where WGSL's builtin is missing or differs from JavaScript's
fn expm1_g(x: f32) -> f32 { return x * exprel(x); }
fn tanh_g(x: f32) -> f32 { return tanh(clamp(x, -15.0, 15.0)); } // tanh(±15) is ±1 in f32; no exp overflow
fn ipow2(x: f32) -> f32 { return x * x; }
fn ipow3(x: f32) -> f32 { return x * x * x; }
fn ipow4(x: f32) -> f32 { return x * x * (x * x); }
// x ** y as JavaScript: a negative base with a whole exponent keeps its sign; otherwise NaN (WGSL's pow is undefined for x < 0)
fn pow_g(x: f32, y: f32) -> f32 {
  if (x > 0.0) { return pow(x, y); }
  if (y == 0.0) { return 1.0; }
  if (x == 0.0) { return select(1.0 / x, 0.0, y > 0.0); } // 0 or +inf (x is 0 here)
  if (round(y) != y) { return sqrt(x); } // NaN (x < 0 here)
  let m = pow(-x, y);
  return select(m, -m, abs(y % 2.0) == 1.0);
}

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i: u32 = gid.x + gid.y * ctl.stride;
  if (i >= ctl.n) { return; }
${paramLets}
  let dt: f32 = p_dt;
  let threshold: f32 = p_threshold;
  var V: f32;
${gateNames.map((x) => `  var x_${x}: f32;`).join("\n")}
  var count: u32;
  var inWindow: u32;
  var latency: f32;
  var diverged: u32;
  if (ctl.k0 == 0u) {
    {
${indent(init, "      ")}
    }
    count = 0u;
    inWindow = 0u;
    latency = 0.0;
    diverged = NO_STEP;
  } else {
    V = state[i];
${gateNames.map((x, g) => `    x_${x} = state[${g + 1}u * ctl.n + i];`).join("\n")}
    count = stats[i];
    inWindow = stats[ctl.n + i];
    latency = bitcast<f32>(stats[2u * ctl.n + i]);
    diverged = stats[3u * ctl.n + i];
  }
  if (diverged == NO_STEP) {
    for (var k: u32 = ctl.k0; k < ctl.k1; k = k + 1u) {
      let vPrev: f32 = V;
${indent(step, "      ")}
      if (!(abs(V) < ${wgslFloat(vAbsBelow)})${gateBad}) {
        diverged = k + 1u;
        break;
      }
      if (vPrev < threshold && V >= threshold) {
        count = count + 1u;
        // crossing at step position k + f, f in (0, 1]; the window is compared as (step, fraction)
        var ks: u32 = k;
        var f: f32 = (threshold - vPrev) / (V - vPrev);
        if (f >= 1.0) { ks = k + 1u; f = 0.0; }
        let afterStart = ks > ${ident("winStartStep")} || (ks == ${ident("winStartStep")} && f >= ${ident("winStartFrac")});
        let beforeStop = ks < ${ident("winStopStep")} || (ks == ${ident("winStopStep")} && f < ${ident("winStopFrac")});
        if (afterStart && beforeStop) {
          if (inWindow == 0u) {
            latency = (f32(ks - ${ident("winStartStep")}) + (f - ${ident("winStartFrac")})) * dt;
          }
          inWindow = inWindow + 1u;
        }
      }
    }
  }
  state[i] = V;
${gateNames.map((x, g) => `  state[${g + 1}u * ctl.n + i] = x_${x};`).join("\n")}
  stats[i] = count;
  stats[ctl.n + i] = inWindow;
  stats[2u * ctl.n + i] = bitcast<u32>(latency);
  stats[3u * ctl.n + i] = diverged;
}
`;
  if (G + 1 !== stateNames.length) throw new Error("unreachable");
  return {
    code,
    consts,
    columns,
    stateNames,
    statNames: ["spike_count", "window_count", "latency_bits", "diverged_step"],
    workgroupSize,
  };
}
