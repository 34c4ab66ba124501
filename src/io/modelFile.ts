import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { invalid } from "../errors.js";
import { builtinModels } from "../models/index.js";
import { parseModelText } from "../models/modelText.js";
import { type NeuroMLDocument, neuromlIncludes, neuromlToModel } from "../models/neuroml.js";
import { parseNmodlCell } from "../models/nmodl/cell.js";
import { nmodlCellToModel, nmodlToModel } from "../models/nmodl/index.js";
import type { NeuronModel } from "../models/types.js";
import { readInputFile } from "./inputFile.js";

const EXTENSIONS = ".json, .yaml, .yml, .nml or .xml (NeuroML 2), .mod (NEURON NMODL)";
/** Levels of NeuroML `<include>` below the model file (a cell includes its channels: 1). */
export const MAX_NEUROML_INCLUDE_DEPTH = 8;
/** NeuroML files read for one model, the model file included. */
export const MAX_NEUROML_FILES = 64;

const inside = (folder: string, file: string): boolean => {
  const r = relative(folder, file);
  return r !== "" && !r.startsWith(`..${sep}`) && r !== ".." && !isAbsolute(r);
};

/**
 * A NeuroML file and, recursively, the files its <include href> elements name (relative to the including
 * file). Includes resolve only inside the model file's folder and below (symbolic links followed, then
 * checked); remote hrefs (http://…) are not fetched. Errors name the including file and the href.
 */
function readNeuroML(path: string): NeuroMLDocument[] {
  const root = realpathSync(path);
  const folder = dirname(root);
  const seen = new Set<string>();
  const out: NeuroMLDocument[] = [];
  const visit = (full: string, name: string, depth: number) => {
    if (seen.has(full)) return;
    if (seen.size >= MAX_NEUROML_FILES) {
      throw invalid(`the NeuroML includes of ${path}`, seen.size + 1, `at most ${MAX_NEUROML_FILES} files`);
    }
    seen.add(full);
    const text = readInputFile(full, depth === 0 ? "model file" : "NeuroML include");
    const document = { name, text };
    out.push(document);
    for (const href of neuromlIncludes(document)) {
      if (/^[a-z]+:\/\//i.test(href)) continue; // remote schemas and the like are not fetched
      const what = `NeuroML include ${JSON.stringify(href)} in ${name}`;
      if (depth + 1 > MAX_NEUROML_INCLUDE_DEPTH) {
        throw invalid(`${what}: the nesting of includes`, depth + 1, `at most ${MAX_NEUROML_INCLUDE_DEPTH} levels`);
      }
      const target = resolve(dirname(full), href);
      const allowed = `a file in the folder of ${path} or below it`;
      if (href === "" || isAbsolute(href) || !inside(folder, target)) throw invalid(what, href, allowed);
      if (!existsSync(target)) throw invalid(what, href, `an existing file (${target} does not exist)`);
      const real = realpathSync(target);
      if (!inside(folder, real)) throw invalid(what, href, `${allowed} (it links outside)`);
      visit(real, join(dirname(name), href), depth + 1);
    }
  };
  visit(root, path, 0);
  return out;
}

/** How an NMODL import is made: the temperature where celsius cannot stay a parameter (`--param celsius`). */
export interface ModelFileOptions {
  readonly celsius?: number;
}

/** The .mod files a cell file names, each inside the cell file's folder (as NeuroML includes). */
function readMechanisms(path: string, mechanisms: readonly string[]): { file: string; text: string }[] {
  const folder = dirname(realpathSync(path));
  return mechanisms.map((m) => {
    const what = `NMODL mechanism ${JSON.stringify(m)} in ${path}`;
    const target = resolve(folder, m);
    const allowed = `a .mod file in the folder of ${path} or below it`;
    if (isAbsolute(m) || !inside(folder, target)) throw invalid(what, m, allowed);
    if (!existsSync(target)) throw invalid(what, m, `an existing file (${target} does not exist)`);
    const real = realpathSync(target);
    if (!inside(folder, real)) throw invalid(what, m, `${allowed} (it links outside)`);
    return { file: basename(real), text: readInputFile(real, "NMODL mechanism") };
  });
}

/**
 * Reads a model file: JSON or YAML in the model format, a NeuroML 2 cell with its channels, an NMODL `.mod`
 * file, or a cell file naming `.mod` files. `what` names the argument in errors (`--model`, `model check`'s
 * file, a spec's model); `options.celsius` reaches an NMODL or NeuroML import (the
 * temperature a NeuroML import uses for Nernst reversals, q10ConductanceScaling and rates that read temperature).
 */
export function readModelFile(path: string, what = "model file", options: ModelFileOptions = {}): NeuronModel {
  if (!existsSync(path)) throw invalid(what, path, `an existing model file (${EXTENSIONS})`);
  const ext = extname(path).toLowerCase();
  if (ext === ".nml" || ext === ".xml") return neuromlToModel(readNeuroML(path), options);
  const nmodl = options.celsius === undefined ? {} : { celsius: options.celsius };
  if (ext === ".mod") return nmodlToModel({ file: basename(path), text: readInputFile(path, what) }, nmodl);
  if (ext !== ".json" && ext !== ".yaml" && ext !== ".yml") throw invalid(`${what} file extension`, ext || path, EXTENSIONS);
  const text = readInputFile(path, what);
  const format = ext === ".json" ? "json" : "yaml";
  const cell = parseNmodlCell(text, format, path);
  if (cell) return nmodlCellToModel({ ...cell, ...nmodl }, readMechanisms(path, cell.mechanisms), path);
  return parseModelText(text, format, path);
}

/** A `--model` argument: a built-in name stays a name; anything else is read as a model file. */
export function modelFromArgument(raw: string, what = "--model", options: ModelFileOptions = {}): string | NeuronModel {
  if (Object.hasOwn(builtinModels, raw)) return raw;
  if (!existsSync(raw)) {
    throw invalid(what, raw, `a built-in model (${Object.keys(builtinModels).join(", ")}) or an existing model file (${EXTENSIONS})`);
  }
  return readModelFile(raw, what, options);
}
