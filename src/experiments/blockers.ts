import { InvalidArgumentError, invalid } from "../errors.js";
import { channelScale, scaleParameter } from "../models/parameters.js";
import type { ChannelDefinition, NeuronModel } from "../models/types.js";

/**
 * The channel blockers of the teaching lab. TTX (tetrodotoxin) blocks the voltage-gated Na channel; TEA
 * (tetraethylammonium) blocks the delayed-rectifier K channel.
 */
export type BlockerName = "TTX" | "TEA";

/** The blockers, in the order the lab and the CLI list them. */
export const BLOCKERS: readonly BlockerName[] = ["TTX", "TEA"];

/** A blocker and the fraction of its channels' conductance it blocks: 1 is a full block, 0.5 halves the conductance. */
export type Blocks = Readonly<Partial<Record<BlockerName, number>>>;

/**
 * One conductance a blocker scales: the channel, its parameter `g<name>` (a GHK channel's permeability `P<name>`:
 * TTX blocks a Na channel whichever law its current follows) and the factor (1 − fraction).
 */
export interface BlockedConductance {
  readonly blocker: BlockerName;
  readonly channel: string;
  /** The model parameter that holds the channel's maximal conductance, e.g. "gNa" (a GHK channel's permeability, "PNa"). */
  readonly parameter: string;
  /** The factor on the conductance, 1 − fraction (0 for a full block). */
  readonly factor: number;
}

const norm = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, "");

/** What each blocker hits, in words (for messages and the lab's labels). */
export const BLOCKER_TARGET: Readonly<Record<BlockerName, string>> = {
  TTX: "the Na channel",
  TEA: "the delayed-rectifier K channel",
};

/**
 * Which of a model's channels a blocker hits, found from the model's own data, never guessed:
 * TTX hits every channel that carries Na (its `ion` is "na", or, without an `ion`, its name is Na, or begins with
 * Na followed by a non-letter or an upper-case letter: Na, NaT, Na_p); TEA hits the delayed-rectifier K channel
 * (a channel named K, Kdr or K_DR; else, when exactly one channel carries K (`ion` "k"), that one). The A-type
 * K current (Connor–Stevens' A) and Ca channels are left alone. An empty list means the blocker does not apply.
 */
export function blockedChannels(model: NeuronModel, blocker: BlockerName): ChannelDefinition[] {
  const chs = model.channels.filter((c) => c.gates.length > 0);
  if (blocker === "TTX")
    return chs.filter((c) => (c.ion === undefined ? /^(na|Na)($|[^a-z])/.test(c.name) || norm(c.name) === "na" : norm(c.ion) === "na"));
  const named = chs.filter((c) => ["k", "kdr"].includes(norm(c.name)) && (c.ion === undefined || norm(c.ion) === "k"));
  if (named.length) return named;
  const carriesK = chs.filter((c) => c.ion !== undefined && norm(c.ion) === "k");
  return carriesK.length === 1 ? carriesK : [];
}

/** A channel's own conductance (mS/cm²) or, for a GHK channel, permeability (cm/s). */
const scaleOf = (model: NeuronModel, channel: string): number =>
  channelScale(model.channels.find((c) => c.name === channel) as ChannelDefinition);

/** Checks a block fraction: a number in [0, 1]. */
export function checkBlockFraction(blocker: string, fraction: unknown): number {
  if (typeof fraction !== "number" || !Number.isFinite(fraction) || fraction < 0 || fraction > 1)
    throw invalid(`the ${blocker} block fraction`, fraction, "a number in [0, 1] (1 blocks the whole conductance)");
  return fraction;
}

/**
 * The conductances that `blocks` scale in `model`. Throws a one-line InvalidArgumentError naming the model and
 * its channels when a blocker has no channel to act on (e.g. TTX on a model without Na).
 */
