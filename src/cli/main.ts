#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SpikelabError } from "../errors.js";
import { analyzeCommand } from "./analyze.js";
import { fiCommand, labCommand, runCommand } from "./commands.js";
import { modelCommand, modelsCommand } from "./models.js";
import { mergeCommand, slurmCommand } from "./slurm.js";
import { sweepCommand } from "./sweep.js";

const program = new Command("spikelab")
  .description("Conductance-based (Hodgkin–Huxley-type) neuron simulator. Units: ms, mV, µA/cm², mS/cm², µF/cm².")
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .addCommand(runCommand())
  .addCommand(fiCommand())
  .addCommand(labCommand())
  .addCommand(sweepCommand())
  .addCommand(slurmCommand())
  .addCommand(mergeCommand())
  .addCommand(analyzeCommand())
  .addCommand(modelsCommand())
  .addCommand(modelCommand());

// A closed pipe (e.g. `spikelab run --json | head`) ends the output quietly.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

// Every error is one line and exit status 2; no stack traces for bad input.
program.exitOverride();
const exitOverrideAll = (c: Command): void => {
  c.exitOverride();
  for (const sub of c.commands) exitOverrideAll(sub);
};
exitOverrideAll(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof SpikelabError) {
    process.stderr.write(`spikelab: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
