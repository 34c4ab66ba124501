import { XMLParser } from "fast-xml-parser";
import { InvalidArgumentError } from "../errors.js";
import { checkModel, compileModel } from "./compile.js";
import type { RateLaw, StandardRateLaw } from "./rates.js";
import type { ChannelDefinition, GateDefinition, NeuronModel, TemperatureDependence } from "./types.js";

/**
 * NeuroML 2 import: ion channels written with the standard Hodgkin–Huxley components
 * (`HHExpRate`, `HHSigmoidRate`, `HHExpLinearRate` and their `…Variable` steady states,
 * `q10Settings` of type `q10ExpTemp` or `q10Fixed`) in gates `gateHHrates`, `gateHHtauInf`,
 * `gateHHratesInf`, `gateHHratesTau` and `gateHHInstantaneous`, and a single-compartment `<cell>`
 * whose `channelDensity` elements give each channel's conductance density and reversal potential.
 * Units are converted to spikelab's (mV, ms, 1/ms, mS/cm², µF/cm², °C).
 */

type Node = Record<string, unknown>;

/** Conversions to spikelab's units; a negative number −k means "divide by k" (3 S/m² → 3/10 = 0.3 exactly, not 3·0.1). */
const UNITS: Record<string, Record<string, number>> = {
  voltage: { mV: 1, V: 1000 },
  rate: { per_ms: 1, per_s: -1000 },
  time: { ms: 1, s: 1000 },
  conductanceDensity: { mS_per_cm2: 1, S_per_m2: -10, S_per_cm2: 1000, mS_per_m2: -1e4 },
  capacitance: { uF_per_cm2: 1, F_per_m2: 100 },
  temperature: { degC: 1 },
  none: { "": 1 },
};

/** A NeuroML quantity ("-40mV", "3.0 S_per_m2") in spikelab's unit for its dimension. */
function quantity(raw: unknown, dimension: keyof typeof UNITS, what: string): number {
  const text = String(raw ?? "");
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z_0-9]*)\s*$/.exec(text);
  if (m) {
    const value = Number(m[1]);
    const unit = m[2] as string;
    if (dimension === "temperature" && unit === "K") return value - 273.15;
    const factor = UNITS[dimension]?.[unit];
    if (factor !== undefined) return factor < 0 ? value / -factor : value * factor;
  }
  throw new InvalidArgumentError(
    `NeuroML ${what} must be a number with a unit of ${Object.keys(UNITS[dimension] ?? {}).join(" or ") || "none"}; got ${JSON.stringify(text)}`,
  );
}

const asArray = (x: unknown): Node[] => (x === undefined ? [] : Array.isArray(x) ? (x as Node[]) : [x as Node]);

const FORMS: Record<string, StandardRateLaw["form"]> = {
  HHExpRate: "exp",
  HHSigmoidRate: "sigmoid",
  HHExpLinearRate: "expLinear",
  HHExpVariable: "exp",
  HHSigmoidVariable: "sigmoid",
  HHExpLinearVariable: "expLinear",
};

/** A rate (per_ms), time course (ms) or steady state (dimensionless) in one of the standard forms. */
function law(node: Node | undefined, kind: "rate" | "time" | "none", what: string): RateLaw {
  if (!node) throw new InvalidArgumentError(`NeuroML ${what} is missing`);
  const type = String(node.type ?? "");
  const form = FORMS[type];
  if (!form)
    throw new InvalidArgumentError(`NeuroML ${what} has type ${JSON.stringify(type)}; supported: ${Object.keys(FORMS).join(", ")}`);
  return {
    form,
    rate: node.rate === undefined && kind === "none" ? 1 : quantity(node.rate, kind, `${what} rate`),
    midpoint_mV: quantity(node.midpoint, "voltage", `${what} midpoint`),
    scale_mV: quantity(node.scale, "voltage", `${what} scale`),
  };
}

const GATE_TYPES = ["gateHHrates", "gateHHtauInf", "gateHHratesInf", "gateHHratesTau", "gateHHInstantaneous"];

