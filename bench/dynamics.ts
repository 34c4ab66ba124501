/**
 * Time of the whole hh1952 bifurcation diagram as `spikelab dynamics bifurcation` makes it, one process, one
 * core: equilibria, the cycle branches with their folds, excitability; then the simulated f–I overlay (41
 * amplitudes as the neurons of ONE batched rk4 run, dt 0.05 ms: the rates equal dt 0.01 ms's, 1000 ms steps), the rheobase (bisection inside the
 * bracket the f–I run gives) and the figure (SVG and PNG). `npx tsx bench/dynamics.ts [runs]`. Prints CPU and wall
 * time of each part per run (the first includes compilation). Not a test: the machine is shared and noisy.
 */
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { fiCurve, linspace } from "../src/experiments/fi.js";
import { rheobase } from "../src/experiments/rheobase.js";
import { hh1952 } from "../src/models/index.js";
import { bifurcationFigure } from "../src/plot/bifurcationFigure.js";
import { svgDocument, svgToPng } from "../src/plot/node.js";

const runs = Number(process.argv[2] ?? 3);
const parameters = { EL: -54.401 };
const timed = <T>(f: () => T): [T, number, number] => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1e6, (performance.now() - t0) / 1000];
};
for (let k = 0; k < runs; k++) {
  const [d, cd, wd] = timed(() => bifurcationDiagram(hh1952, { from: 0, to: 200, parameters }));
  const protocol = { model: hh1952, parameters, start_ms: 100, stop_ms: 1100, duration_ms: 1100, dt_ms: 0.05, method: "rk4" };
  const [f, cf, wf] = timed(() => fiCurve({ ...protocol, amplitudes: linspace(0, 200, 41), spike_threshold_mV: -30 }));
  const i = f.spike_counts.findIndex((c) => c > 0);
  const bracket = [f.amplitudes_uA_per_cm2[i - 1] as number, f.amplitudes_uA_per_cm2[i] as number] as const;
  const [rb, cr, wr] = timed(
    () => rheobase({ ...protocol, spike_threshold_mV: -30, tolerance_uA_per_cm2: 0.01, bracket_uA_per_cm2: bracket }).rheobase_uA_per_cm2,
  );
  const [, cp, wp] = timed(() => {
    const svg = bifurcationFigure(svgDocument(), {
      diagram: d,
      simulated: { label: "f–I", amplitudes_uA_per_cm2: f.amplitudes_uA_per_cm2, rates_Hz: f.rates_Hz },
      rheobase_uA_per_cm2: rb,
      title: "hh1952",
    });
    return svgToPng(svg);
  });
  const steps = d.cycles.reduce((s, c) => s + c.points.length, 0);
  const s = (c: number, w: number) => `${c.toFixed(2)} s cpu (${w.toFixed(2)} wall)`;
  console.log(
    `run ${k + 1}: diagram ${s(cd, wd)} [${d.equilibria.points.length} equilibria, ${steps} cycles]; f–I overlay ${s(cf, wf)}; rheobase ${rb?.toFixed(3)} ${s(cr, wr)}; figure+PNG ${s(cp, wp)}; total ${s(cd + cf + cr + cp, wd + wf + wr + wp)}`,
  );
}
