import { InvalidArgumentError } from "../../errors.js";
import type { ChannelDefinition, ChannelGate, ConcentrationPool, IonDefinition, NeuronModel } from "../types.js";
import { type ImportedChannel, importChannel } from "./channel.js";
import { checkAttrs, childrenOf, refuse, required, where } from "./element.js";
import { customPool } from "./pool.js";
import { quantity } from "./units.js";
import type { El } from "./xml.js";

/** NEURON's default temperature, used (and said) when no network gives one. */
export const DEFAULT_CELSIUS = 6.3;
/** Constants of NeuroML's channelDensityNernst (Cells.xml), which hard-codes z = 2 (calcium). */
const R = 8.3144621;
const F = 96485.3;
const Z_CA = 2;

const CHANNEL_TAGS = ["ionChannel", "ionChannelHH", "ionChannelPassive"];

/** What the documents hold, by kind, for the cell's import (only what the cell uses is read further). */
export interface Library {
  readonly channels: ReadonlyMap<string, El>;
  readonly types: ReadonlyMap<string, El>;
  readonly cells: readonly El[];
  readonly networks: readonly El[];
  readonly concentrationModels: ReadonlyMap<string, El>;
}

const channelName = (ion: string | undefined) =>
  ion === undefined || ion === "" || ion === "non_specific" ? "L" : ion.charAt(0).toUpperCase() + ion.slice(1);

/** The segment ids a segment group holds (members and included groups), for a one-segment cell's check. */
function groupHolds(groups: ReadonlyMap<string, El>, id: string, segment: string, seen = new Set<string>()): boolean {
  if (id === "all") return true;
  const g = groups.get(id);
  if (!g || seen.has(id)) return false;
  seen.add(id);
  return childrenOf(g, ["member", "include", "path", "subTree", "inhomogeneousParameter"]).some((c) => {
    if (c.tag === "member") return c.attrs.segment === segment;
    if (c.tag === "include") return groupHolds(groups, c.attrs.segmentGroup ?? "", segment, seen);
    throw refuse(c, `<${c.tag}> in a segment group is not read (a one-segment cell needs none)`);
  });
}

/** Options of the import: the temperature (°C) when the documents give none or to override them. */
export interface CellOptions {
  readonly name?: string;
  readonly celsius?: number;
}

/**
 * A single-compartment spikelab model from a NeuroML `<cell>`: its one segment's membrane, the channels
 * its densities use (only those are read), the network's temperature. Everything not modelled is refused
 * with the element, file and line; what is computed at import (Nernst reversal, q10ConductanceScaling,
 * defaulted temperature) is stated in the model's `source`.
 */
