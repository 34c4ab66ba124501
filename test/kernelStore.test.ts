import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinModels, compileModel, resolveModel } from "../src/models/index.js";
import { stepProgram } from "../src/program/build.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";
import { fileKernelStore } from "../src/wasm/fileStore.js";
import { wasmKernel } from "../src/wasm/kernel.js";
import { fusedRunner, generatedKernels, WASM_METHODS, wasmSimdAvailable } from "../src/wasm/run.js";
import { useKernelStore } from "../src/wasm/store.js";

// A file of its own: the runner caches kernels per process, and these tests need it fresh.

/** The kernels `npm run build` generated (scripts/kernels.mjs); the test command builds first. */
const dir = new URL("../dist/wasm/kernels/", import.meta.url);
const system = (model: Parameters<typeof membraneSystem>[0]["model"], n = 2) =>
  membraneSystem({ model, n, stimulus: stepCurrent({ amplitude: Array.from({ length: n }, (_, i) => i), start: 0, stop: 10 }, n) });

describe.runIf(wasmSimdAvailable)("the store of kernels generated ahead of time", () => {
  it("gives every built-in model's kernels (each method: exact long and short, fast math), each equal to a fresh generation byte for byte", () => {
    const files = fileKernelStore(dir);
    const asked = new Map<string, string>(); // key → model name
    let model = "";
    useKernelStore({
      get(key) {
        asked.set(key, model);
        return files.get(key);
      },
    });
    try {
      for (const [name, m] of Object.entries(builtinModels)) {
        model = name;
        const s = system(m);
        for (const method of WASM_METHODS) {
          if (!fusedRunner(s, method, false)) {
            // a model the kernel does not compile (the store was asked, in vain)
            for (const [key, of] of asked) if (of === name) asked.delete(key);
            break;
          }
          expect(fusedRunner(s, method, false, 1)).toBeDefined();
          expect(fusedRunner(s, method, true)).toBeDefined();
        }
      }
    } finally {
      useKernelStore(undefined);
    }
    expect(generatedKernels().size).toBe(0); // every one came from the store
    // lab and traub-miles share theirs (the same rate laws): 12 distinct kernels a method for 5 models, measured
    expect(asked.size).toBe(12 * WASM_METHODS.length);
    expect(readdirSync(dir).filter((f) => f.endsWith(".json")).length).toBe(asked.size);
    for (const [key, name] of asked) {
      const [variant, form, phi, method, uniform] = (key.split("\n")[0] as string).split(" ") as [string, string, string, string, string];
      const fused = variant === "fast-fused"; // where this engine fuses relaxed SIMD's multiply–add (as the build's did)
      const fast = variant === "fast" || fused;
      const program = stepProgram(compileModel(resolveModel(name)), method, { phi: [...phi].map((b) => b === "1"), fast });
      // every parameter uniform, the amplitude not (the kernel of an f–I sweep)
      expect(uniform).toBe(`uniform:${program.params.join(",")}`);
      const fresh = wasmKernel(program, fast, form === "outlined", program.params, fused);
      const stored = files.get(key);
      expect(Buffer.from(stored?.bytes ?? []).equals(Buffer.from(fresh.bytes)), `${name}: ${variant} ${form}`).toBe(true);
      expect(stored?.arrays).toEqual(fresh.arrays);
    }
  });

  it("answers only for the key a file was written for", () => {
    const files = fileKernelStore(dir);
    const [file] = readdirSync(dir).filter((f) => f.endsWith(".json"));
    const { key } = JSON.parse(readFileSync(new URL(file as string, dir), "utf8")) as { key: string };
    expect(files.get(key)).toBeDefined();
    expect(files.get(`${key} `)).toBeUndefined();
    expect(fileKernelStore(new URL("./no-such-folder/", dir)).get(key)).toBeUndefined();
  });

  it("is asked before a kernel is generated; what it lacks is generated and run", () => {
    const asked: string[] = [];
    // a model of its own (rate factors on every gate), so no kernel of it exists yet
    const lab = resolveModel("lab");
    const model = { ...lab, channels: lab.channels.map((c) => ({ ...c, gates: c.gates.map((g) => ({ ...g, rate_factor: 1.5 })) })) };
    useKernelStore({
      get(key) {
        asked.push(key);
        return undefined;
      },
    });
    try {
      expect(system(model, 4).fusedEuler?.(false, 400)).toBeDefined();
    } finally {
      useKernelStore(undefined);
    }
    expect(asked.length).toBe(1);
    expect(generatedKernels().has(asked[0] as string)).toBe(true);
  });
});
