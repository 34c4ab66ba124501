import { Argument, Command } from "commander";
import { jsonSchema, type SchemaName, schemaNames } from "../schemas.js";

/** `spikelab schema [spec|sweep|model]`: the JSON Schema of an input file, for editors. */
export function schemaCommand(): Command {
  return new Command("schema")
    .description("print the JSON Schema of an input file: a simulation spec (default), a sweep spec or a model file")
    .addArgument(new Argument("[kind]", "which file").choices(schemaNames).default("spec"))
    .addHelpText(
      "after",
      `
Examples:
  spikelab schema > spec.schema.json     then start exp.json with "$schema": "./spec.schema.json"
  spikelab schema sweep > sweep.schema.json`,
    )
    .action((kind: SchemaName) => {
      process.stdout.write(`${JSON.stringify(jsonSchema(kind), null, 2)}\n`);
    });
}
