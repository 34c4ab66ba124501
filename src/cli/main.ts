import { Command, CommanderError } from "commander";
import { SpikelabError } from "../errors.js";
import { fileKernelStore } from "../wasm/fileStore.js";
import { useKernelStore } from "../wasm/store.js";
import { quietOnClosedPipe } from "./output.js";

/** The CLI: parses process.argv, runs the command, and exits 2 with one line on bad input. */
export async function main(): Promise<void> {
  // The built-in models' kernels that `npm run build` generated, read rather than generated again.
  // (The entry, scripts/bundle-cli.mjs, has set V8's flags and the code cache before this loads.)
  useKernelStore(fileKernelStore(new URL("../wasm/kernels/", import.meta.url)));

  /**
   * The commands, each loaded only when it runs (or for the overall help): a sweep or a model
   * listing never loads the plotting stack, so start-up stays light.
   */
  const commands: Record<string, () => Promise<Command>> = {
    run: async () => (await import("./commands.js")).runCommand(),
    fi: async () => (await import("./fi.js")).fiCommand(),
    fit: async () => (await import("./fit.js")).fitCommand(),
    lab: async () => (await import("./commands.js")).labCommand(),
    analyze: async () => (await import("./analyze.js")).analyzeCommand(),
    sweep: async () => (await import("./sweep.js")).sweepCommand(),
    slurm: async () => (await import("./slurm.js")).slurmCommand(),
    merge: async () => (await import("./slurm.js")).mergeCommand(),
    models: async () => (await import("./models.js")).modelsCommand(),
    model: async () => (await import("./models.js")).modelCommand(),
    schema: async () => (await import("./schema.js")).schemaCommand(),
    dynamics: async () => (await import("./dynamics.js")).dynamicsCommand(),
    paired: async () => (await import("./paired.js")).pairedCommand(),
  };

  const program = new Command("spikelab")
    .description("Conductance-based (Hodgkin–Huxley-type) neuron simulator. Units: ms, mV, µA/cm², mS/cm², µF/cm².")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)");
  const invoked = process.argv[2] ?? "";
  // one command, none for `--version`, all for the overall help
  const load = Object.hasOwn(commands, invoked)
    ? [commands[invoked] as () => Promise<Command>]
    : invoked === "--version" || invoked === "-V"
      ? []
      : Object.values(commands);
  for (const make of load) program.addCommand(await make());

  // A closed pipe (e.g. `spikelab run --json | head`) ends the output quietly. `fi` writes through
  // print() (output.ts), which does so itself, and never creates process.stdout (≈ 6 ms on a pipe).
  if (invoked !== "fi") quietOnClosedPipe();

  // Every error is one line and exit status 2; no stack traces for bad input. Commander's own messages
  // ("error: option '--dt-ms <ms>' argument '-1' is invalid. --dt-ms must be …") are shortened to ours.
  const oneLine = (text: string): string =>
    `spikelab: ${text
      .trim()
      .replace(/^error: /, "")
      .replace(/^option '(-[^ ']*)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/, '$1 must be one of $3; got "$2"')
      .replace(/^option '[^']*' argument '[^']*' is invalid\. /, "")
      .replace(
        /^command-argument value '([^']*)' is invalid for argument '([^']*)'\. Allowed choices are (.*)\.$/,
        '$2 must be one of $3; got "$1"',
      )
      .replace(/\s*\n\s*/g, " ")}\n`;
  // commander suggests near-misses (--amplitud); a prefix (--amp) gets the options it begins
  const suggest = (c: Command, text: string): string => {
    const m = /unknown option '(--[^'=]+)/.exec(text);
    if (!m || /Did you mean/i.test(text)) return text;
    const flag = m[1] as string;
    const near = c.options.map((o) => o.long).filter((l): l is string => !!l && l.startsWith(flag));
    return near.length ? `${text.trimEnd()} (did you mean ${near.slice(0, 3).join(" or ")}?)` : text;
  };
  const quiet = (c: Command): void => {
    c.exitOverride();
    c.configureOutput({ outputError: (text, write) => write(oneLine(suggest(c, text))) });
    for (const sub of c.commands) quiet(sub);
  };
  quiet(program);

  /** A file the OS refused (ENOENT, EACCES, EISDIR …), in one line: what, which file, why. */
  const systemError = (e: NodeJS.ErrnoException): string =>
    `cannot ${e.syscall ?? "use"} ${e.path ?? "a file"}${(e as { dest?: string }).dest ? ` → ${(e as { dest?: string }).dest}` : ""}: ${e.code} (${
      {
        ENOENT: "no such file or folder",
        EACCES: "permission denied",
        EISDIR: "it is a folder",
        ENOTDIR: "a parent is not a folder",
        ENOSPC: "disk full",
        EROFS: "read-only file system",
      }[e.code ?? ""] ?? e.message.split(",")[0]
    })`;

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
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && (e as NodeJS.ErrnoException).syscall) {
      process.stderr.write(`spikelab: ${systemError(e as NodeJS.ErrnoException)}\n`);
      process.exit(2);
    }
    // a bug, not bad input: one line, exit 1, and the stack only on request
    if (process.env.SPIKELAB_DEBUG) throw e;
    process.stderr.write(
      `spikelab: internal error: ${e instanceof Error ? e.message : String(e)} (set SPIKELAB_DEBUG=1 for the stack trace)\n`,
    );
    process.exit(1);
  }
}
