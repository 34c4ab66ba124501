import { stepProgram } from "../program/build.js";
import { blockSource } from "../program/js.js";
import { type FusedRun, type FusedSource, fusedRunners, sampleTime } from "../program/runners.js";
import type { StepProgram } from "../program/types.js";
import { fusedMultiplyAdd } from "./fma.js";
import { Unsupported, type WasmKernel, wasmKernel } from "./kernel.js";
import {
  advancePairs,
  BLOCK_STEPS,
  chunkBounds,
  type FlagBlock,
  type KernelLayout,
  kernelBytes,
  kernelView,
  pairHelpers,
  setPairState,
} from "./pairs.js";
import { storedKernel } from "./store.js";

/** Forward Euler over a whole run, spikes only, in one fused kernel (see FusedRun). */
export type FusedEuler = FusedRun;

interface Built {
  readonly module: WebAssembly.Module;
  readonly arrays: readonly string[];
}
/** Compiled kernels by model source: every batch of a sweep re-uses one (null: not compilable). */
const built = new Map<string, Built | null>();
/** The kernels this process generated (not those it found in a store), by key. */
const generated = new Map<string, WasmKernel>();

/** Every kernel generated in this process, by key: what scripts/kernels.mjs writes into the CLI's store. */
export const generatedKernels = (): ReadonlyMap<string, WasmKernel> => generated;

/** The methods with a fused WebAssembly runner (every step program's method). */
export const WASM_METHODS: readonly string[] = ["euler", "exp-euler", "backward-euler", "rk4"];

function moduleFor(
  program: StepProgram,
  phi: readonly boolean[],
  fast: boolean,
  outline: boolean,
  uniform: readonly string[],
): Built | undefined {
  const source = blockSource(
    program.step,
    program.state,
    program.params,
    program.currents.map((c) => c.name),
  );
  // fast math fuses its multiply–adds where this engine computes relaxed SIMD's fused (fma.ts)
  const fused = fast && fusedMultiplyAdd();
  const key = `${fast ? (fused ? "fast-fused" : "fast") : "exact"} ${outline ? "outlined" : "inline"} ${phi.map(Number).join("")} ${program.method} uniform:${uniform.join(",")}\n${source}`;
  let b = built.get(key);
  if (b === undefined) {
    try {
      let kernel = storedKernel(key);
      if (!kernel) {
        kernel = wasmKernel(program, fast, outline, uniform, fused);
        generated.set(key, kernel);
      }
      b = { module: new WebAssembly.Module(kernel.bytes), arrays: kernel.arrays };
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      b = null;
    }
    built.set(key, b);
  }
  return b ?? undefined;
}

/**
 * Below this many neuron-steps a run is short, and its exact kernel calls one exprel function
 * instead of inlining it at every use: the lab model's kernel is then 5.7 KB instead of 9.6 KB and
 * V8's optimizing compiler takes ≈ 9 ms instead of ≈ 25 ms, but each step is ≈ 3.5 % slower
 * (47.4 → 48.7 ns a neuron-step; lab, hh1952 and traub-miles alike; Node 20, this machine). The
 * break-even is ≈ 16 ms / 1.7 ns ≈ 9 M neuron-steps. The lab's f–I sweep (51 × 8000 = 408,000) is
 * short; a sweep's batch (2048 × 8000 by default) is long, and its kernel serves every batch.
 */
export const SHORT_RUN_NEURON_STEPS = 2 ** 23;

/** True where this JavaScript engine runs WebAssembly with 128-bit SIMD (and SPIKELAB_WASM is not 0). */
export const wasmSimdAvailable: boolean = (() => {
  try {
    if (typeof process !== "undefined" && process.env?.SPIKELAB_WASM === "0") return false;
    // a function returning v128.const 0
    const probe = Uint8Array.of(
      0,
      97,
      115,
      109,
      1,
      0,
      0,
      0,
      1,
      5,
      1,
      96,
      0,
      1,
      123,
      3,
      2,
      1,
      0,
      10,
      22,
      1,
      20,
      0,
      253,
      12,
      ...new Array(16).fill(0),
      11,
    );
    return typeof WebAssembly === "object" && WebAssembly.validate(probe);
  } catch {
    return false;
  }
})();

