#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SpikelabError } from "../errors.js";

/**
 * The commands, each loaded only when it runs (or for the overall help): a sweep or a model
 * listing never loads the plotting stack, so start-up stays light.
 */
const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import("./commands.js")).runCommand(),
  fi: async () => (await import("./commands.js")).fiCommand(),
  lab: async () => (await import("./commands.js")).labCommand(),
  analyze: async () => (await import("./analyze.js")).analyzeCommand(),
  sweep: async () => (await import("./sweep.js")).sweepCommand(),
  slurm: async () => (await import("./slurm.js")).slurmCommand(),
  merge: async () => (await import("./slurm.js")).mergeCommand(),
  models: async () => (await import("./models.js")).modelsCommand(),
  model: async () => (await import("./models.js")).modelCommand(),
};

const program = new Command("spikelab")
  .description("Conductance-based (Hodgkin–Huxley-type) neuron simulator. Units: ms, mV, µA/cm², mS/cm², µF/cm².")
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)");
const invoked = process.argv[2] ?? "";
const load = Object.hasOwn(commands, invoked) ? [commands[invoked] as () => Promise<Command>] : Object.values(commands);
for (const make of load) program.addCommand(await make());

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