function gate(node: Node, type: string, channel: string): GateDefinition {
  const id = String(node.id ?? "");
  const at = `ionChannel ${channel}, gate ${id}`;
  const power = quantity(node.instances ?? "1", "none", `${at} instances`);
  const extra: { temperature?: TemperatureDependence; rate_factor?: number } = {};
  const q10 = asArray(node.q10Settings)[0];
  if (q10) {
    if (q10.type === "q10ExpTemp") {
      extra.temperature = {
        q10: quantity(q10.q10Factor, "none", `${at} q10Factor`),
        reference_celsius: quantity(q10.experimentalTemp, "temperature", `${at} experimentalTemp`),
      };
    } else if (q10.type === "q10Fixed") extra.rate_factor = quantity(q10.fixedQ10, "none", `${at} fixedQ10`);
    else throw new InvalidArgumentError(`NeuroML ${at} q10Settings type ${JSON.stringify(q10.type)}: supported q10ExpTemp, q10Fixed`);
  }
  const child = (name: string) => asArray(node[name])[0];
  switch (type) {
    case "gateHHrates":
      return {
        name: id,
        power,
        alpha: law(child("forwardRate"), "rate", `${at} forwardRate`),
        beta: law(child("reverseRate"), "rate", `${at} reverseRate`),
        ...extra,
      };
    case "gateHHtauInf":
      return {
        name: id,
        power,
        inf: law(child("steadyState"), "none", `${at} steadyState`),
        tau: law(child("timeCourse"), "time", `${at} timeCourse`),
        ...extra,
      };
    case "gateHHInstantaneous":
      return { name: id, power, instantaneous: true, inf: law(child("steadyState"), "none", `${at} steadyState`) };
    default:
      throw new InvalidArgumentError(
        `NeuroML ${at}: gate type ${type} is not supported; supported: gateHHrates, gateHHtauInf, gateHHInstantaneous`,
      );
  }
}

export interface NeuroMLChannel {
  readonly id: string;
  /** The ion species (na, k, ca…) or undefined for a passive channel. */
  readonly species?: string;
  readonly gates: readonly GateDefinition[];
}

/** The deepest nesting of XML elements read (a NeuroML cell nests about 6 deep). */
export const MAX_XML_DEPTH = 32;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  maxNestedTags: MAX_XML_DEPTH,
});

/** A NeuroML document: its text, or its text with the name of its file (then errors name the file). */
export type NeuroMLDocument = string | { readonly name: string; readonly text: string };

const textOf = (d: NeuroMLDocument): string => (typeof d === "string" ? d : d.text);
/** How errors name a document: its file, else its place in the list. */
const labelOf = (d: NeuroMLDocument, i: number): string => (typeof d === "string" ? `document ${i + 1}` : `file ${d.name}`);

/** Parses NeuroML documents' root elements. */
const roots = (documents: readonly NeuroMLDocument[]): Node[] =>
  documents.map((d, i) => {
    let doc: Node;
    try {
      doc = parser.parse(textOf(d), true) as Node;
    } catch (e) {
      const message = (e as Error).message.split("\n")[0] ?? "";
      if (/nested tags/i.test(message)) {
        throw new InvalidArgumentError(
          `NeuroML ${labelOf(d, i)} nests elements deeper than ${MAX_XML_DEPTH} levels; at most ${MAX_XML_DEPTH} are allowed`,
        );
      }
      throw new InvalidArgumentError(`NeuroML ${labelOf(d, i)} is not well-formed XML: ${message}`);
    }
    if (!Object.hasOwn(doc, "neuroml")) throw new InvalidArgumentError(`NeuroML ${labelOf(d, i)} has no <neuroml> root element`);
    const root = doc.neuroml;
    return root !== null && typeof root === "object" ? (root as Node) : {};
  });

/** The ion channels (ionChannel, ionChannelHH, ionChannelPassive) of NeuroML documents. */
export function neuromlChannels(documents: readonly NeuroMLDocument[]): NeuroMLChannel[] {
  const out: NeuroMLChannel[] = [];
  for (const root of roots(documents)) {
    for (const tag of ["ionChannel", "ionChannelHH", "ionChannelPassive"]) {
      for (const c of asArray(root[tag])) {
        const id = String(c.id ?? "");
        const gates: GateDefinition[] = [];
        for (const t of GATE_TYPES) for (const g of asArray(c[t])) gates.push(gate(g, t, id));
        for (const g of asArray(c.gate)) gates.push(gate(g, String(g.type ?? "gateHHrates"), id));
        const species = c.species === undefined || c.species === "" ? undefined : String(c.species);
        out.push({ id, ...(species ? { species } : {}), gates });
      }
    }
  }
  return out;
}

