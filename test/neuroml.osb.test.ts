/**
 * NeuroML 2 import of real files (issue 18): OSB's WangBuzsaki cell against the built-in model, the outcome of
 * every vendored channel file, and the densities and gates computed at import (VShift, Nernst,
 * q10ConductanceScaling, instantaneous) against hand-written equivalent models.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type NeuronModel, neuromlChannels, neuromlToModel, parseModel, simulate } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";

const path = (name: string) => fileURLToPath(new URL(`./fixtures/neuroml/${name}`, import.meta.url));
const doc = (name: string) => ({ name, text: readFileSync(path(name), "utf8") });

/** Spike times (ms) of a run at tight tolerance. */
const spikeTimes = (model: string | NeuronModel, amplitude: number, parameters: Record<string, number> = {}, duration_ms = 100) =>
  Array.from(
    simulate({
      model,
      method: "rk45",
      rtol: 1e-10,
      atol: 1e-12,
      parameters,
      stimulus: { amplitude_uA_per_cm2: amplitude, start_ms: 10, stop_ms: duration_ms },
      duration_ms,
      dt_ms: 0.05,
      record: { variables: [] },
    }).spikes.t_ms,
  );

const expectSameSpikes = (a: number[], b: number[], tol_ms: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(tol_ms);
};

describe("OSB WangBuzsaki.cell.nml (gateHHratesInstantaneous, q10Fixed)", () => {
  const imported = readModelFile(path("WangBuzsaki1996/WangBuzsaki.cell.nml"));
  it("imports m as instantaneous and φ = 5 as rate_factor", () => {
    const na = imported.channels.find((c) => c.name === "Na");
    expect(na?.gates.map((g) => [g.name, g.instantaneous ?? false, g.rate_factor])).toEqual([
      ["m", true, undefined],
      ["h", false, 5],
    ]);
    expect(imported.v0_mV).toBe(-70);
  });
  it.each([1, 5])("fires the built-in wang-buzsaki's spikes (same V0 −70 mV) to 1e-6 ms at %d µA/cm²", (amplitude) => {
    const reference = spikeTimes("wang-buzsaki", amplitude, { V0: -70 });
    expect(reference.length).toBeGreaterThan(3);
    expectSameSpikes(spikeTimes(imported, amplitude), reference, 1e-6);
  });
});

/**
 * Every vendored channel file and what the import makes of it: the channel ids and gates it loads, or the
 * refusal (which names the element, file and line).
 */
const CHANNEL_FILES: [file: string, outcome: string | RegExp][] = [
  ["WangBuzsaki1996/WangBuzsaki.cell.nml", "leak[] na_chan[m,h] k_chan[n]"],
  ["PospischilEtAl2008/channels/IL/IL.channel.nml", "IL[q,r]"],
  ["PospischilEtAl2008/channels/IM/IM.channel.nml", "IM[p]"],
  ["PospischilEtAl2008/channels/IT/IT.channel.nml", "IT[s,u]"],
  ["PospischilEtAl2008/channels/Kd/Kd.channel.nml", "Kd[n]"],
  ["PospischilEtAl2008/channels/Leak/Leak.channel.nml", "LeakConductance[]"],
  ["PospischilEtAl2008/channels/Na/Na.channel.nml", "Na[m,h]"],
  ["SmithEtAl2013/ca.channel.nml", "ca[m,h]"],
  ["SmithEtAl2013/it.channel.nml", "it[m,h]"],
  [
    "SmithEtAl2013/kca.channel.nml",
    /<DerivedVariable name="ca_conc"> \(file SmithEtAl2013\/kca\.channel\.nml, line 34\): calcium concentration/,
  ],
  ["SmithEtAl2013/km.channel.nml", "km[n]"],
  ["SmithEtAl2013/kv.channel.nml", "kv[n]"],
  ["SmithEtAl2013/na.channel.nml", "na[m,h]"],
  ["SmithEtAl2013/pas.channel.nml", "pas[]"],
  ["HayEtAl2011/Ca_HVA.channel.nml", "Ca_HVA[m,h]"],
  ["HayEtAl2011/Ca_LVAst.channel.nml", "Ca_LVAst[m,h]"],
  ["HayEtAl2011/Ih.channel.nml", "Ih[m]"],
  ["HayEtAl2011/Im.channel.nml", "Im[m]"],
  [
    "HayEtAl2011/K_Pst.channel.nml",
    /<Case> \(file HayEtAl2011\/K_Pst\.channel\.nml, line 61\): condition "V {2}\.lt\. \( -60 \)" makes a piecewise function of V/,
  ],
  ["HayEtAl2011/K_Tst.channel.nml", "K_Tst[m,h]"],
  ["HayEtAl2011/NaTa_t.channel.nml", "NaTa_t[m,h]"],
  ["HayEtAl2011/Nap_Et2.channel.nml", "Nap_Et2[m,h]"],
  [
    "HayEtAl2011/SK_E2.channel.nml",
    /<DerivedVariable name="ca_conc"> \(file HayEtAl2011\/SK_E2\.channel\.nml, line 65\): calcium concentration/,
  ],
  ["HayEtAl2011/SKv3_1.channel.nml", "SKv3_1[m]"],
  ["HayEtAl2011/pas.channel.nml", "pas[]"],
  ["NeuroML2/Ca_pyr.channel.nml", "Ca_pyr[m,h]"],
  [
    "NeuroML2/Kahp_pyr.channel.nml",
    /<DerivedVariable name="ca_conc"> \(file NeuroML2\/Kahp_pyr\.channel\.nml, line 72\): calcium concentration/,
  ],
  ["NeuroML2/Kdr_pyr.channel.nml", "Kdr_pyr[n]"],
  ["NeuroML2/LeakConductance_pyr.channel.nml", "LeakConductance_pyr[]"],
  ["NeuroML2/Na_pyr.channel.nml", "Na_pyr[m,h]"],
  ["NeuroML2/NML2_SimpleIonChannel.nml", "NaConductance[m,h]"],
  ["NeuroML2/NML2_SingleCompHHCell.nml", "passiveChan[] naChan[m,h] kChan[n]"],
];

const outcome = (file: string): string => {
  try {
    return neuromlChannels([doc(file)])
      .map((c) => `${c.id}[${c.gates.map((g) => g.name).join(",")}]`)
      .join(" ");
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
};

describe("real channel files", () => {
  it.each(CHANNEL_FILES)("%s", (file, expected) => {
    const got = outcome(file);
    if (typeof expected === "string") expect(got).toBe(expected);
    else expect(got).toMatch(expected);
  });
  it("at least 26 of every 30 load", () => {
    const loaded = CHANNEL_FILES.filter(([f]) => !outcome(f).startsWith("refused")).length;
    expect(CHANNEL_FILES.length).toBeGreaterThanOrEqual(30);
    expect(loaded / CHANNEL_FILES.length).toBeGreaterThanOrEqual(26 / 30);
  });
});
