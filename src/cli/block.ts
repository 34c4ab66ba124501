import { type Command, InvalidArgumentError } from "commander";
import { type Blocks, blockParameters, parseBlock } from "../experiments/blockers.js";
import { type ModelRef, resolveModel } from "../models/index.js";

/** Collects repeated `--block BLOCKER=FRACTION` flags (TTX=0.5, TEA) into one set of blocks. */
export const blockArg = (raw: string, previous: Blocks = {}): Blocks => {
  try {
    const [name, f] = parseBlock(raw);
    return { ...previous, [name]: f };
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

export const BLOCK_HELP =
  "block a channel: TTX (Na) or TEA (delayed-rectifier K), with the fraction blocked, repeatable (e.g. TTX=0.5; TTX alone: 1)";

/**
 * Adds `--block` to a command with `--param`: before the action, the blocked conductances are written into the
 * parameters (gNa × (1 − fraction), …) of the model chosen, so the command runs exactly as with that `--param`.
 */
export function addBlockOption(cmd: Command): Command {
  return cmd.option("--block <blocker=fraction>", BLOCK_HELP, blockArg).hook("preAction", (c) => {
    const blocks = c.getOptionValue("block") as Blocks | undefined;
    // with `run --spec FILE` the blocks apply to the file's model and parameters merged with the flags (runSpecFrom)
    if (!blocks || c.getOptionValue("spec") !== undefined) return;
    const params = (c.getOptionValue("param") as Record<string, number> | undefined) ?? {};
    const model = resolveModel(c.getOptionValue("model") as ModelRef);
    c.setOptionValueWithSource("param", blockParameters(model, blocks, params), "cli");
  });
}
