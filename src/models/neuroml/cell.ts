import { InvalidArgumentError } from "../../errors.js";
import type { ChannelDefinition, GateDefinition, NeuronModel } from "../types.js";
import { type ImportedChannel, importChannel } from "./channel.js";
import { checkAttrs, childrenOf, refuse, required, where } from "./element.js";
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
  childrenOf(seg, ["proximal", "distal", "parent"]); // the geometry: no effect on a one-compartment cell's densities
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
    } else if (c.tag.includes("GHK")) {
      throw refuse(
        c,
        "GHK currents (a non-ohmic current from concentrations) are not supported: spikelab's channels are ohmic, I = g·(V − E)",
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
  const q10Said: string[] = [];
  const list = densities.map((d) => {
    onCell(d);
    const nernst = d.tag === "channelDensityNernst";
    checkAttrs(d, [
      "id",
      "ionChannel",
      "condDensity",
      "ion",
      "segmentGroup",
      "segment",
      ...(nernst ? [] : ["erev"]),
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
    const c: ImportedChannel = importChannel(el, { types: lib.types, temperature_K: celsius + 273.15, vShift_mV: vShift });
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
    let erev: number;
    if (nernst) {
      if (ion !== "ca")
        throw refuse(d, `channelDensityNernst for ion ${JSON.stringify(ion)}: NeuroML's Nernst density is hard-coded for calcium (z = 2)`);
      const sp = species.get("ca");
      if (!sp) throw refuse(d, 'needs a <species ion="ca"> in intracellularProperties with its initial concentrations');
      if (sp.attrs.concentrationModel !== undefined) {
        throw refuse(
          sp,
          `concentrationModel ${JSON.stringify(sp.attrs.concentrationModel)} makes calcium a state variable (a pool fed by the calcium current), needed by the Nernst density ${d.attrs.id}; calcium pools need a model-format extension that comes after the step program lands (not supported yet). With fixed concentrations (no concentrationModel) the reversal is computed at import`,
        );
      }
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
    let name = channelName(ion);
    if (used.has(name)) name = ref.replace(/[^A-Za-z0-9_]/g, "_");
    used.add(name);
    for (const gate of c.gates) gateCount.set(gate.name, (gateCount.get(gate.name) ?? 0) + 1);
    return { c, name, g, erev };
  });
  const channels: ChannelDefinition[] = list.map(({ c, name, g, erev }) => ({
    name,
    gMax_mS_per_cm2: g,
    eRev_mV: erev,
    gates: c.gates.map((gate): GateDefinition => ((gateCount.get(gate.name) ?? 0) > 1 ? { ...gate, name: `${gate.name}_${name}` } : gate)),
  }));
  for (const [ion, sp] of species) {
    if (sp.attrs.concentrationModel !== undefined) {
      notes.push(
        `the ${ion} concentration model ${sp.attrs.concentrationModel} is not simulated: no channel or density of this cell reads the concentration (else the import refuses), so it cannot change V`,
      );
    }
  }
  if (channels.length === 0) throw refuse(membrane, "has no channel density: a model needs at least one channel");
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
    channels,
  };
}

export { CHANNEL_TAGS };