const runs = new WeakMap<FusedSource, Map<string, FusedRun | undefined>>();

/**
 * The WebAssembly SIMD runner of a method for a batch (one per batch, method and kernel form), or
 * undefined where it does not apply (no WebAssembly SIMD, a stimulus that is not gated, a method
 * without a step program, a model form the generator does not compile): the caller then steps in
 * JavaScript. `fastMath`: the fast-math kernel (within a few ulp per operation, not bit-identical;
 * see simdMath.ts and the program's fast gate derivative). `steps`: the run's length, when
 * known: a short run (SHORT_RUN_NEURON_STEPS) gets a kernel that compiles faster, the same numbers.
 */
export function fusedRunner(source: FusedSource, method: string, fastMath = false, steps = Number.POSITIVE_INFINITY): FusedRun | undefined {
  if (!WASM_METHODS.includes(method)) return undefined;
  const fast = fastMath;
  const short = !fast && source.inputs.n * steps < SHORT_RUN_NEURON_STEPS;
  let bySource = runs.get(source);
  if (!bySource) {
    bySource = new Map();
    runs.set(source, bySource);
  }
  const key = `${method} ${fast} ${short}`;
  if (!bySource.has(key)) bySource.set(key, wasmRun(source, method, fast, short));
  return bySource.get(key);
}
fusedRunners.current = fusedRunner;

