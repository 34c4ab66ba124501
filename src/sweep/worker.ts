import { runBatch } from "./batch.js";
import { parseSweepSpec, type SweepSpecInput } from "./spec.js";

/** A piscina task: one batch of grid points. */
export default function task({ spec, indices }: { spec: SweepSpecInput; indices: Int32Array }) {
  return runBatch(parseSweepSpec(spec), indices);
}
