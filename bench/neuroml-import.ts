/**
 * Time to import a 12-channel NeuroML cell (issue 18: < 100 ms): the 9 Hay et al. 2011 channels that load
 * (NaTa_t, Nap_Et2, K_Tst, SKv3_1, Ca_HVA, Ca_LVAst, Ih, Im, pas; 4 of them with LEMS ComponentTypes) and
 * the squid-axon Na, K and leak, in 13 documents held in memory (no disk): XML parsing, LEMS expressions,
 * checks and kernel compilation (`neuromlToModel`). The first (cold) import and the median of warm ones.
 *
 *   npx tsx bench/neuroml-import.ts [repeats=21]
 */
import { readFileSync } from "node:fs";
import { neuromlToModel } from "../src/index.js";

const repeats = Number(process.argv[2] ?? 21);
const fixture = (name: string) => ({ name, text: readFileSync(new URL(`../test/fixtures/neuroml/${name}`, import.meta.url), "utf8") });
const hay = ["NaTa_t", "Nap_Et2", "K_Tst", "SKv3_1", "Ca_HVA", "Ca_LVAst", "Ih", "Im", "pas"];
const densities = [
  ...hay.map(
    (c) =>
      `<channelDensity id="${c}_d" ionChannel="${c}" condDensity="0.1 mS_per_cm2" erev="${c.startsWith("Ca") ? 120 : c === "pas" ? -90 : -85} mV"/>`,
  ),
  '<channelDensity id="naD" ionChannel="NaConductance" condDensity="120 mS_per_cm2" erev="50 mV" ion="na"/>',
  '<channelDensity id="kD" ionChannel="KConductance" condDensity="36 mS_per_cm2" erev="-77 mV" ion="k"/>',
  '<channelDensity id="lD" ionChannel="LeakConductance" condDensity="0.3 mS_per_cm2" erev="-54.3 mV" ion="non_specific"/>',
];
const cell = {
  name: "cell12.nml",
  text: `<neuroml id="c12"><cell id="c12"><morphology id="m"><segment id="0"><proximal x="0" y="0" z="0" diameter="20"/><distal x="0" y="0" z="20" diameter="20"/></segment></morphology>
<biophysicalProperties id="b"><membraneProperties>${densities.join("\n")}<specificCapacitance value="1 uF_per_cm2"/><initMembPotential value="-65 mV"/></membraneProperties></biophysicalProperties></cell>
<network id="n" type="networkWithTemperature" temperature="34 degC"/></neuroml>`,
};
const documents = [
  ...hay.map((c) => fixture(`HayEtAl2011/${c}.channel.nml`)),
  ...["NaConductance", "KConductance", "LeakConductance"].map((c) => fixture(`${c}.channel.nml`)),
  cell,
];

const time = () => {
  const t0 = performance.now();
  const m = neuromlToModel(documents);
  return { ms: performance.now() - t0, channels: m.channels.length };
};
const cold = time();
const warm = Array.from({ length: repeats }, () => time().ms).sort((a, b) => a - b);
console.log(`channels: ${cold.channels}; bytes of NeuroML: ${documents.reduce((n, d) => n + d.text.length, 0)}`);
console.log(
  `first import (cold JIT): ${cold.ms.toFixed(1)} ms; warm median of ${repeats}: ${(warm[Math.floor(repeats / 2)] as number).toFixed(2)} ms (min ${(warm[0] as number).toFixed(2)})`,
);