export function cellToModel(lib: Library, options: CellOptions = {}): NeuronModel {
  if (lib.cells.length === 0)
    throw new InvalidArgumentError("NeuroML documents have no <cell>: a model needs a cell with channelDensity elements");
  if (lib.cells.length > 1) {
    throw new InvalidArgumentError(
      `NeuroML documents define ${lib.cells.length} cells (${lib.cells.map(where).join(", ")}); a model file must hold one`,
    );
  }
  const cell = lib.cells[0] as El;
  checkAttrs(cell, ["id"]);
  const cellId = required(cell, "id");
  const notes: string[] = [];

  // temperature: --param celsius / options, else the network's, else NEURON's default (said)
  let networkCelsius: number | undefined;
  for (const n of lib.networks) {
    checkAttrs(n, ["id", "type", "temperature"]);
    if (n.attrs.temperature !== undefined)
      networkCelsius = quantity(n.attrs.temperature, "temperature", `network temperature at ${n.file}, line ${n.line}`);
    for (const c of childrenOf(n, ["population"], "spikelab imports one cell; stimuli and connections are given to the run")) {
      checkAttrs(c, ["id", "component", "size", "type", "extracellularProperties"]);
      if (c.attrs.component !== cellId) throw refuse(c, `is a population of ${c.attrs.component}, not of the cell ${cellId}`);
      childrenOf(c, []);
    }
  }
  const celsius = options.celsius ?? networkCelsius ?? DEFAULT_CELSIUS;
  const celsiusSaid =
    options.celsius !== undefined
      ? `${celsius} °C (given)`
      : networkCelsius !== undefined
        ? `${celsius} °C (the network's)`
        : `${celsius} °C (defaulted: no network temperature; set --param celsius)`;
  let temperatureUsed = false;

  // morphology: one segment
  const parts = childrenOf(cell, ["morphology", "biophysicalProperties"]);
  const morph = parts.find((p) => p.tag === "morphology");
  const bio = parts.find((p) => p.tag === "biophysicalProperties");
  if (!morph) throw refuse(cell, "has no inline <morphology> (a morphology attribute or a separate element is not read)");
  if (!bio) throw refuse(cell, "has no inline <biophysicalProperties>");
  const segs = childrenOf(morph, ["segment", "segmentGroup"]);
  const segments = segs.filter((s) => s.tag === "segment");
  if (segments.length !== 1) {
    throw refuse(
      morph,
      `has ${segments.length} segments; spikelab simulates one compartment (a multi-segment cell needs a cable model, with axial currents between compartments), so only a one-segment cell imports exactly`,
    );
  }
  checkAttrs(morph, ["id"]);
  const seg = segments[0] as El;
  checkAttrs(seg, ["id", "name"]);
  // the geometry: no effect on a one-compartment cell's densities; a decaying pool's shell volume reads its area
  const ends = childrenOf(seg, ["proximal", "distal", "parent"]);
  const segment = required(seg, "id");
  for (const g of segs) if (g.tag === "segmentGroup") checkAttrs(g, ["id"]);
  const groups = new Map(segs.filter((s) => s.tag === "segmentGroup").map((g) => [required(g, "id"), g]));
  const onCell = (el: El) => {
    const g = el.attrs.segmentGroup;
    if (g !== undefined && !groupHolds(groups, g, segment))
      throw refuse(el, `segmentGroup ${JSON.stringify(g)} does not hold the cell's one segment (${segment})`);
    if (el.attrs.segment !== undefined && el.attrs.segment !== segment)
      throw refuse(el, `segment ${el.attrs.segment} is not the cell's one segment (${segment})`);
  };

  checkAttrs(bio, ["id"]);
  const bioParts = childrenOf(bio, ["membraneProperties", "intracellularProperties", "extracellularProperties"]);
  const membrane = bioParts.find((p) => p.tag === "membraneProperties");
  if (!membrane) throw refuse(bio, "has no <membraneProperties>");
  for (const p of bioParts) checkAttrs(p, []);
  const species = new Map<string, El>();
  for (const p of bioParts) {
    if (p.tag === "extracellularProperties") throw refuse(p, "is not read");
    if (p.tag !== "intracellularProperties") continue;
    for (const c of childrenOf(p, ["species", "resistivity"])) {
      onCell(c);
      if (c.tag === "resistivity")
        checkAttrs(c, ["value", "segmentGroup"]); // no effect on one compartment
      else {
        checkAttrs(c, ["id", "ion", "concentrationModel", "initialConcentration", "initialExtConcentration", "segmentGroup"]);
        species.set(c.attrs.ion ?? required(c, "id"), c);
      }
    }
  }

  const ca = species.get("ca");
  const pool = ca?.attrs.concentrationModel === undefined ? undefined : calciumPool(ca, lib, ends, notes);
  let cm: number | undefined;
  let v0: number | undefined;
  const densities: El[] = [];
  for (const c of childrenOf(membrane, [
    "channelDensity",
    "channelDensityVShift",
    "channelDensityNernst",
    "channelDensityGHK",
    "channelDensityGHK2",
    "channelDensityNonUniform",
    "channelDensityNonUniformNernst",
    "channelDensityNonUniformGHK",
    "channelDensityNernstCa2",
    "channelPopulation",
    "spikeThresh",
    "specificCapacitance",
    "initMembPotential",
  ])) {
    if (c.tag === "specificCapacitance" || c.tag === "initMembPotential" || c.tag === "spikeThresh") {
      checkAttrs(c, ["value", "segmentGroup"]);
      onCell(c);
      if (c.tag === "specificCapacitance") {
        if (cm !== undefined) throw refuse(c, "a second specificCapacitance: a one-compartment cell has one");
        cm = quantity(c.attrs.value, "specificCapacitance", `specificCapacitance at ${c.file}, line ${c.line}`);
      } else if (c.tag === "initMembPotential") v0 = quantity(c.attrs.value, "voltage", `initMembPotential at ${c.file}, line ${c.line}`);
      else
        notes.push(
          `spikeThresh ${quantity(c.attrs.value, "voltage", "spikeThresh")} mV is not part of the model (spikelab's spike threshold is --threshold-mv)`,
        );
    } else if (c.tag === "channelPopulation") {
      throw refuse(
        c,
        "a channelPopulation (a number of channels on the segment) is not read: spikelab models conductance per area; write it as a channelDensity",
      );
    } else if (c.tag.includes("NonUniform")) {
      throw refuse(c, "non-uniform densities vary along a multi-segment cell; spikelab simulates one compartment");
    } else if (c.tag === "channelDensityNernstCa2") {
      throw refuse(
        c,
        "channelDensityNernstCa2 needs a second calcium pool (caConc2): concentration state variables are a model-format extension planned after the step program lands",
      );
    } else densities.push(c);
  }

  const used = new Set<string>();
  const gateCount = new Map<string, number>();
  /** The channel's name (its ion's, or the ionChannel id where two share an ion), and its gates counted. */
  const claim = (c: ImportedChannel, ion: string | undefined, ref: string): string => {
    let name = channelName(ion);
    if (used.has(name)) name = ref.replace(/[^A-Za-z0-9_]/g, "_");
    used.add(name);
    for (const n of c.gates.flatMap((gate) => [gate.name, ...("subgates" in gate ? gate.subgates.map((s) => s.name) : [])]))
      gateCount.set(n, (gateCount.get(n) ?? 0) + 1);
    return name;
  };
  const q10Said: string[] = [];
  const list = densities.map((d) => {
    onCell(d);
    const nernst = d.tag === "channelDensityNernst";
    const ghk = d.tag === "channelDensityGHK" || d.tag === "channelDensityGHK2";
    checkAttrs(d, [
      "id",
      "ionChannel",
      d.tag === "channelDensityGHK" ? "permeability" : "condDensity",
      "ion",
      "segmentGroup",
      "segment",
      ...(nernst || ghk ? [] : ["erev"]),
      ...(d.tag === "channelDensityVShift" ? ["vShift"] : []),
    ]);
    childrenOf(d, [], "variableParameter and the like vary along a multi-segment cell");
    const ref = required(d, "ionChannel");
    const el = lib.channels.get(ref);
    if (!el)
      throw refuse(
        d,
        `refers to ionChannel ${JSON.stringify(ref)}, which no document defines (a channel in another file must be <include>d by the cell's file)`,
      );
    const vShift = d.tag === "channelDensityVShift" ? quantity(required(d, "vShift"), "voltage", `vShift at ${d.file}, line ${d.line}`) : 0;
    const c: ImportedChannel = importChannel(el, {
      types: lib.types,
      temperature_K: celsius + 273.15,
      vShift_mV: vShift,
      caConc: ca !== undefined,
    });
    if (vShift !== 0 && !c.usesVShift) {
      throw refuse(
        d,
        `vShift ${vShift} mV has no effect in NeuroML on ionChannel ${ref}: no rate of it reads vShift (NeuroML leaves "the exact usage of vShift" to the gates), so spikelab will not shift it either; use a channelDensity, or rates that require vShift`,
      );
    }
    if (c.usesTemperature) {
      temperatureUsed = true;
      notes.push(`the rates of ${ref} read the temperature: fixed at import`);
    }
    const ion = d.attrs.ion ?? c.species;
    if (ghk) {
      const q10 = c.conductanceQ10 ? c.conductanceQ10.q10 ** ((celsius - c.conductanceQ10.reference_celsius) / 10) : 1;
      if (q10 !== 1) temperatureUsed = true;
      const current = ghkDensity(d, ion, species.get("ca"), celsius, q10, notes);
      temperatureUsed = true;
      const name = claim(c, ion, ref);
      return { c, name, g: 0, erev: 0 as number | "nernst", carriesCa: true, ghk: current };
    }
    let erev: number | "nernst";
    if (nernst && ion !== "ca")
      throw refuse(d, `channelDensityNernst for ion ${JSON.stringify(ion)}: NeuroML's Nernst density is hard-coded for calcium (z = 2)`);
    if (nernst && pool) {
      erev = "nernst";
      temperatureUsed = true;
      notes.push(
        `E of ${d.attrs.id}: Nernst of the calcium pool at the run's celsius (spikelab's R and F, CODATA 2018; NeuroML's 8.3144621 and 96485.3 differ by < 3e-7 relative)`,
      );
    } else if (nernst) {
      const sp = species.get("ca");
      if (!sp) throw refuse(d, 'needs a <species ion="ca"> in intracellularProperties with its initial concentrations');
      const cIn = quantity(required(sp, "initialConcentration"), "concentration", `initialConcentration at ${sp.file}, line ${sp.line}`);
      const cOut = quantity(
        required(sp, "initialExtConcentration"),
        "concentration",
        `initialExtConcentration at ${sp.file}, line ${sp.line}`,
      );
      if (!(cIn > 0 && cOut > 0)) throw refuse(sp, "concentrations must be > 0 for the Nernst equation");
      erev = ((1000 * R * (celsius + 273.15)) / (Z_CA * F)) * Math.log(cOut / cIn);
      temperatureUsed = true;
      notes.push(`E of ${d.attrs.id} = (RT/2F)·ln(${cOut}/${cIn} mM) = ${erev} mV (Nernst, fixed concentrations, at ${celsius} °C)`);
    } else erev = quantity(required(d, "erev"), "voltage", `erev at ${d.file}, line ${d.line}`);
    let g = quantity(required(d, "condDensity"), "conductanceDensity", `condDensity at ${d.file}, line ${d.line}`);
    if (c.conductanceQ10) {
      const f = c.conductanceQ10.q10 ** ((celsius - c.conductanceQ10.reference_celsius) / 10);
      q10Said.push(
        `gMax of ${ref} × ${c.conductanceQ10.q10}^((${celsius} − ${c.conductanceQ10.reference_celsius})/10) = ×${f} (q10ConductanceScaling)`,
      );
      g *= f;
      temperatureUsed = true;
    }
    const name = claim(c, ion, ref);
    return { c, name, g, erev, carriesCa: pool !== undefined && ion === "ca", ghk: undefined };
  });
  const channels: ChannelDefinition[] = list.map(({ c, name, g, erev, carriesCa, ghk }) => ({
    name,
    ...(ghk ? { ghk } : { gMax_mS_per_cm2: g, eRev_mV: erev }),
    ...(carriesCa ? { ion: "ca" } : {}),
    gates: c.gates.map((gate): ChannelGate => {
      // names shared by several channels' gates (state variables) take the channel's name
      const unique = (n: string) => ((gateCount.get(n) ?? 0) > 1 ? `${n}_${name}` : n);
      const renamed = { ...gate, name: unique(gate.name) };
      return "subgates" in gate ? { ...renamed, subgates: gate.subgates.map((s) => ({ ...s, name: unique(s.name) })) } : renamed;
    }),
  }));
  for (const [ion, sp] of species) {
    if (sp.attrs.concentrationModel !== undefined && !(ion === "ca" && pool)) {
      notes.push(
        `the ${ion} concentration model ${sp.attrs.concentrationModel} is not simulated: no channel or density of this cell reads the concentration (else the import refuses), so it cannot change V`,
      );
    }
  }
  if (channels.length === 0) throw refuse(membrane, "has no channel density: a model needs at least one channel");
  // calcium: a pool, or fixed concentrations that rates read as cai
  const readsCai = JSON.stringify(channels).includes("cai");
  let ions: Record<string, IonDefinition> | undefined;
  if (ca && (pool || readsCai || channels.some((c) => c.ghk))) {
    const inside =
      pool?.initial_mM ??
      quantity(required(ca, "initialConcentration"), "concentration", `initialConcentration at ${ca.file}, line ${ca.line}`);
    const outside = quantity(
      required(ca, "initialExtConcentration"),
      "concentration",
      `initialExtConcentration at ${ca.file}, line ${ca.line}`,
    );
    if (!(inside > 0 && outside > 0)) throw refuse(ca, "concentrations must be > 0");
    const { initial_mM: _, ...poolOnly } = pool ?? {};
    ions = { ca: { charge: Z_CA, inside_mM: inside, outside_mM: outside, ...(pool ? { pool: poolOnly as ConcentrationPool } : {}) } };
  }
  const temperatureDependent = temperatureUsed || channels.some((c) => c.gates.some((g) => g.temperature));
  const said = [...q10Said, ...notes];
  if (temperatureDependent)
    said.unshift(
      `temperature ${celsiusSaid}${temperatureUsed ? "; what reads it at import (below) stays fixed when celsius is changed at run time" : ""}`,
    );
  return {
    name: options.name ?? cellId,
    title: `NeuroML cell ${cellId}`,
    source: `Imported from NeuroML 2 (cell ${cellId} in ${cell.file}; channels ${list.map((l) => l.c.id).join(", ")})${said.length ? `. ${said.join(". ")}` : ""}`,
    cm_uF_per_cm2: cm ?? 1,
    v0_mV: v0 ?? "rest",
    ...(temperatureDependent ? { celsius } : {}),
    ...(ions ? { ions } : {}),
    channels,
  };
}

