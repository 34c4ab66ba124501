/**
 * Writes the WebAssembly kernels of the built-in models into dist/wasm/kernels/ (part of
 * `npm run build`, after tsc): the CLI and the sweep's worker threads read them back instead of
 * generating them (≈ 10 ms of a cold `spikelab fi`; ≈ 30 ms for RK4's). Each is generated here by the
 * same code that would generate it at run time, for the default parameters (uniform) and amplitudes that
 * differ by neuron, and every method with a
 * kernel: the exact kernel in both forms (long and short runs) and the fast-math one. test/wasm.test.ts checks every stored kernel against a
 * fresh generation. A model or parameter set not stored is generated at run time as before.
 */
import { builtinModels, membraneSystem, stepCurrent } from "../dist/index.js";
import { writeKernelStore } from "../dist/wasm/fileStore.js";
import { enableRelaxedSimd } from "../dist/wasm/nodeFlags.js";
import { fusedRunner, generatedKernels, WASM_METHODS } from "../dist/wasm/run.js";

// as the CLI: fast math's kernels fused where this machine fuses (their keys say which, wasm/run.ts)
enableRelaxedSimd();
for (const model of Object.values(builtinModels)) {
  // two amplitudes, the parameters the model's own: the kernel of an f–I sweep (an amplitude per
  // neuron, every parameter uniform; run.ts keys kernels by the arrays that are uniform)
  const system = membraneSystem({ model, n: 2, stimulus: stepCurrent({ amplitude: [0, 1], start: 0, stop: 1 }, 2) });
  for (const method of WASM_METHODS) {
    fusedRunner(system, method, false); // a long run's exact kernel
    fusedRunner(system, method, false, 1); // a short run's
    fusedRunner(system, method, true); // fast math
  }
}
const dir = new URL("../dist/wasm/kernels/", import.meta.url);
writeKernelStore(dir, generatedKernels());
console.log(`kernels: ${generatedKernels().size} written to dist/wasm/kernels/`);
