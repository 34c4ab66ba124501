import { InvalidArgumentError } from "../errors.js";
import { checkModel, compileModel } from "./compile.js";
import { type CellOptions, cellToModel, type Library } from "./neuroml/cell.js";
import { importChannel } from "./neuroml/channel.js";
import { checkAttrs, IGNORED, refuse } from "./neuroml/element.js";
import { type El, MAX_XML_DEPTH, parseXml } from "./neuroml/xml.js";
import type { ChannelGate, NeuronModel } from "./types.js";

/**
 * NeuroML 2 import of single-compartment cells into spikelab's model format (see the README's NeuroML
 * section for exactly what is read and what is refused). Channels: `ionChannel`/`ionChannelHH`/
 * `ionChannelPassive` with gates `gateHHrates` (also `type="gateHHratesInstantaneous"`), `gateHHtauInf`,
 * `gateHHratesInf`, `gateHHratesTau`, `gateHHratesTauInf`, `gateHHInstantaneous`, `gateFractional` (subGates with
 * steadyState and timeCourse); rates in the standard forms
 * (`HHExpRate`, `HHSigmoidRate`, `HHExpLinearRate` and the `…Variable` steady states), `fixedTimeCourse`, or
 * LEMS ComponentTypes of the documents (neuroml/lems.ts); `q10Settings` (`q10ExpTemp`, `q10Fixed`) and
 * `q10ConductanceScaling`. Cells: one segment; `channelDensity`, `channelDensityVShift`, `channelDensityNernst`
 * (fixed concentrations). Every other element or attribute is refused, naming element, file and line.
 */

export { MAX_XML_DEPTH };

/** A NeuroML document: its text, or its text with the name of its file (then errors name the file). */
export type NeuroMLDocument = string | { readonly name: string; readonly text: string };

const textOf = (d: NeuroMLDocument): string => (typeof d === "string" ? d : d.text);
/** How errors name a document: its file, else its place in the list. */
const labelOf = (d: NeuroMLDocument, i: number): string => (typeof d === "string" ? `document ${i + 1}` : `file ${d.name}`);

/** Parses NeuroML documents' root elements. */
function roots(documents: readonly NeuroMLDocument[]): El[] {
  return documents.map((d, i) => {
    const root = parseXml(textOf(d), labelOf(d, i));
    if (root.tag !== "neuroml") throw new InvalidArgumentError(`NeuroML ${labelOf(d, i)} has no <neuroml> root element`);
    return root;
  });
}

/** Top-level elements spikelab never needs: definitions it reads on demand, or that cannot change the cell. */
const CONCENTRATION = ["decayingPoolConcentrationModel", "fixedFactorConcentrationModel", "concentrationModel"];

/** Sorts the documents' top-level elements; anything not read is refused, naming it. */
export function neuromlLibrary(documents: readonly NeuroMLDocument[], strict = true): Library {
  const channels = new Map<string, El>();
  const types = new Map<string, El>();
  const cells: El[] = [];
  const networks: El[] = [];
  const concentrationModels = new Map<string, El>();
  for (const root of roots(documents)) {
    checkAttrs(root, ["id", "xsi:schemaLocation"]);
    for (const el of root.children) {
      if (IGNORED.has(el.tag) || el.tag === "include") continue;
      if (el.tag === "ionChannel" || el.tag === "ionChannelHH" || el.tag === "ionChannelPassive") channels.set(el.attrs.id ?? "", el);
      else if (el.tag === "ComponentType") types.set(el.attrs.name ?? "", el);
      else if (el.tag === "cell") cells.push(el);
      else if (el.tag === "network") networks.push(el);
      else if (CONCENTRATION.includes(el.tag) || types.has(el.tag) || documentsDefine(documents, el.tag))
        concentrationModels.set(el.attrs.id ?? "", el);
      else if (strict) {
        throw refuse(
          el,
          `<${el.tag}> is not read by spikelab's import (it reads ionChannel, ionChannelHH, ionChannelPassive, ComponentType, cell, network, include; stimuli are given to the run, e.g. --amplitude)`,
        );
      }
    }
  }
  return { channels, types, cells, networks, concentrationModels };
}

/** Whether a ComponentType of that name is defined in any document (a component of a custom type). */
function documentsDefine(documents: readonly NeuroMLDocument[], name: string): boolean {
  return documents.some((d) => textOf(d).includes(`<ComponentType name="${name}"`));
}

export interface NeuroMLChannel {
  readonly id: string;
  /** The ion species (na, k, ca…) or undefined for a passive channel. */
  readonly species?: string;
  readonly gates: readonly ChannelGate[];
}

/** Every ion channel of NeuroML documents (other top-level elements are not read), imported (rates that read temperature get `celsius`, default 6.3 °C). */
export function neuromlChannels(documents: readonly NeuroMLDocument[], options: { celsius?: number } = {}): NeuroMLChannel[] {
  const lib = neuromlLibrary(documents, false);
  return [...lib.channels.values()].map((el) => {
    const c = importChannel(el, { types: lib.types, temperature_K: (options.celsius ?? 6.3) + 273.15, vShift_mV: 0 });
    return { id: c.id, ...(c.species ? { species: c.species } : {}), gates: c.gates };
  });
}

/** The `href` attributes of `<include>` elements (files a document includes). */
export function neuromlIncludes(document: NeuroMLDocument): string[] {
  const [root] = roots([document]);
  return (root as El).children.filter((c) => c.tag === "include").map((i) => i.attrs.href ?? "");
}

/**
 * A single-compartment model from NeuroML documents (a cell and the channels it uses, possibly in
 * several documents). Channels are named after their ion (na → Na, k → K, non_specific → L) so
 * that parameters read gNa, EK, gL; a second channel of the same ion keeps its id; gate names shared by
 * two channels get the channel as suffix.
 */
export function neuromlToModel(documents: readonly NeuroMLDocument[], options: CellOptions = {}): NeuronModel {
  const model = cellToModel(neuromlLibrary(documents), options);
  checkModel(model);
  compileModel(model);
  return model;
}