/**
 * A GHK density of NeuroML's Cells.xml (both hard-code calcium, z = 2), as a GHK channel (models/ghk.ts):
 * - channelDensityGHK: iDensity = −fopen·P·z·F·K·v·(caConc − caConcExt·e^(−Kv))/(1 − e^(−Kv)), K = z·F/(R·T), with
 *   R = 8.3144621, F = 96485.3: the GHK current itself (inward positive), P the permeability;
 * - channelDensityGHK2 (Jaffe et al. 1994): iDensity = g·fopen·pOpen, pOpen = tmp·10⁻³·(1 − (ci/co)·e^(V/tmp))·efun(V/tmp),
 *   tmp = 25·T/(293.15·2) (mV): outward g·tmp/co·(ci/exprel(−V/tmp) − co/exprel(V/tmp)), the GHK current with
 *   R·T/(z·F) = tmp (R = 25·z·F/(2·293.15·1000)) and P = g·tmp/(z·F·co) (cm/s for g in mS/cm², tmp in mV, co in mM)
 *   at the import's temperature: NeuroML's amplitude ∝ T is fixed there.
 */
function ghkDensity(
  d: El,
  ion: string | undefined,
  ca: El | undefined,
  celsius: number,
  q10: number,
  notes: string[],
): NonNullable<ChannelDefinition["ghk"]> {
  if (ion !== "ca") throw refuse(d, `${d.tag} for ion ${JSON.stringify(ion)}: NeuroML's GHK densities are hard-coded for calcium (z = 2)`);
  if (!ca) throw refuse(d, 'needs a <species ion="ca"> in intracellularProperties with its initial concentrations');
  const co = quantity(required(ca, "initialExtConcentration"), "concentration", `initialExtConcentration at ${ca.file}, line ${ca.line}`);
  if (!(co > 0)) throw refuse(ca, "initialExtConcentration must be > 0 for a GHK current");
  if (d.tag === "channelDensityGHK") {
    const P = q10 * quantity(required(d, "permeability"), "permeability", `permeability at ${d.file}, line ${d.line}`);
    notes.push(`${d.attrs.id}: channelDensityGHK, P = ${P} cm/s, R = ${R}, F = ${F} (as Cells.xml), T = celsius + 273.15`);
    return { permeability_cm_per_s: P, faraday_C_per_mol: F, gas_constant_J_per_mol_K: R };
  }
  const g = q10 * quantity(required(d, "condDensity"), "conductanceDensity", `condDensity at ${d.file}, line ${d.line}`);
  const tmp = (25 * (celsius + 273.15)) / (293.15 * 2);
  const P = (g * tmp) / (Z_CA * F * co);
  const gas = (25 * Z_CA * F) / (2 * 293.15 * 1000);
  notes.push(
    `${d.attrs.id}: channelDensityGHK2 (Jaffe 1994) as a GHK current with R·T/(2F) = 25·T/(2·293.15) mV (R = ${gas}) and P = g·tmp/(2·F·caConcExt) = ${P} cm/s at ${celsius} °C (NeuroML's amplitude, ∝ T, stays that when celsius is changed at run time)`,
  );
  return { permeability_cm_per_s: P, faraday_C_per_mol: F, gas_constant_J_per_mol_K: gas };
}

