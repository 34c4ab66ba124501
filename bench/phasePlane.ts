/**
 * Time of one phase-plane redraw's computation (nullclines on the default 200×200 grid, 20×20 arrows, fixed
 * points, separatrices) as when a parameter moves: a fresh field at a new current each time, one core.
 * `npx tsx bench/phasePlane.ts [redraws]`; prints the median and range of CPU ms per redraw for Morris–Lecar
 * (SNLC set) and the hh1952 V–n reduction. Not a test: the machine is shared and noisy.
 */
import { vectorField } from "../src/dynamics/field.js";
import { phasePlane } from "../src/dynamics/phasePlane.js";
import { hh1952, morrisLecarSnlc } from "../src/models/index.js";

const redraws = Number(process.argv[2] ?? 15);
const cases = [
  { name: "morris-lecar-snlc", model: morrisLecarSnlc, I0: 30, o: { xRange: [-80, 60], yRange: [-0.05, 0.6] } as const },
  {
    name: "hh1952 V–n (m = m∞, h frozen)",
    model: hh1952,
    I0: 0,
    o: { x: "V", y: "n", xRange: [-90, 40], yRange: [0, 1], frozen: { h: 0.596 } } as const,
  },
];
for (const c of cases) {
  const ms: number[] = [];
  for (let k = 0; k < redraws; k++) {
    const c0 = process.cpuUsage();
    phasePlane(vectorField(c.model, { I: c.I0 + 0.37 * k }), c.o);
    const u = process.cpuUsage(c0);
    ms.push((u.user + u.system) / 1000);
  }
  const warm = ms.slice(2).sort((a, b) => a - b);
  console.log(
    `${c.name}: median ${warm[warm.length >> 1]?.toFixed(1)} ms cpu, range ${warm[0]?.toFixed(1)}–${warm.at(-1)?.toFixed(1)} (first ${ms[0]?.toFixed(0)} ms)`,
  );
}
