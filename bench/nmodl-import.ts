/**
 * NMODL import speed: 12 mechanisms (NEURON's hh.mod, the 8 Hay et al. 2011 files spikelab translates, and Mainen &
 * Sejnowski's na, kv, km) read from text, parsed, translated, checked and compiled into models, as
 * `--model FILE.mod` does for each. Reports the first pass (cold: the process's first parse, JIT not warm) and the
 * median of later passes; then the per-step cost of the hh.mod model against the built-in hh1952 (the same data, so
 * the same kernel) on an f–I sweep, alternating runs.
 *
 *   npx tsx bench/nmodl-import.ts [repeats=21]
 */
import { readFileSync } from "node:fs";
import { fiCurve, hh1952, LAB_FI, linspace, type NeuronModel } from "../src/index.js";
import { nmodlToModel } from "../src/models/nmodl/index.js";

const repeats = Number(process.argv[2] ?? 21);
const at = (path: string) => new URL(`../test/fixtures/nmodl/${path}`, import.meta.url).pathname;
const files = [
  "nrn/hh.mod",
  ...["Ca_HVA", "Ca_LVAst", "Ih", "Im", "K_Tst", "NaTa_t", "Nap_Et2", "SKv3_1"].map((f) => `hay2011/${f}.mod`),
  ...["na", "kv", "km"].map((f) => `published/mainen1996/${f}.mod`),
];
const texts = files.map((f) => ({ file: f.split("/").pop() as string, text: readFileSync(at(f), "utf8") }));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// wall time and this thread's CPU time (the machine is shared: CPU time is the steadier of the two)
const importAll = () => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const models = texts.map((s) => nmodlToModel(s));
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, models };
};
const cold = importAll();
const warm = Array.from({ length: repeats }, importAll);
console.log(
  `import of ${texts.length} mechanisms: first pass ${cold.ms.toFixed(1)} ms wall (${cold.cpu.toFixed(1)} ms CPU), ` +
    `median of ${repeats} later passes ${median(warm.map((w) => w.ms)).toFixed(1)} ms wall (${median(warm.map((w) => w.cpu)).toFixed(1)} ms CPU)`,
);

const hhMod = cold.models[0] as NeuronModel;
const amplitudes = linspace(0, 20, 51);
const sweep = (model: NeuronModel) => {
  const t0 = performance.now();
  const f = fiCurve({ ...LAB_FI, model, amplitudes });
  return { ms: performance.now() - t0, counts: f.spike_counts.join(",") };
};
for (let k = 0; k < 3; k++) {
  sweep(hh1952);
  sweep(hhMod);
}
const a: number[] = [];
const b: number[] = [];
for (let k = 0; k < Math.max(5, Math.round(repeats / 4)); k++) {
  const x = sweep(hh1952);
  const y = sweep(hhMod);
  if (x.counts !== y.counts) throw new Error("hh.mod and hh1952 gave different spike counts");
  a.push(x.ms);
  b.push(y.ms);
}
console.log(
  `f–I sweep (51 neurons × 8000 Euler steps): hh1952 ${median(a).toFixed(1)} ms, hh.mod ${median(b).toFixed(1)} ms, ratio ${(median(b) / median(a)).toFixed(3)} (same counts)`,
);
