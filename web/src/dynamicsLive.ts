/**
 * The live lab's run drawn in the Dynamics view's phase plane: the run's traces of the plane's two states
 * (V and a gate), as the lab's worker sent them, for the figure's `simulated` overlay. The run is the full
 * model under the lab's own protocol (the step is on only between its start and stop), so the label says so.
 */
import type { RunReply } from "./protocol.js";

export interface LiveTrajectory {
  /** The lab's run this comes from (its request id). */
  readonly id: number;
  readonly label: string;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export interface LiveProtocol {
  readonly amplitude: number;
  readonly start: number;
  readonly stop: number;
  readonly duration: number;
}

/**
 * The run's trajectory in the (x, y) plane, or undefined when the run did not record both states (a plane of
 * states the lab does not trace). Points where either is not finite are dropped.
 */
export function liveTrajectory(reply: Pick<RunReply, "id" | "traces">, x: string, y: string, p: LiveProtocol): LiveTrajectory | undefined {
  const xs = reply.traces[x];
  const ys = reply.traces[y];
  if (!xs || !ys || xs.length !== ys.length || xs.length === 0) return undefined;
  const keep: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) keep.push(i);
  return {
    id: reply.id,
    label: `the live lab's run (full model, ${p.amplitude} µA/cm² on [${p.start}, ${p.stop}) ms, 0–${p.duration} ms)`,
    x: Float64Array.from(keep, (i) => xs[i] as number),
    y: Float64Array.from(keep, (i) => ys[i] as number),
  };
}