/** The `href` attributes of `<include>` elements (files a document includes). */
export function neuromlIncludes(document: NeuroMLDocument): string[] {
  const [root] = roots([document]);
  return asArray((root as Node).include).map((i) => String(i.href ?? ""));
}

const channelName = (ion: string | undefined) =>
  ion === undefined || ion === "" || ion === "non_specific" ? "L" : ion.charAt(0).toUpperCase() + ion.slice(1);

/**
 * A single-compartment model from NeuroML documents (a cell and the channels it uses, possibly in
 * several documents). Channels are named after their ion (na → Na, k → K, non_specific → L) so
 * that parameters read gNa, EK, gL; gate names shared by two channels get the channel as suffix.
 */
export function neuromlToModel(documents: readonly NeuroMLDocument[], options: { name?: string; celsius?: number } = {}): NeuronModel {
  const rs = roots(documents);
  const channels = new Map(neuromlChannels(documents).map((c) => [c.id, c]));
  const cell = rs.flatMap((r) => asArray(r.cell))[0];
  if (!cell) throw new InvalidArgumentError("NeuroML documents have no <cell>: a model needs a cell with channelDensity elements");
  const membrane = (asArray(asArray(cell.biophysicalProperties)[0]?.membraneProperties)[0] ?? {}) as Node;
  const densities = asArray(membrane.channelDensity);
  if (densities.length === 0) throw new InvalidArgumentError(`NeuroML cell ${String(cell.id)} has no channelDensity`);
  const cm = asArray(membrane.specificCapacitance)[0];
  const v0 = asArray(membrane.initMembPotential)[0];
  const network = rs.flatMap((r) => asArray(r.network))[0];
  const celsius =
    options.celsius ??
    (network?.temperature !== undefined ? quantity(network.temperature, "temperature", "network temperature") : undefined);

  const used = new Set<string>();
  const gateCount = new Map<string, number>();
  const list = densities.map((d) => {
    const ref = String(d.ionChannel ?? "");
    const c = channels.get(ref);
    if (!c)
      throw new InvalidArgumentError(
        `NeuroML channelDensity ${String(d.id)} refers to ionChannel ${JSON.stringify(ref)}, which no document defines`,
      );
    let name = channelName(d.ion === undefined ? c.species : String(d.ion));
    if (used.has(name)) name = ref.replace(/[^A-Za-z0-9_]/g, "_");
    used.add(name);
    for (const g of c.gates) gateCount.set(g.name, (gateCount.get(g.name) ?? 0) + 1);
    return { d, c, name };
  });
  const out: ChannelDefinition[] = list.map(({ d, c, name }) => ({
    name,
    gMax_mS_per_cm2: quantity(d.condDensity, "conductanceDensity", `channelDensity ${String(d.id)} condDensity`),
    eRev_mV: quantity(d.erev, "voltage", `channelDensity ${String(d.id)} erev`),
    gates: c.gates.map((g) => ((gateCount.get(g.name) ?? 0) > 1 ? { ...g, name: `${g.name}_${name}` } : g)),
  }));
  const temperatureDependent = out.some((c) => c.gates.some((g) => g.temperature));
  const model: NeuronModel = {
    name: options.name ?? String(cell.id ?? "neuroml"),
    title: `NeuroML cell ${String(cell.id ?? "")}`,
    source: `Imported from NeuroML 2 (cell ${String(cell.id ?? "")}; channels ${list.map((l) => l.c.id).join(", ")})`,
    cm_uF_per_cm2: cm ? quantity(cm.value, "capacitance", "specificCapacitance") : 1,
    v0_mV: v0 ? quantity(v0.value, "voltage", "initMembPotential") : "rest",
    ...(temperatureDependent ? { celsius: celsius ?? 6.3 } : {}),
    channels: out,
  };
  checkModel(model);
  compileModel(model);
  return model;
}
