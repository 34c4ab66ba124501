import { existsSync } from "node:fs";
import { Command, Option } from "commander";
import { stringify as toYaml } from "yaml";
import { invalid } from "../errors.js";
import { readModelFile } from "../io/modelFile.js";
import { builtinModels, getModel, modelParameters, type NeuronModel, stateNames } from "../models/index.js";
import { modelJsonSchema } from "../schemas.js";

/** `spikelab models`: the built-in models, one line each. */
export function modelsCommand(): Command {
  return new Command("models").description("list the built-in neuron models, one line each").action(() => {
    const width = Math.max(...Object.keys(builtinModels).map((k) => k.length));
    for (const [name, m] of Object.entries(builtinModels)) console.log(`${name.padEnd(width)}  ${m.title}`);
  });
}

const describe = (m: NeuronModel): string => {
  const params = modelParameters(m)
    .map((p) => `${p.name}=${Number(p.value.toPrecision(6))}`)
    .join(" ");
  return `${m.name}: ${m.title}\nstate: ${stateNames(m).join(", ")}\nparameters: ${params}\nsource: ${m.source}`;
};

/** A model file to show; an unknown name that is no file gets the built-ins' list. */
const showFile = (name: string): NeuronModel => {
  if (!existsSync(name)) {
    throw invalid(
      "model",
      name,
      `one of ${Object.keys(builtinModels).join(", ")}, or an existing model file (.json, .yaml, .yml, .nml, .xml, .mod)`,
    );
  }
  return readModelFile(name, "model show FILE");
};

/** `spikelab model show|schema|check`: a model as a file to copy and edit, the file format's JSON Schema, and a checker. */
export function modelCommand(): Command {
  const cmd = new Command("model").description(
    "show a built-in model as an editable file, print the model file's JSON Schema, or check a model file",
  );
  cmd
    .command("show")
    .description(
      "print a built-in model, or a model file as spikelab reads it (e.g. a translated NMODL .mod), as a model file to copy and edit",
    )
    .argument("<name|file>", `built-in model (${Object.keys(builtinModels).join(", ")}) or a model file (.json, .yaml, .nml, .mod)`)
    .addOption(new Option("--format <format>", "file format").choices(["json", "yaml"]).default("json"))
    .addHelpText(
      "after",
      "\nExamples:\n  spikelab model show lab > lab.json && spikelab fi --model lab.json\n  spikelab model show cell.nml > cell.json   # what the NeuroML import made; runs to the same numbers",
    )
    .action((name: string, o: { format: "json" | "yaml" }) => {
      const m = Object.hasOwn(builtinModels, name) ? getModel(name) : showFile(name);
      process.stdout.write(o.format === "yaml" ? toYaml(m, { lineWidth: 0 }) : `${JSON.stringify(m, null, 2)}\n`);
    });
  cmd
    .command("schema")
    .description("print the JSON Schema of a model file")
    .action(() => {
      process.stdout.write(`${JSON.stringify(modelJsonSchema(), null, 2)}\n`);
    });
  cmd
    .command("check")
    .description("check a model file (JSON, YAML, NeuroML 2, NMODL .mod or a cell of .mod files) and summarise it")
    .argument("<file>", "model file")
    .action((file: string) => console.log(describe(readModelFile(file, "model check FILE"))));
  for (const c of cmd.commands) c.exitOverride();
  return cmd;
}
