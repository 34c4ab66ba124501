import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { invalid } from "../errors.js";
import { builtinModels } from "../models/index.js";
import { parseModelText } from "../models/modelText.js";
import { neuromlIncludes, neuromlToModel } from "../models/neuroml.js";
import type { NeuronModel } from "../models/types.js";

const EXTENSIONS = ".json, .yaml, .yml, .nml or .xml (NeuroML 2)";

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

/** Reads a model file: JSON or YAML in the model format, or a NeuroML 2 cell with its channels. */
export function readModelFile(path: string): NeuronModel {
  if (!existsSync(path)) {
    throw invalid("--model", path, `a built-in model (${Object.keys(builtinModels).join(", ")}) or an existing model file (${EXTENSIONS})`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === ".nml" || ext === ".xml") return neuromlToModel(readNeuroML(path));
  const text = readFileSync(path, "utf8");
  if (ext === ".json") return parseModelText(text, "json", path);
  if (ext === ".yaml" || ext === ".yml") return parseModelText(text, "yaml", path);
  throw invalid("model file extension", ext || path, EXTENSIONS);
}

/** A `--model` argument: a built-in name stays a name; anything else is read as a model file. */
export const modelFromArgument = (raw: string): string | NeuronModel => (Object.hasOwn(builtinModels, raw) ? raw : readModelFile(raw));
