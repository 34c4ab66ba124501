import { SpikelabError } from "../errors.js";
import { modelParameters } from "../models/parameters.js";
import type { RateLaw } from "../models/rates.js";
import type { GateDefinition, NeuronModel } from "../models/types.js";

/**
 * WGSL generated from the declarative model: one compute invocation per neuron, the time loop
 * inside the kernel, f32. The model (channels, gates with powers, rate laws) is the source of
 * truth; this file only translates it, mirroring the CPU's arithmetic (src/system/membrane.ts,
 * src/integrators/euler.ts, expEuler.ts) operation by operation, so that the only difference
 * between the two paths is f32 rounding.
 *
 * Extension points: `rateToWgsl` (one `case` per rate form) and `gateKinetics` (one `case` per
 * gate kind). A form or kind they do not know is a one-line error, never a silent wrong kernel.
 */

/** The fixed-step methods the GPU backend runs. */
export const GPU_METHODS = ["euler", "exp-euler"] as const;
export type GpuMethod = (typeof GPU_METHODS)[number];

/** A number as a WGSL float literal (abstract float, rounded once to f32 where it is used). */
export function wgslFloat(x: number): string {
  if (!Number.isFinite(x)) throw new SpikelabError(`cannot write ${x} as a WGSL literal (only finite numbers)`);
  const s = Number.isInteger(x) && Math.abs(x) < 1e15 ? x.toFixed(1) : String(x);
  return x < 0 ? `(${s})` : s;
}

/**
 * A rate law as a WGSL expression of the f32 voltage `v` (an identifier or parenthesised
 * expression). `expLinear` goes through the guarded `exprel` of the kernel's prelude, finite at its
 * singular voltage, as on the CPU.
 */
export function rateToWgsl(law: RateLaw, v: string): string {
  const form = (law as { form: string }).form;
  switch (form) {
    case "exp": {
      const { rate, midpoint_mV: mid, scale_mV: scale } = law as Extract<RateLaw, { form: "exp" }>;
      return `${wgslFloat(rate)} * exp((${v} - ${wgslFloat(mid)}) / ${wgslFloat(scale)})`;
    }
    case "sigmoid": {
      const { rate, midpoint_mV: mid, scale_mV: scale } = law as Extract<RateLaw, { form: "sigmoid" }>;
      return `${wgslFloat(rate)} / (1.0 + exp(-(${v} - ${wgslFloat(mid)}) / ${wgslFloat(scale)}))`;
    }
    case "expLinear": {
      const { rate, midpoint_mV: mid, scale_mV: scale } = law as Extract<RateLaw, { form: "expLinear" }>;
      return `${wgslFloat(rate)} / exprel(-(${v} - ${wgslFloat(mid)}) / ${wgslFloat(scale)})`;
    }
    // case "expr": compile the parsed, singularity-guarded AST to a WGSL expression here.
    default:
      throw new SpikelabError(
        `the GPU backend cannot compile rate form "${form}" to WGSL yet (it handles exp, sigmoid, expLinear); use --backend cpu`,
      );
  }
}

/**
 * The kinetics of one gate as WGSL: statements that define `a_<x>` (α, 1/ms) and `s_<x>` (α + β,
 * 1/ms) at voltage `v`, temperature factor `phi` applied. Every integrator is written in terms of
 * these two, so a new gate kind only has to say what α and α + β are (an x∞/τ gate: α = x∞/τ,
 * α + β = 1/τ) — or, for an instantaneous gate, be handled as a non-state variable.
 */
export function gateKinetics(gate: GateDefinition, v: string, phi: string | undefined): string {
  const g = gate as unknown as Record<string, unknown>;
  const unsupported = ["instantaneous", "temperature", "rate_factor", "inf", "tau"].filter((k) => g[k] !== undefined && g[k] !== false);
  if (unsupported.length || !("alpha" in g && "beta" in g)) {
    throw new SpikelabError(
      `the GPU backend cannot compile gate "${gate.name}" to WGSL yet (it handles α/β gates without ${unsupported.join(", ") || "other fields"}); use --backend cpu`,
    );
  }
  const kind = "rates" as string;
  switch (kind) {
    case "rates": {
      const { alpha, beta } = g as unknown as { alpha: RateLaw; beta: RateLaw };
      const f = phi ? ` * ${phi}` : "";
      const x = gate.name;
      return [
        `let a_${x}: f32 = (${rateToWgsl(alpha, v)})${f};`,
        `let b_${x}: f32 = (${rateToWgsl(beta, v)})${f};`,
        `let s_${x}: f32 = a_${x} + b_${x};`,
      ].join("\n");
    }
    // case "infTau": a = inf/tau, s = 1/tau;  case "instantaneous": x = inf, no state.
    default:
      throw new SpikelabError(`the GPU backend cannot compile gate kind "${kind}" to WGSL yet; use --backend cpu`);
  }
}

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

