import { invalid } from "../errors.js";
import { type ModelRef, resolveModel } from "../models/index.js";
import type { ParameterValues } from "../models/parameters.js";
import { noStimulus } from "../stimulus/step.js";
import { membraneSystem } from "../system/membrane.js";
import type { Ms, MV } from "../units.js";

/** A voltage-clamp protocol: hold, step to each test potential, return to the holding potential. */
export interface VoltageClampOptions {
  readonly model?: ModelRef;
  /** Parameter overrides (gNa, gK, celsius, …), e.g. gNa 0 for TTX, gK 0 for TEA. */
  readonly parameters?: ParameterValues;
  /** Holding potential (mV); the gates start at their steady state there. Default −70 mV. */
  readonly holding_mV?: MV;
  /** Test potentials (mV), one trace each. Default −80 … +60 mV in 10 mV steps. */
  readonly steps_mV?: readonly MV[];
  /** Time at the holding potential before the step (ms). Default 2. */
  readonly before_ms?: Ms;
  /** Step duration (ms). Default 20. */
  readonly step_ms?: Ms;
  /** Time at the holding potential after the step (ms). Default 5. */
  readonly after_ms?: Ms;
  /** Sample step (ms); the gates are advanced exactly over each one. Default 0.01. */
  readonly dt_ms?: Ms;
}

/** A family of clamp traces and the I–V curves measured from it. All currents µA/cm², outward positive. */
export interface VoltageClampResult {
  readonly model: string;
  readonly holding_mV: MV;
  readonly steps_mV: readonly MV[];
  /** [start, stop) of the test step (ms). */
  readonly step_window_ms: readonly [Ms, Ms];
  readonly t_ms: Float64Array;
  /** Channel names in order (e.g. Na, K, L): the ionic currents the clamp current separates into. */
  readonly channels: readonly string[];
  /** currents_uA_per_cm2[channel][step] is that channel's current over time at that test potential. */
  readonly currents_uA_per_cm2: Readonly<Record<string, readonly Float64Array[]>>;
  /** The clamp current (the sum of the ionic currents; the ideal clamp's capacitive spikes are left out), per step. */
  readonly clamp_uA_per_cm2: readonly Float64Array[];
  /** Per channel, per step: the current of largest magnitude during the step (the peak, e.g. of I_Na). */
  readonly peak_uA_per_cm2: Readonly<Record<string, readonly number[]>>;
  /** Per channel, per step: the current at the end of the step (the steady state, e.g. of I_K). */
  readonly steady_uA_per_cm2: Readonly<Record<string, readonly number[]>>;
}

const defaultSteps = (): MV[] => Array.from({ length: 15 }, (_, k) => -80 + 10 * k);

/**
 * Voltage clamp, the experiment of Hodgkin and Huxley: the membrane potential is held at `holding_mV`, stepped
 * to each test potential and back, and the clamp current is separated into the model's ionic currents. With V
 * fixed over each sample step, every gate obeys dx/dt = α(V)(1 − x) − β(V)x with constant α, β (the model's own,
 * temperature factor applied), which is solved exactly: x ← x∞ + (x − x∞)·e^(−(α+β)·dt). All test potentials run
 * as one batch of neurons. Works for every model (its gates and channels as data).
 */