/** π as NeuroML's Cells.xml writes it: 3.14159265 in a segment's area, 3.14159 in a pool's shell volume. */
const PI_AREA = 3.14159265;
const PI_SHELL = 3.14159;
const NEUROML_FARADAY = 96485.3;

/** A one-segment cell's surface area (µm²) as NeuroML's segment computes it: a sphere when its length is 0, else the distal radius's cylinder. */
function segmentArea(ends: readonly El[], at: El): number {
  const point = (tag: string) => {
    const p = ends.find((e) => e.tag === tag);
    if (!p) throw refuse(at, `a calcium pool's shell volume needs the segment's <${tag}> point`);
    // morphology coordinates are plain numbers in µm
    const n = (k: string) => {
      const x = Number(required(p, k));
      if (!Number.isFinite(x)) throw refuse(p, `${k} must be a number (µm); got ${JSON.stringify(p.attrs[k])}`);
      return x;
    };
    return { x: n("x"), y: n("y"), z: n("z"), r: n("diameter") / 2 };
  };
  const d = point("distal");
  const p = point("proximal");
  const length = Math.sqrt((d.x - p.x) ** 2 + (d.y - p.y) ** 2 + (d.z - p.z) ** 2);
  return length === 0 ? 4 * d.r * d.r * PI_AREA : 2 * d.r * PI_AREA * length;
}