/** x^p exactly as the CPU writes it (src/system/membrane.ts `power`). */
function powerToWgsl(x: string, p: number): string {
  if (p === 1) return x;
  if (p === 2) return `(${x} * ${x})`;
  if (p === 3) return `(${x} * ${x} * ${x})`;
  if (p === 4) return `(${x} * ${x} * (${x} * ${x}))`;
  if (Number.isInteger(p) && p > 0) return `pow(${x}, ${wgslFloat(p)})`; // x ≥ 0 for a gate
  throw new SpikelabError(`the GPU backend handles whole positive gate powers; got ${p}`);
}

/** Names of every scalar a kernel reads per neuron (model parameters, then the stimulus and its windows). */
export function kernelInputs(model: NeuronModel): string[] {
  return [...modelParameters(model).map((p) => p.name), ...STIMULUS_INPUTS];
}

/**
 * The stimulus and spike-window inputs, computed on the CPU in f64: the stimulus is on at step k
 * iff kOn ≤ k < kOff (so that [start, stop) sampled at t_k = k·dt agrees exactly with the CPU);
 * a crossing at step position k + f (f ∈ (0, 1]) is in the rate window iff
 * winStartStep + winStartFrac ≤ k + f < winStopStep + winStopFrac.
 */
export const STIMULUS_INPUTS = ["amplitude", "kOn", "kOff", "winStartStep", "winStartFrac", "winStopStep", "winStopFrac"] as const;
/** Inputs stored as u32 bit patterns in the f32 buffers. */
export const INTEGER_INPUTS: ReadonlySet<string> = new Set(["kOn", "kOff", "winStartStep", "winStopStep"]);
/** Run-wide constants that are never per-neuron. */
export const RUN_CONSTANTS = ["dt", "threshold"] as const;

