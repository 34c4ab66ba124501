/**
 * The channel blockers of the lab's state (TTX, TEA: a switch and the fraction blocked each) and their round trip
 * through the URL (`ttx=1&ttx.f=0.5`). Which channel a blocker hits, and the conductance it leaves, is the
 * library's (src/experiments/blockers.ts): every view runs the parameters `blockedParams` gives.
 */
import {
  BLOCKER_TARGET,
  BLOCKERS,
  type BlockerName,
  type Blocks,
  blockedChannels,
  blockGrid,
  blockParameters,
  type NeuronModel,
} from "./lib.js";
import { modelOf } from "./models.js";

/** Each blocker: switched on or not, and the fraction of its channels' conductance it blocks (0–1). */
export type BlockState = Record<BlockerName, { on: boolean; f: number }>;

export const defaultBlock = (): BlockState => ({ TTX: { on: false, f: 1 }, TEA: { on: false, f: 1 } });

/** The URL key of a blocker's switch ("ttx"); its fraction is `${key}.f`. */
export const blockKey = (b: BlockerName): string => b.toLowerCase();

/** Whether a blocker acts on a model (it has the channel the blocker hits). */
export const blockApplies = (m: NeuronModel | undefined, b: BlockerName): boolean => m !== undefined && blockedChannels(m, b).length > 0;

/** The blocks switched on that act on the model chosen (one that does not apply is marked as such beside its switch). */
export function activeBlocks(s: { model: string; block: BlockState }): Blocks {
  const m = modelOf(s.model);
  const out: Partial<Record<BlockerName, number>> = {};
  for (const b of BLOCKERS) if (s.block[b].on && blockApplies(m, b)) out[b] = s.block[b].f;
  return out;
}

/** The model parameters a run uses: the overrides, with the blocked conductances scaled (the library's blockParameters). */
export function blockedParams(s: { model: string; block: BlockState }, params: Record<string, number>): Record<string, number> {
  const m = modelOf(s.model);
  const blocks = activeBlocks(s);
  return m && Object.keys(blocks).length ? blockParameters(m, blocks, params) : { ...params };
}

/** A grid's fixed parameters and axes with the blocks applied (a blocked conductance on an axis has its values scaled). */
export function blockedGrid<A extends { name: string; values: number[] }>(
  s: { model: string; block: BlockState },
  parameters: Record<string, number>,
  axes: A[],
): { parameters: Record<string, number>; axes: A[] } {
  const m = modelOf(s.model);
  const blocks = activeBlocks(s);
  return m && Object.keys(blocks).length ? blockGrid(m, blocks, parameters, axes) : { parameters, axes };
}

const show = (v: number) => String(Number(v.toPrecision(6)));

/**
 * What a blocker does to the model chosen, in one sentence (the sidebar's note beside its switch, and the voltage
 * clamp's): "Blocks 50 %: gNa 50 → 25 mS/cm².", "Off (would block gNa 50 mS/cm²).", or why it does not apply.
 */
export function blockNote(s: { model: string; block: BlockState; params: Record<string, number> }, b: BlockerName): string {
  const m = modelOf(s.model);
  if (!m || !blockApplies(m, b))
    return `Does not apply: the model ${m?.name ?? s.model} has no ${BLOCKER_TARGET[b].replace(/^the /, "")} (its channels: ${m ? m.channels.map((c) => c.name).join(", ") : "unknown"}).`;
  const { f, on } = s.block[b];
  const parts = blockedChannels(m, b).map((c) => {
    // a GHK channel's scale is its permeability P<name> (cm/s)
    const name = `${c.ghk ? "P" : "g"}${c.name}`;
    const unit = c.ghk ? "cm/s" : "mS/cm²";
    const g = s.params[name] ?? c.ghk?.permeability_cm_per_s ?? (c.gMax_mS_per_cm2 as number);
    return on ? `${name} ${show(g)} → ${show(g * (1 - f))} ${unit}` : `${name} ${show(g)} ${unit}`;
  });
  return on ? `Blocks ${show(f * 100)} %: ${parts.join(", ")}.` : `Off (would block ${parts.join(", ")}).`;
}

/** Writes the blocks into a query: `ttx=1` when on, `ttx.f=F` when the fraction is not 1. */
export function blockToQuery(block: BlockState, q: URLSearchParams): void {
  for (const b of BLOCKERS) {
    if (block[b].on) q.set(blockKey(b), "1");
    if (block[b].f !== 1) q.set(`${blockKey(b)}.f`, String(block[b].f));
  }
}

/** A fraction from the URL: a number in [0, 1], else null. */
export const fractionOf = (v: string | null): number | null => {
  if (v === null || v.trim() === "") return null;
  const f = Number(v);
  return Number.isFinite(f) && f >= 0 && f <= 1 ? f : null;
};

/** The blocks a query gives; a bad value leaves the default (urlProblems says so). */
export function blockFromQuery(q: URLSearchParams): BlockState {
  const out = defaultBlock();
  for (const b of BLOCKERS) {
    out[b].on = q.get(blockKey(b)) === "1";
    out[b].f = fractionOf(q.get(`${blockKey(b)}.f`)) ?? 1;
  }
  return out;
}
