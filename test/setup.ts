// Every test process runs as the CLI does: on Node 20 with V8's WebAssembly relaxed SIMD switched on
// before any kernel compiles, so that the fast-math kernels fuse their multiply–adds as the CLI's do and
// the kernel store that `npm run build` wrote (with the same setting) answers (test/kernelStore.test.ts).
import { enableRelaxedSimd } from "../src/wasm/nodeFlags.js";

enableRelaxedSimd();
