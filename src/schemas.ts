import * as z from "zod/mini";
import { methodNames } from "./integrators/registry.js";
import { builtinModels } from "./models/index.js";
import { ModelSchema } from "./models/schema.js";
import { SimulationSpec } from "./spec.js";
import { SweepSpec } from "./sweep/spec.js";

/** The inputs that have a file format, each with its JSON Schema. */
export const schemaNames = ["spec", "sweep", "model"] as const;
export type SchemaName = (typeof schemaNames)[number];

const titles: Record<SchemaName, string> = {
  spec: "spikelab simulation spec (spikelab run --spec FILE; simulate() in the library)",
  sweep: "spikelab sweep spec (spikelab sweep --spec FILE)",
  model: "spikelab model file (spikelab run --model FILE)",
};

/** Adds the names that the zod schema checks by refinement (models, methods) as JSON Schema enums. */
function addEnums(schema: Record<string, unknown>): void {
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!props) return;
  if (props.method) props.method.enum = methodNames();
  const model = props.model as { anyOf?: Record<string, unknown>[] } | undefined;
  const name = model?.anyOf?.find((s) => s.type === "string");
  if (name) name.enum = Object.keys(builtinModels);
}

/** The JSON Schema of a model file (for editors and other tools). */
export const modelJsonSchema = (): Record<string, unknown> => z.toJSONSchema(ModelSchema, { io: "input" }) as Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of an input file, for editors and other tools: the shape, types,
 * required fields, defaults and the names of models and methods. Ranges that depend on other fields
 * (a window inside the run, dt ≤ duration, parameter ranges of the chosen model) are checked by the
 * library when the file is used.
 */
export function jsonSchema(name: SchemaName): Record<string, unknown> {
  const zod = name === "spec" ? SimulationSpec : name === "sweep" ? SweepSpec : ModelSchema;
  const schema = z.toJSONSchema(zod, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  addEnums(schema);
  return { ...schema, title: titles[name] };
}
