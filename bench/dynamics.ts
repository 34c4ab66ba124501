/**
 * Time of the whole hh1952 bifurcation diagram (equilibria, the cycle branch from the Hopf point with its
 * folds, excitability), one process, one core: `npx tsx bench/dynamics.ts [runs]`. Prints wall and CPU time
 * of each run (the first includes compilation). Not a test: the machine is shared and noisy.
 */
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { hh1952 } from "../src/models/index.js";

const runs = Number(process.argv[2] ?? 3);
for (let k = 0; k < runs; k++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const d = bifurcationDiagram(hh1952, { from: 0, to: 200, parameters: { EL: -54.401 } });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const steps = d.cycles.reduce((s, c) => s + c.points.length, 0);
  console.log(
    `run ${k + 1}: wall ${(wall / 1000).toFixed(2)} s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; ${d.equilibria.points.length} equilibria, ${steps} cycles, ${d.points.length} named points`,
  );
}
