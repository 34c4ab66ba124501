import { invalid } from "../errors.js";
import { channelVariables, compileModel, MAX_SHIFT_MV, restingPotential, shiftParameter } from "./compile.js";
import { initialReversals } from "./ions.js";
import type { ChannelDefinition, NeuronModel, ParameterInfo } from "./types.js";

/** The parameter that scales a channel's current: `g<name>` (mS/cm²), or `P<name>` (cm/s) for a GHK channel. */
export const scaleParameter = (c: ChannelDefinition): string => `${c.ghk ? "P" : "g"}${c.name}`;

/** A channel's own scale: gMax_mS_per_cm2, or a GHK channel's permeability (cm/s). */
export const channelScale = (c: ChannelDefinition): number => c.ghk?.permeability_cm_per_s ?? (c.gMax_mS_per_cm2 as number);

/** The default temperature (°C) of a temperature-dependent model. */
export const defaultCelsius = (model: NeuronModel): number =>
  model.celsius ??
  model.temperature?.reference_celsius ??
  model.channels.flatMap((c) => c.gates).find((g) => g.temperature)?.temperature?.reference_celsius ??
  6.3;

/** V0 (mV) at the model's own parameters: v0_mV, or the resting potential when it is "rest". */
export function defaultV0(model: NeuronModel): number {
  if (model.v0_mV !== "rest") return model.v0_mV;
  const compiled = compileModel(model);
  return restingPotential(compiled, model.channels.map(channelScale), initialReversals(model, compiled.ions, defaultCelsius(model)));
}

/**
 * The parameters of a model that a run may override (per run, or per neuron in a batch):
 * `Cm`, `V0`, `celsius` (when the model has a temperature dependence), for each
 * channel `g<name>` and `E<name>`, for each gate `vShift_<gate>` (mV: its rates at V − shift),
 * and the model's named constants (one value for all neurons).
 */
export function modelParameters(model: NeuronModel): ParameterInfo[] {
  const compiled = compileModel(model);
  const list: ParameterInfo[] = [
    { name: "Cm", value: model.cm_uF_per_cm2, unit: "uF/cm2", min: 1e-6, max: 1e3, description: "membrane capacitance" },
    {
      name: "V0",
      value: defaultV0(model),
      unit: "mV",
      min: -200,
      max: 200,
      description:
        model.v0_mV === "rest"
          ? "initial membrane potential (default: the resting potential; gates at steady state there)"
          : "initial membrane potential (gates at steady state there)",
    },
  ];
  if (compiled.temperatureDependent) {
    const t = model.temperature;
    list.push({
      name: "celsius",
      value: defaultCelsius(model),
      unit: "degC",
      min: -40,
      max: 60,
      description: t
        ? `temperature; rates scale by ${t.q10}^((celsius - ${t.reference_celsius})/10)`
        : "temperature; rates scale by each gate's q10",
    });
  }
  for (const c of model.channels) {
    if (c.ghk) {
      list.push({
        name: scaleParameter(c),
        value: c.ghk.permeability_cm_per_s,
        unit: "cm/s",
        min: 0,
        max: 1,
        description: `${c.name} permeability (GHK current)`,
      });
      continue;
    }
    list.push({
      name: `g${c.name}`,
      value: c.gMax_mS_per_cm2 as number,
      unit: "mS/cm2",
      min: 0,
      max: 1e5,
      description: `maximal ${c.name} conductance`,
    });
    // a Nernst potential follows from the concentrations and celsius: no parameter of its own
    if (c.eRev_mV !== "nernst") {
      list.push({
        name: `E${c.name}`,
        value: c.eRev_mV as number,
        unit: "mV",
        min: -300,
        max: 300,
        description: `${c.name} reversal potential`,
      });
    }
  }
  for (const c of model.channels) {
    for (const g of channelVariables(c.gates)) {
      list.push({
        name: shiftParameter(g.name),
        value: g.vShift_mV ?? 0,
        unit: "mV",
        min: -MAX_SHIFT_MV,
        max: MAX_SHIFT_MV,
        description: `shift of ${c.name} gate ${g.name}'s voltage dependence (its rates at V - shift)`,
      });
    }
  }
  for (const [name, value] of Object.entries(model.constants ?? {})) {
    list.push({
      name,
      value,
      unit: "as in the model",
      min: -1e9,
      max: 1e9,
      description: `model constant ${name} (one value for all neurons)`,
    });
  }
  return list;
}

/** A parameter value for every neuron of a batch: one number for all, or one per neuron. */
export type ParameterValues = Readonly<Record<string, number | ArrayLike<number>>>;

/** Per-neuron values of every model parameter, after overrides, as Float64Arrays of length n. */
export function resolveParameters(model: NeuronModel, overrides: ParameterValues, n: number): Map<string, Float64Array> {
  const info = modelParameters(model);
  const known = new Map(info.map((p) => [p.name, p]));
  for (const name of Object.keys(overrides)) {
    if (!known.has(name)) {
      throw invalid(`parameter name for model "${model.name}"`, name, `one of ${[...known.keys()].join(", ")}`);
    }
  }
  const out = new Map<string, Float64Array>();
  for (const p of info) {
    const given = overrides[p.name];
    const values = new Float64Array(n);
    if (given === undefined) values.fill(p.value);
    else if (typeof given === "number") values.fill(given);
    else {
      if (given.length !== n) throw invalid(`parameter ${p.name} (one value per neuron)`, `${given.length} values`, `${n} values`);
      for (let i = 0; i < n; i++) values[i] = given[i] as number;
    }
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (!(Number.isFinite(v) && v >= p.min && v <= p.max)) {
        throw invalid(`parameter ${p.name} (${p.unit})`, v, `a finite number in [${p.min}, ${p.max}]`);
      }
    }
    out.set(p.name, values);
  }
  return out;
}
