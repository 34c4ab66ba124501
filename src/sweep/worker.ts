import { setFlagsFromString } from "node:v8";
import { SpikelabError } from "../errors.js";
import { runBatch } from "./batch.js";
import { parseSweepSpec, type SweepSpecInput } from "./spec.js";

// A worker runs long batches: compile WebAssembly kernels with the optimizing tier at once rather
// than starting in the baseline tier (Liftoff) and waiting for a background recompilation.
setFlagsFromString("--no-liftoff");

/**
 * A piscina task: one batch of grid points. A SpikelabError (bad input, divergence) comes back as
 * data, since an error thrown across threads loses its class; the pool throws it again.
 */
export default function task({ spec, indices }: { spec: SweepSpecInput; indices: Int32Array }) {
  try {
    return runBatch(parseSweepSpec(spec), indices);
  } catch (e) {
    if (e instanceof SpikelabError) return { spikelabError: { name: e.name, message: e.message } };
    throw e;
  }
}