export function blockedConductances(model: NeuronModel, blocks: Blocks): BlockedConductance[] {
  const out: BlockedConductance[] = [];
  for (const [name, fraction] of Object.entries(blocks)) {
    if (fraction === undefined) continue;
    if (!(BLOCKERS as readonly string[]).includes(name)) throw invalid("a blocker", name, `one of ${BLOCKERS.join(", ")}`);
    const blocker = name as BlockerName;
    const f = checkBlockFraction(blocker, fraction);
    const channels = blockedChannels(model, blocker);
    if (channels.length === 0)
      throw new InvalidArgumentError(
        `${blocker} blocks ${BLOCKER_TARGET[blocker]}, which the model ${model.name} does not have (its channels: ${model.channels.map((c) => c.name).join(", ")})`,
      );
    for (const c of channels) out.push({ blocker, channel: c.name, parameter: scaleParameter(c), factor: 1 - f });
  }
  return out;
}

/**
 * The parameters of a run with channels blocked: each blocked channel's conductance `g<name>` (the value in
 * `parameters`, else the model's default) times (1 − fraction). A 50 % TTX block on the lab model gives gNa 25
 * instead of 50: the same run as `--param gNa=25`, bit for bit. The other parameters are passed on unchanged.
 */
export function blockParameters(
  model: NeuronModel,
  blocks: Blocks,
  parameters: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const out: Record<string, number> = { ...parameters };
  for (const b of blockedConductances(model, blocks)) {
    out[b.parameter] = (parameters[b.parameter] ?? scaleOf(model, b.channel)) * b.factor;
  }
  return out;
}

/**
 * Parses one `NAME=FRACTION` block (the CLI's `--block TTX=0.5`; `TTX` alone is a full block). Names are
 * case-insensitive. Throws a one-line InvalidArgumentError naming the flag, the value and what is allowed.
 */
export function parseBlock(raw: string, flag = "--block"): [BlockerName, number] {
  const m = /^\s*([A-Za-z]+)\s*(?:=\s*(.*?)\s*)?$/.exec(raw);
  const name = m?.[1]?.toUpperCase();
  if (!m || !name || !(BLOCKERS as readonly string[]).includes(name))
    throw new InvalidArgumentError(
      `${flag} must be BLOCKER=FRACTION with BLOCKER one of ${BLOCKERS.join(", ")} (e.g. TTX=0.5); got "${raw}"`,
    );
  const text = m[2];
  const f = text === undefined ? 1 : text.trim() === "" ? Number.NaN : Number(text);
  if (!(Number.isFinite(f) && f >= 0 && f <= 1))
    throw new InvalidArgumentError(`${flag} ${name} must be a fraction in [0, 1] (1 blocks the whole conductance); got "${text ?? ""}"`);
  return [name as BlockerName, f];
}

/** How a set of blocks reads in a legend: "TTX 50 %, TEA 100 %" ("" when nothing is blocked). */
export const blocksLabel = (blocks: Blocks): string =>
  BLOCKERS.filter((b) => blocks[b] !== undefined)
    .map((b) => `${b} ${Number(((blocks[b] as number) * 100).toPrecision(12))} %`)
    .join(", ");

/**
 * A grid (a sweep's fixed parameters and axes) with channels blocked: a blocked conductance that is an axis has
 * each of its values scaled by (1 − fraction); otherwise it is blocked as a fixed parameter (see blockParameters).
 */
export function blockGrid<A extends { readonly name: string; readonly values: readonly number[] }>(
  model: NeuronModel,
  blocks: Blocks,
  parameters: Readonly<Record<string, number>>,
  axes: readonly A[],
): { parameters: Record<string, number>; axes: A[] } {
  const out = { parameters: { ...parameters }, axes: [...axes] };
  for (const b of blockedConductances(model, blocks)) {
    const k = out.axes.findIndex((a) => a.name === b.parameter);
    const axis = out.axes[k];
    if (axis) out.axes[k] = { ...axis, values: axis.values.map((v) => v * b.factor) };
    else out.parameters[b.parameter] = (parameters[b.parameter] ?? scaleOf(model, b.channel)) * b.factor;
  }
  return out;
}