export interface KernelOptions {
  readonly model: NeuronModel;
  readonly method: GpuMethod;
  /** Inputs (of `kernelInputs`) read per neuron from the column buffer; the rest are run-wide. */
  readonly perNeuron: ReadonlySet<string>;
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

/** The divergence bounds of the CPU (src/simulate.ts checkState). */
const PHYSICAL_V = 1000;
const GATE_SLACK = 0.5;

/** Generates the WGSL kernel and its buffer layout for a model, method and set of per-neuron inputs. */
export function generateKernel({ model, method, perNeuron, workgroupSize = 64 }: KernelOptions): KernelLayout {
  if (!(GPU_METHODS as readonly string[]).includes(method)) {
    throw new SpikelabError(`the GPU backend runs methods ${GPU_METHODS.join(", ")}; got "${method}"`);
  }
  if (typeof (model as { v0_mV: unknown }).v0_mV !== "number") {
    throw new SpikelabError(`the GPU backend needs a numeric v0_mV in model "${model.name}"; use --backend cpu`);
  }
  const inputs = kernelInputs(model);
  for (const name of perNeuron) {
    if (!inputs.includes(name)) throw new SpikelabError(`unknown per-neuron GPU input "${name}"; expected one of ${inputs.join(", ")}`);
  }
  const columns = inputs.filter((n) => perNeuron.has(n));
  const consts = [...RUN_CONSTANTS, ...inputs.filter((n) => !perNeuron.has(n))];
  const gates = model.channels.flatMap((c) => c.gates);
  const gateNames = gates.map((g) => g.name);
  const stateNames = ["V", ...gateNames];
  for (const x of gateNames) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(x))
      throw new SpikelabError(`the GPU backend needs gate names that are plain identifiers; got "${x}"`);
  }
  const G = gates.length;

  const read = (name: string): string => {
    const c = columns.indexOf(name);
    const raw = c >= 0 ? `cols[${c}u * ctl.n + i]` : `consts[${consts.indexOf(name)}]`;
    return INTEGER_INPUTS.has(name) ? `bitcast<u32>(${raw})` : raw;
  };
  const ident = (name: string) => `p_${name}`;
  const params = modelParameters(model).map((p) => p.name);
  const paramLets = [...params, ...STIMULUS_INPUTS, ...RUN_CONSTANTS]
    .map((name) => `  let ${ident(name)}${INTEGER_INPUTS.has(name) ? ": u32" : ": f32"} = ${read(name)};`)
    .join("\n");
  const phi = model.temperature
    ? `  let phi: f32 = pow(${wgslFloat(model.temperature.q10)}, (${ident("celsius")} - ${wgslFloat(model.temperature.reference_celsius)}) / 10.0);`
    : "";
  const phiName = model.temperature ? "phi" : undefined;
  const indent = (s: string, by = "    ") =>
    s
      .split("\n")
      .map((l) => by + l)
      .join("\n");
  const kinetics = (v: string) => gates.map((g) => gateKinetics(g, v, phiName)).join("\n");
  const open = (c: (typeof model.channels)[number]) =>
    c.gates.length ? c.gates.map((g) => powerToWgsl(`x_${g.name}`, g.power)).join(" * ") : "1.0";

  // one step of the method, from the state (V, gates) at t_k with injected current `I`
  let step: string;
  if (method === "euler") {
    const currents = model.channels
      .map((c) => `dv = dv - ${ident(`g${c.name}`)} * (${open(c)}) * (V - ${ident(`E${c.name}`)});`)
      .join("\n");
    step = [
      kinetics("V"),
      "var dv: f32 = I;",
      currents,
      `dv = dv / ${ident("Cm")};`,
      // the lab's form, as on the CPU: dx/dt = −(1/τ)(x − x∞), τ = 1/(α+β), x∞ = α/(α+β)
      ...gateNames.map((x) => `let d_${x}: f32 = -(1.0 / (1.0 / s_${x})) * (x_${x} - a_${x} / s_${x});`),
      "V = V + dt * dv;",
      ...gateNames.map((x) => `x_${x} = x_${x} + dt * d_${x};`),
    ].join("\n");
  } else {
    const sums = model.channels
      .map((c) => {
        const g = `gc_${c.name}`;
        return [
          `let ${g}: f32 = ${ident(`g${c.name}`)} * (${open(c)});`,
          `gTotal = gTotal + ${g};`,
          `gE = gE + ${g} * ${ident(`E${c.name}`)};`,
        ].join("\n");
      })
      .join("\n");
    step = [
      kinetics("V"),
      "var gTotal: f32 = 0.0;",
      "var gE: f32 = 0.0;",
      sums,
      `let bV: f32 = gTotal / ${ident("Cm")};`,
      `let fV: f32 = (gE + I) / ${ident("Cm")} - bV * V;`,
      "V = V + dt * fV * phi1(-bV * dt);",
      ...gateNames.map((x) => `x_${x} = x_${x} + dt * (a_${x} - s_${x} * x_${x}) * phi1(-s_${x} * dt);`),
    ].join("\n");
  }

  const gateBad = gateNames.map((x) => ` || !(x_${x} > ${wgslFloat(-GATE_SLACK)} && x_${x} < ${wgslFloat(1 + GATE_SLACK)})`).join("");
  const code = `// spikelab: ${model.name}, ${method}, f32 — generated from the declarative model (src/gpu/wgsl.ts)
struct Ctl { n: u32, k0: u32, k1: u32, stride: u32 }
@group(0) @binding(0) var<uniform> ctl: Ctl;
@group(0) @binding(1) var<storage, read> consts: array<f32>;
@group(0) @binding(2) var<storage, read> cols: array<f32>;
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<u32>;

const NO_STEP: u32 = 0xffffffffu;

// (e^x − 1)/x, finite at 0: a Taylor polynomial where e^x − 1 would cancel in f32 (|x| < ${EXPREL_SERIES_BELOW},
// truncation < 1e-9 relative), the quotient elsewhere. The exprel guard of expLinear rates, and φ₁ of exp-euler.
fn exprel(x: f32) -> f32 {
  if (abs(x) < ${EXPREL_SERIES_BELOW}) {
    return ${horner(EXPREL_SERIES, "x")};
  }
  return (exp(x) - 1.0) / x;
}
fn phi1(x: f32) -> f32 { return exprel(x); }

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i: u32 = gid.x + gid.y * ctl.stride;
  if (i >= ctl.n) { return; }
${paramLets}
  let dt: f32 = p_dt;
  let threshold: f32 = p_threshold;
${phi}
  var V: f32;
${gateNames.map((x) => `  var x_${x}: f32;`).join("\n")}
  var count: u32;
  var inWindow: u32;
  var latency: f32;
  var diverged: u32;
  if (ctl.k0 == 0u) {
    V = ${ident("V0")};
${indent(kinetics("V"))}
${gateNames.map((x) => `    x_${x} = a_${x} / (a_${x} + b_${x});`).join("\n")}
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
      let I: f32 = select(0.0, ${ident("amplitude")}, k >= ${ident("kOn")} && k < ${ident("kOff")});
      let vPrev: f32 = V;
${indent(step, "      ")}
      if (!(abs(V) < ${wgslFloat(PHYSICAL_V)})${gateBad}) {
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
