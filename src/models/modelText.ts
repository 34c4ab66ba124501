import { parse as parseYaml } from "yaml";
import { InvalidArgumentError } from "../errors.js";
import { parseModel } from "./schema.js";
import type { NeuronModel } from "./types.js";

// Apart from schema.ts (and, like the NeuroML reader, not re-exported by models/index.ts), so that the
// simulation path (models/index.ts → schema.ts) never loads the YAML parser: `spikelab fi` starts faster.

/** Parses the text of a model file: JSON, or YAML when `format` is "yaml" (or the text is not JSON). */
export function parseModelText(text: string, format: "json" | "yaml" = "json", what = "model file"): NeuronModel {
  let data: unknown;
  try {
    data = format === "json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new InvalidArgumentError(`${what} is not valid ${format.toUpperCase()}: ${(e as Error).message.split("\n")[0]}`);
  }
  try {
    return parseModel(data);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`${what}: ${e.message}`);
    throw e;
  }
}
