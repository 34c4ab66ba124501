import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { invalid } from "../errors.js";
import { builtinModels } from "../models/index.js";
import { parseModelText } from "../models/modelText.js";
import { neuromlIncludes, neuromlToModel } from "../models/neuroml.js";
import { parseNmodlCell } from "../models/nmodl/cell.js";
import { nmodlCellToModel, nmodlToModel } from "../models/nmodl/index.js";
import type { NeuronModel } from "../models/types.js";

const EXTENSIONS = ".json, .yaml, .yml, .nml or .xml (NeuroML 2), .mod (NEURON NMODL)";

/** A NeuroML file and, recursively, the files its <include href> elements name (relative to it). */
function readNeuroML(path: string, seen = new Set<string>()): string[] {
  const full = resolve(path);
  if (seen.has(full)) return [];
  seen.add(full);
  if (!existsSync(full)) throw invalid("NeuroML include", path, "an existing file");
  const text = readFileSync(full, "utf8");
  const out = [text];
  for (const href of neuromlIncludes(text)) {
    if (/^[a-z]+:\/\//i.test(href)) continue; // remote schemas and the like are not fetched
    out.push(...readNeuroML(resolve(dirname(full), href), seen));
  }
  return out;
}

/** How an NMODL import is made: the temperature where celsius cannot stay a parameter (`--param celsius`). */
export interface ModelFileOptions {
  readonly celsius?: number;
}

/**
 * Reads a model file: JSON or YAML in the model format, a NeuroML 2 cell with its channels, an NMODL `.mod`
 * file, or a cell file naming `.mod` files.
 */
export function readModelFile(path: string, options: ModelFileOptions = {}): NeuronModel {
  if (!existsSync(path)) {
    throw invalid("--model", path, `a built-in model (${Object.keys(builtinModels).join(", ")}) or an existing model file (${EXTENSIONS})`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === ".nml" || ext === ".xml") return neuromlToModel(readNeuroML(path));
  const text = readFileSync(path, "utf8");
  if (ext === ".mod")
    return nmodlToModel({ file: basename(path), text }, options.celsius === undefined ? {} : { celsius: options.celsius });
  if (ext === ".json" || ext === ".yaml" || ext === ".yml") {
    const format = ext === ".json" ? "json" : "yaml";
    const cell = parseNmodlCell(text, format, path);
    if (cell) {
      const sources = cell.mechanisms.map((m) => {
        const full = resolve(dirname(path), m);
        if (!existsSync(full)) throw invalid(`${path}: mechanisms`, m, "an existing .mod file (relative to the cell file)");
        return { file: basename(full), text: readFileSync(full, "utf8") };
      });
      return nmodlCellToModel(options.celsius === undefined ? cell : { ...cell, celsius: options.celsius }, sources, path);
    }
    return parseModelText(text, format, path);
  }
  throw invalid("model file extension", ext || path, EXTENSIONS);
}

/** A `--model` argument: a built-in name stays a name; anything else is read as a model file. */
export const modelFromArgument = (raw: string, options: ModelFileOptions = {}): string | NeuronModel =>
  Object.hasOwn(builtinModels, raw) ? raw : readModelFile(raw, options);
