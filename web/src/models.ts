/**
 * The models the lab can run: the library's built-ins by name, and models read from files the user
 * chose (JSON/YAML in the library's model format, NeuroML 2 with its included channel files, or NEURON
 * .mod files, alone or named by a JSON/YAML cell file), parsed and checked in the page by the library's
 * own parsers (src/models/schema.ts, neuroml.ts, nmodl/).
 * A file model is known as "file:NAME"; the worker receives the model object itself.
 */
import {
  builtinModels,
  InvalidArgumentError,
  type NeuronModel,
  neuromlIncludes,
  neuromlToModel,
  nmodlCellToModel,
  nmodlToModel,
  parseModelText,
  parseNmodlCell,
} from "./lib.js";

export const FILE_PREFIX = "file:";
const fileModels = new Map<string, NeuronModel>();

/** The model chosen by a name of the model select (a built-in or "file:NAME"), if known. */
export const modelOf = (name: string): NeuronModel | undefined =>
  Object.hasOwn(builtinModels, name) ? builtinModels[name] : fileModels.get(name);

/** How a spec names it: a built-in by name, a file model as the model object. */
export const modelRef = (name: string): string | NeuronModel => fileModels.get(name) ?? name;

/** The select's options: the built-ins, then the file models. */
export const modelOptions = (): { value: string; label: string }[] => [
  ...Object.keys(builtinModels).map((name) => ({ value: name, label: name })),
  ...[...fileModels.keys()].map((key) => ({ value: key, label: `${key.slice(FILE_PREFIX.length)} (from a file)` })),
];

/** Remembers a file model; returns its select value. */
export function addFileModel(model: NeuronModel): string {
  const key = `${FILE_PREFIX}${model.name}`;
  fileModels.set(key, model);
  return key;
}

const EXTENSIONS = ".json, .yaml, .yml, .nml or .xml (NeuroML 2), .mod (NEURON NMODL)";
const extension = (name: string) => (/\.[^./]+$/.exec(name)?.[0] ?? "").toLowerCase();
const base = (path: string) => path.split(/[\\/]/).pop() as string;

/**
 * The model in the chosen files: one JSON/YAML model file, or a NeuroML cell file together with the
 * channel files it includes. Throws the library's one-line errors (naming the file and the field).
 */
export function modelFromFiles(files: readonly { name: string; text: string }[]): NeuronModel {
  if (files.length === 0) throw new InvalidArgumentError(`model file must be chosen; got none (${EXTENSIONS})`);
  const bad = files.find((f) => ![".json", ".yaml", ".yml", ".nml", ".xml", ".mod"].includes(extension(f.name)));
  if (bad) throw new InvalidArgumentError(`model file extension must be ${EXTENSIONS}; got "${extension(bad.name) || bad.name}"`);
  const nml = files.filter((f) => [".nml", ".xml"].includes(extension(f.name)));
  if (nml.length) {
    if (nml.length !== files.length)
      throw new InvalidArgumentError("model files must be one JSON/YAML file or NeuroML files only; got both kinds");
    const names = new Set(nml.map((f) => base(f.name)));
    for (const f of nml)
      for (const href of neuromlIncludes({ name: f.name, text: f.text })) {
        if (/^[a-z]+:\/\//i.test(href) || names.has(base(href))) continue;
        throw new InvalidArgumentError(
          `NeuroML include "${href}" (in ${f.name}) must be chosen together with it; got ${[...names].join(", ")}`,
        );
      }
    return neuromlToModel(nml.map((f) => ({ name: f.name, text: f.text })));
  }
  const mods = files.filter((f) => extension(f.name) === ".mod").map((f) => ({ file: base(f.name), text: f.text }));
  const others = files.filter((f) => extension(f.name) !== ".mod");
  if (mods.length && others.length === 0) {
    // one .mod: the mechanism with NEURON's pas leak; several: a cell of all of them (NEURON's insert of each)
    if (mods.length === 1) return nmodlToModel(mods[0] as { file: string; text: string });
    return nmodlCellToModel({ name: "nmodl-cell" }, mods, "chosen .mod files");
  }
  if (mods.length && others.length === 1) {
    const f = others[0] as { name: string; text: string };
    const cell = parseNmodlCell(f.text, extension(f.name) === ".json" ? "json" : "yaml", f.name);
    if (!cell) throw new InvalidArgumentError(`${f.name} must be a cell file naming the chosen .mod files (with "mechanisms")`);
    const sources = cell.mechanisms.map((m) => {
      const s = mods.find((x) => x.file === base(m));
      if (!s) throw new InvalidArgumentError(`NMODL mechanism "${m}" (in ${f.name}) must be chosen together with it`);
      return s;
    });
    return nmodlCellToModel(cell, sources, f.name);
  }
  if (files.length > 1)
    throw new InvalidArgumentError(`model file must be one JSON/YAML file; got ${files.length} (${files.map((f) => f.name).join(", ")})`);
  const [f] = files as [{ name: string; text: string }];
  return parseModelText(f.text, extension(f.name) === ".json" ? "json" : "yaml", f.name);
}

/** A message on one line (the schema's multi-line reports joined with "; "). */
export const oneLine = (message: string): string =>
  message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("; ");
