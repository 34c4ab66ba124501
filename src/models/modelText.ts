import { parseDataText } from "../dataText.js";
import { InvalidArgumentError } from "../errors.js";
import { parseModel } from "./schema.js";
import type { NeuronModel } from "./types.js";

// Apart from schema.ts (and, like the NeuroML reader, not re-exported by models/index.ts), so that the
// simulation path (models/index.ts → schema.ts) never loads the YAML parser: `spikelab fi` starts faster.

/** Parses the text of a model file: JSON, or YAML when `format` is "yaml" (bounded: see dataText.ts). */
export function parseModelText(text: string, format: "json" | "yaml" = "json", what = "model file"): NeuronModel {
  const data = parseDataText(text, format, what);
  try {
    return parseModel(data);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`${what}: ${e.message}`);
    throw e;
  }
}
