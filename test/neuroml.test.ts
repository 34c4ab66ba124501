import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hh1952, methodNames, type NeuronModel, neuromlChannels, neuromlToModel, simulate } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/neuroml/${name}`, import.meta.url));
const imported = readModelFile(fixture("HHCell.cell.nml"));

const spikes = (model: string | NeuronModel, method: string, celsius: number) =>
  Array.from(
    simulate({
      model,
      method,
      parameters: { celsius },
      stimulus: { amplitude_uA_per_cm2: 10, start_ms: 5, stop_ms: 45 },
      duration_ms: 50,
      dt_ms: 0.01,
      record: { variables: [] },
    }).spikes.t_ms,
  );

describe("NeuroML 2 import", () => {
  it("reads the HH sodium and potassium channels with their standard rate forms and q10", () => {
    const [na, k] = neuromlChannels([
      readFileSync(fixture("NaConductance.channel.nml"), "utf8"),
      readFileSync(fixture("KConductance.channel.nml"), "utf8"),
    ]);
    expect(na?.gates.map((g) => [g.name, g.power])).toEqual([
      ["m", 3],
      ["h", 1],
    ]);
    expect(k?.gates[0]).toEqual({
      name: "n",
      power: 4,
      alpha: { form: "expLinear", rate: 0.1, midpoint_mV: -55, scale_mV: 10 },
      beta: { form: "exp", rate: 0.125, midpoint_mV: -65, scale_mV: -80 },
      temperature: { q10: 3, reference_celsius: 6.3 },
    });
  });

  it("the cell with its included channels has hh1952's membrane, conductances and kinetics (units converted)", () => {
    expect(imported.cm_uF_per_cm2).toBe(hh1952.cm_uF_per_cm2);
    expect(imported.v0_mV).toBe(hh1952.v0_mV);
    expect(imported.celsius).toBe(hh1952.celsius);
    expect(imported.channels.map((c) => [c.name, c.gMax_mS_per_cm2, c.eRev_mV])).toEqual(
      hh1952.channels.map((c) => [c.name, c.gMax_mS_per_cm2, c.eRev_mV]),
    );
    imported.channels.forEach((c, i) => {
      const gates = hh1952.channels[i]!.gates.map((g) => ({ ...g, temperature: hh1952.temperature }));
      expect(c.gates).toEqual(gates);
    });
  });

  it.each(methodNames().flatMap((m) => [[m, 6.3] as const, [m, 16.3] as const]))(
    "reproduces hh1952's spike times exactly with method %s at %d °C",
    (method, celsius) => {
      const reference = spikes("hh1952", method, celsius);
      expect(reference.length).toBeGreaterThan(2);
      expect(spikes(imported, method, celsius)).toEqual(reference);
    },
  );

  it.each([
    ['<neuroml><cell id="c"/></neuroml>', 'NeuroML <cell id="c"> (document 1, line 1): has no inline <morphology>'],
    ["<neuroml/>", "NeuroML documents have no <cell>"],
    ["<notneuroml/>", "NeuroML document 1 has no <neuroml> root element"],
  ])("explains what is wrong with the cell in %s", (xml, message) => {
    expect(() => neuromlToModel([xml])).toThrow(message);
  });

  it.each([
    [
      '<neuroml><ionChannelHH id="x"><gateHHrates id="m" instances="1"><forwardRate type="HHWeirdRate" rate="1per_ms" midpoint="0mV" scale="1mV"/></gateHHrates></ionChannelHH></neuroml>',
      'NeuroML <forwardRate> (document 1, line 1): type "HHWeirdRate" is neither a standard form (HHExpRate, HHSigmoidRate, HHExpLinearRate',
    ],
    [
      '<neuroml><ionChannelHH id="x"><gateHHrates id="m" instances="1"><forwardRate type="HHExpRate" rate="1per_fortnight" midpoint="0mV" scale="1mV"/></gateHHrates></ionChannelHH></neuroml>',
      'NeuroML forwardRate rate at document 1, line 1 must be a number with a unit of per_ms or per_s or Hz or kHz; got "1per_fortnight"',
    ],
  ])("explains what is wrong with the channel in %s", (xml, message) => {
    expect(() => neuromlChannels([xml])).toThrow(message);
  });
});
