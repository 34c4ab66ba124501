import { SpikelabError } from "../errors.js";
import { runBatch } from "./batch.js";
import { parseSweepSpec, type SweepSpecInput } from "./spec.js";

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