function wasmRun({ compiled, inputs, stimulus }: FusedSource, method: string, fast: boolean, short: boolean): FusedRun | undefined {
  const gated = stimulus.gated;
  if (!wasmSimdAvailable || !gated) return undefined;
  const phi = inputs.phi.map((p) => p !== null);
  const program = stepProgram(compiled, method, { phi, fast, shift: inputs.shift.map((s) => s !== null) });
  const n = inputs.n;
  // every array of the kernel but the state, by name, and those with one value for every neuron
  const values = new Map<string, ArrayLike<number>>([["Cm", inputs.cm]]);
  for (const [c, g] of inputs.g.entries()) values.set(`g${c}`, g);
  for (const [c, e] of inputs.e.entries()) values.set(`e${c}`, e);
  for (const [k, p] of inputs.phi.entries()) if (p) values.set(`phi${k}`, p);
  for (const [j, sh] of inputs.shift.entries()) if (sh) values.set(`sh${j}`, sh);
  values.set("amp", gated.amplitude.length === n ? gated.amplitude : new Float64Array(n));
  const uniform = [...program.params, "amp"].filter((name) => {
    const v = values.get(name);
    if (!v) return false;
    for (let i = 1; i < n; i++) if (!Object.is(v[i], v[0])) return false;
    return true;
  });
  const kernel = moduleFor(program, phi, fast, short, uniform);
  if (!kernel) return undefined;
  const { module, arrays } = kernel;
  const pairs = Math.ceil(n / 2);
  const stride = pairs * 16;
  const onBase = arrays.length * stride;
  const currents = program.currents;
  const recBase = onBase + currents.length * BLOCK_STEPS;
  const vars = arrays.filter((a) => /^y\d+$/.test(a)).length;
  const layout: KernelLayout = { n, stride, onBase, recBase, currents: currents.length, vars };
  const view = kernelView(module, layout, kernelBytes(recBase, pairs));
  const { f64 } = view;
  /** Where array `name` starts in f64 (one per neuron, padded to whole pairs). */
  const origin = (name: string) => (arrays.indexOf(name) * stride) / 8;
  const put = (name: string, values: ArrayLike<number>, from = 0) => {
    const at = origin(name);
    for (let i = 0; i < n; i++) f64[at + i] = values[from + i] as number;
    f64.fill(f64[at + n - 1] as number, at + n, at + 2 * pairs); // a padding lane copies the last neuron
  };
  for (const [name, v] of values) if (arrays.includes(name)) put(name, v);
  /** Whether current j is on at step k (sampled where the JavaScript stepper samples it). */
  const isOn = (j: number, k: number, dt: number) => gated.on(sampleTime((currents[j] as (typeof currents)[number]).at, k * dt, dt));
  /** The current flags of a block of steps, as the kernel reads them. */
  const flags =
    (dt: number): FlagBlock =>
    (on, k0, k1) => {
      for (let j = 0; j < currents.length; j++) for (let k = k0; k < k1; k++) on[j * BLOCK_STEPS + k - k0] = isOn(j, k, dt) ? 1 : 0;
    };
  /** The current flags of steps [from, to), current by current (for helper threads). */
  const onTable = (from: number, to: number, dt: number) => {
    const table = new Uint8Array(currents.length * (to - from));
    for (let j = 0; j < currents.length; j++) for (let k = from; k < to; k++) table[j * (to - from) + k - from] = isOn(j, k, dt) ? 1 : 0;
    return table;
  };

  /**
   * Advances every pair through steps [from, to), passing spikes on in the step-by-step loop's order;
   * on helper threads as well as this one where pairHelpers are set and the work is large enough.
   */
  const advance = (from: number, to: number, dt: number, threshold: number, onSpike: (i: number, t: number) => void) => {
    const helpers = pairHelpers.current;
    if (!helpers || helpers.helpers < 1 || pairs < 2 || 2 * pairs * (to - from) < helpers.minNeuronSteps) {
      return advancePairs(view, from, to, 0, pairs, dt, threshold, flags(dt), onSpike);
    }
    const table = onTable(from, to, dt);
    const bounds = chunkBounds(pairs, helpers.helpers + 1);
    const memory = new Uint8Array(f64.buffer, 0, recBase).slice();
    const results = helpers.share({ module, layout, memory, onTable: table, from, to, dt, threshold, bounds }, view);
    if (results.length !== bounds.length - 1 || results.some((r) => !r.ok)) return false;
    for (const r of results) setPairState(view, bounds[r.chunk] as number, bounds[r.chunk + 1] as number, r.state);
    // every chunk's spikes are in (step, neuron) order, and so is their merge
    const all = results.flatMap((r) => Array.from(r.k, (k, i) => ({ k, neuron: r.neuron[i] as number, t: r.t[i] as number })));
    all.sort((a, b) => a.k - b.k || a.neuron - b.neuron);
    for (const s of all) onSpike(s.neuron, s.t);
    return true;
  };

  /** True when every neuron has the same state and parameters as neuron 0, bit for bit (the amplitude aside). */
  const sameState = () =>
    arrays.every((name) => {
      if (name === "amp") return true;
      const at = origin(name);
      const first = f64[at] as number;
      for (let i = 1; i < n; i++) if (!Object.is(f64[at + i], first)) return false;
      return true;
    });

  let shared = 0;
  return {
    get sharedSteps() {
      return shared;
    },
    run(y, steps, dt, threshold, onSpike) {
      for (let j = 0; j < vars; j++) put(`y${j}`, y, j * n);
      // Until the current first flows, neurons that differ only in its amplitude (an f–I curve's)
      // go through the same states, bit for bit: that quiet prefix runs once, on one pair, whose
      // spikes are every neuron's, and its end state is copied to all.
      let quiet = 0;
      const anyOn = (k: number) => currents.some((_, j) => isOn(j, k, dt));
      while (quiet < steps && !anyOn(quiet)) quiet++;
      let from = 0;
      shared = 0;
      if (quiet > 0 && pairs > 1 && sameState()) {
        const each = (i: number, t: number) => {
          if (i === 0) for (let j = 0; j < n; j++) onSpike(j, t);
        };
        if (!advancePairs(view, 0, quiet, 0, 1, dt, threshold, flags(dt), each)) return false;
        for (let j = 0; j < vars; j++) {
          const at = origin(`y${j}`);
          f64.fill(f64[at] as number, at + 1, at + 2 * pairs);
        }
        from = quiet;
        shared = quiet;
      }
      if (!advance(from, steps, dt, threshold, onSpike)) return false;
      for (let j = 0; j < vars; j++) {
        const at = origin(`y${j}`);
        for (let i = 0; i < n; i++) y[j * n + i] = f64[at + i] as number;
      }
      return true;
    },
  };
}
