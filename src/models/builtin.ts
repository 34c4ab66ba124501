import type { NeuronModel } from "./types.js";

/**
 * The built-in models (filled in by models/index.ts). compileModel skips its grid check of their
 * rate laws, which test/models.test.ts runs on each of them instead: it is the largest part of a
 * CLI run's set-up (≈ 6 ms of `spikelab fi`'s, cold), and a built-in model never changes. Not
 * exported from the package: a user's model is always checked.
 */
export const builtinSet = new WeakSet<NeuronModel>();
