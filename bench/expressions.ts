/**
 * Cost of expression-compiled rate laws: the lab model with every rate written as the notebook's
 * textbook expression (parsed, singularities rewritten through exprel, compiled with new Function)
 * against the built-in lab model in the standard forms, on the lab's f–I sweep (51 neurons, 200 ms,
 * forward Euler, dt 0.025 ms). Runs alternate to share machine noise; the median of each is reported.
 *
 *   npx tsx bench/expressions.ts [repeats=21]
 */
import { fiCurve, LAB_FI, lab, linspace, type NeuronModel } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";

const repeats = Number(process.argv[2] ?? 21);
const expressions = readModelFile(new URL("../test/fixtures/lab-textbook.json", import.meta.url).pathname);

const amplitudes = linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps);
const time = (model: NeuronModel) => {
  const t0 = performance.now();
  const f = fiCurve({ ...LAB_FI, model, amplitudes });
  const ms = performance.now() - t0;
  return { ms, counts: f.spike_counts.join(",") };
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

// warm up both paths (JIT)
for (let k = 0; k < 3; k++) {
  time(lab);
  time(expressions);
}
const builtin: number[] = [];
const expr: number[] = [];
for (let k = 0; k < repeats; k++) {
  const a = time(lab);
  const b = time(expressions);
  if (a.counts !== b.counts) throw new Error("the expression model's spike counts differ from the built-in's");
  builtin.push(a.ms);
  expr.push(b.ms);
}
const mb = median(builtin);
const me = median(expr);
console.log(`lab f–I sweep (51 neurons × 8000 Euler steps), median of ${repeats}, Node ${process.version}`);
console.log(`built-in standard forms: ${mb.toFixed(1)} ms`);
console.log(`expression-compiled:     ${me.toFixed(1)} ms`);
console.log(
  `ratio of medians expression/built-in: ${(me / mb).toFixed(3)} (${((me / mb - 1) * 100).toFixed(1)} % overhead; target ≤ 10 %)`,
);
// each pair ran back to back under the same machine load; the median of their ratios is the steadier number
const ratios = expr.map((e, k) => e / (builtin[k] as number));
console.log(`median of paired ratios: ${median(ratios).toFixed(3)}`);