/**
 * The calcium pool of a species (NeuroML's Cells.xml; iCa is the inward calcium current, A):
 * - decayingPoolConcentrationModel: dC/dt = iCa/(2·F·V_shell) − (C − restingConc)/decayConstant, V_shell the shell of
 *   shellThickness under a sphere of the segment's area A: with the current density, k = (A/V_shell)/(2·F), A/V in 1/µm
 *   giving k·10 in mM/ms per µA/cm² (as 10·γ/(z·F·d) for a thin shell);
 * - fixedFactorConcentrationModel: dC/dt = (iCa/A)·rho − …, rho in mol/(m·A·s): k = rho·10⁻⁵ mM/ms per µA/cm².
 * NeuroML's clamp of a negative concentration to 0 is not modelled (an inward current never drives C below 0).
 */
function calciumPool(sp: El, lib: Library, ends: readonly El[], notes: string[]): ConcentrationPool & { initial_mM?: number } {
  const id = sp.attrs.concentrationModel as string;
  const m = lib.concentrationModels.get(id);
  if (!m) throw refuse(sp, `concentrationModel ${JSON.stringify(id)} is defined by no document (include its file)`);
  const at = (k: string) => `${k} of ${m.tag} ${id} at ${m.file}, line ${m.line}`;
  if (m.tag !== "decayingPoolConcentrationModel" && m.tag !== "fixedFactorConcentrationModel") {
    const type = m.tag === "concentrationModel" ? m.attrs.type : m.tag;
    const ct = type === undefined ? undefined : lib.types.get(type);
    if (!ct || ct.attrs.extends !== "concentrationModel") {
      throw refuse(
        m,
        `is a concentration model of type ${type}; spikelab reads NeuroML's decayingPoolConcentrationModel, fixedFactorConcentrationModel and ComponentTypes of the documents that extend concentrationModel`,
      );
    }
    const custom = customPool(m, ct);
    notes.push(
      `calcium pool ${id}: ComponentType ${type} read as dC/dt = −k·iCa_density − (C − resting)/τ: k = ${custom.pool.rho_mM_cm2_per_uA_ms} mM/ms per µA/cm², τ = ${custom.pool.decay_ms} ms, resting ${custom.pool.resting_mM} mM${custom.initial_mM === undefined ? "" : `, starting at ${custom.initial_mM} mM (its OnStart)`}`,
    );
    return custom.initial_mM === undefined ? custom.pool : { ...custom.pool, initial_mM: custom.initial_mM };
  }
  const decaying = m.tag === "decayingPoolConcentrationModel";
  checkAttrs(m, ["id", "ion", "restingConc", "decayConstant", decaying ? "shellThickness" : "rho"]);
  if (m.attrs.ion !== undefined && m.attrs.ion !== "ca")
    throw refuse(m, `ion ${JSON.stringify(m.attrs.ion)}: NeuroML's pools are fed by iCa (calcium)`);
  const resting = quantity(required(m, "restingConc"), "concentration", at("restingConc"));
  const decay = quantity(required(m, "decayConstant"), "time", at("decayConstant"));
  if (!decaying) {
    const rho = quantity(required(m, "rho"), "rho_factor", at("rho"));
    notes.push(`calcium pool ${id}: fixedFactorConcentrationModel, rho = ${rho} mM·cm²/(µA·ms)`);
    return { decay_ms: decay, resting_mM: resting, rho_mM_cm2_per_uA_ms: rho };
  }
  const d = quantity(required(m, "shellThickness"), "length", at("shellThickness"));
  const area = segmentArea(ends, m);
  const r = Math.sqrt(area / (4 * PI_SHELL));
  const inner = r - d;
  const volume = (4 * (r * r * r) * PI_SHELL) / 3 - (4 * (inner * inner * inner) * PI_SHELL) / 3;
  const k = (10 * (area / volume)) / (2 * NEUROML_FARADAY);
  notes.push(
    `calcium pool ${id}: decayingPoolConcentrationModel, shell ${d} µm under a sphere of the segment's area ${area} µm² (volume ${volume} µm³), k = ${k} mM/ms per µA/cm² (F = 96485.3 as NeuroML)`,
  );
  return { decay_ms: decay, resting_mM: resting, rho_mM_cm2_per_uA_ms: k };
}

export { CHANNEL_TAGS };