export function voltageClamp(o: VoltageClampOptions = {}): VoltageClampResult {
  const model = resolveModel(o.model ?? "lab");
  const holding = o.holding_mV ?? -70;
  const steps = [...(o.steps_mV ?? defaultSteps())];
  const dt = o.dt_ms ?? 0.01;
  const before = o.before_ms ?? 2;
  const stepMs = o.step_ms ?? 20;
  const after = o.after_ms ?? 5;
  if (!Number.isFinite(holding) || holding < -200 || holding > 200) throw invalid("holding_mV", holding, "a potential in [-200, 200] mV");
  if (steps.length === 0 || steps.length > 1000) throw invalid("steps_mV", steps.length, "1 to 1000 test potentials");
  for (const v of steps)
    if (!Number.isFinite(v) || v < -200 || v > 200) throw invalid("steps_mV (each)", v, "a potential in [-200, 200] mV");
  if (!(dt > 0 && dt <= 1)) throw invalid("dt_ms", dt, "a number of ms in (0, 1]");
  for (const [name, v] of [
    ["before_ms", before],
    ["step_ms", stepMs],
    ["after_ms", after],
  ] as const)
    if (!(Number.isFinite(v) && v >= 0 && v <= 10_000)) throw invalid(name, v, "a number of ms in [0, 10000]");
  if (!(stepMs > 0)) throw invalid("step_ms", stepMs, "a positive number of ms");
  const k1 = Math.round(before / dt);
  const k2 = k1 + Math.max(1, Math.round(stepMs / dt));
  const kEnd = k2 + Math.round(after / dt);
  if ((kEnd + 1) * steps.length > 20_000_000)
    throw invalid(
      "the clamp protocol",
      `${kEnd + 1} samples × ${steps.length} steps`,
      "at most 20,000,000 samples in all (a larger dt_ms or fewer steps)",
    );

  const n = steps.length;
  const sys = membraneSystem({ model, n, stimulus: noStimulus, parameters: o.parameters ?? {} });
  const G = sys.gateCount;
  const C = sys.channelNames.length;
  const y = sys.initialState();
  const alpha = new Float64Array(G * n);
  const beta = new Float64Array(G * n);
  const out = new Float64Array(C * n);
  const setV = (k: number) => {
    for (let i = 0; i < n; i++) y[i] = k >= k1 && k < k2 ? (steps[i] as number) : holding;
  };
  // the gates at their steady state at the holding potential
  setV(0);
  sys.gateRates(y, alpha, beta);
  for (let j = 0; j < G * n; j++) {
    const a = alpha[j] as number;
    const b = beta[j] as number;
    y[n + j] = a / (a + b);
  }
  const t = new Float64Array(kEnd + 1);
  const currents = sys.channelNames.map(() => steps.map(() => new Float64Array(kEnd + 1)));
  for (let k = 0; k <= kEnd; k++) {
    t[k] = k * dt;
    setV(k);
    sys.channelCurrents(y, out);
    for (let c = 0; c < C; c++) for (let i = 0; i < n; i++) (currents[c]?.[i] as Float64Array)[k] = out[c * n + i] as number;
    if (k === kEnd) break;
    // V is constant over [t_k, t_k+1): advance every gate exactly
    sys.gateRates(y, alpha, beta);
    for (let j = 0; j < G * n; j++) {
      const a = alpha[j] as number;
      const b = beta[j] as number;
      const s = a + b;
      const inf = a / s;
      y[n + j] = inf + ((y[n + j] as number) - inf) * Math.exp(-s * dt);
    }
  }
  const clamp = steps.map((_, i) => {
    const sum = new Float64Array(kEnd + 1);
    for (const c of currents) {
      const ci = c[i] as Float64Array;
      for (let k = 0; k <= kEnd; k++) sum[k] = (sum[k] as number) + (ci[k] as number);
    }
    return sum;
  });
  const byChannel = <T>(f: (c: number) => T): Record<string, T> => Object.fromEntries(sys.channelNames.map((name, c) => [name, f(c)]));
  const peakOf = (x: Float64Array) => {
    let best = 0;
    for (let k = k1; k < k2; k++) if (Math.abs(x[k] as number) > Math.abs(best)) best = x[k] as number;
    return best;
  };
  return {
    model: model.name,
    holding_mV: holding,
    steps_mV: steps,
    step_window_ms: [k1 * dt, k2 * dt],
    t_ms: t,
    channels: [...sys.channelNames],
    currents_uA_per_cm2: byChannel((c) => currents[c] as Float64Array[]),
    clamp_uA_per_cm2: clamp,
    peak_uA_per_cm2: byChannel((c) => (currents[c] as Float64Array[]).map(peakOf)),
    steady_uA_per_cm2: byChannel((c) => (currents[c] as Float64Array[]).map((x) => x[k2 - 1] as number)),
  };
}
