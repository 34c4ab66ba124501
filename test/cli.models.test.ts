import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builtinModels } from "../src/index.js";

// The built CLI, as users run it (npm test builds it first).
const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fails = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "spikelab-models-"));

describe("the model commands", () => {
  it("`spikelab models` lists every built-in on one line each", () => {
    const lines = spikelab("models").trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(Object.keys(builtinModels));
  });

  it("`spikelab model show lab > lab.json && spikelab fi --model lab.json --json` gives the built-in lab's counts", () => {
    const file = join(dir, "lab.json");
    writeFileSync(file, spikelab("model", "show", "lab"));
    const fromFile = JSON.parse(spikelab("fi", "--model", file, "--json"));
    const builtin = JSON.parse(spikelab("fi", "--json"));
    expect(fromFile.spike_counts).toEqual(builtin.spike_counts);
    expect(fromFile.rates_Hz).toEqual(builtin.rates_Hz);
  });

  it("a file with gNa edited to 60 gives what `--param gNa=60` gives", () => {
    const m = JSON.parse(spikelab("model", "show", "lab"));
    m.channels[0].gMax_mS_per_cm2 = 60;
    const file = join(dir, "lab-gNa60.json");
    writeFileSync(file, JSON.stringify(m));
    const edited = JSON.parse(spikelab("fi", "--model", file, "--json", "--steps", "11"));
    const param = JSON.parse(spikelab("fi", "--param", "gNa=60", "--json", "--steps", "11"));
    expect(edited.spike_counts).toEqual(param.spike_counts);
  });

  it("YAML and NeuroML files work as --model", () => {
    const file = join(dir, "hh.yaml");
    writeFileSync(file, spikelab("model", "show", "hh1952", "--format", "yaml"));
    const nml = fileURLToPath(new URL("./fixtures/neuroml/HHCell.cell.nml", import.meta.url));
    const args = ["--amplitude", "10", "--start-ms", "5", "--stop-ms", "45", "--duration-ms", "50", "--json"];
    const builtin = JSON.parse(spikelab("run", "--model", "hh1952", ...args)).spike_times_ms;
    expect(JSON.parse(spikelab("run", "--model", file, ...args)).spike_times_ms).toEqual(builtin);
    expect(JSON.parse(spikelab("run", "--model", nml, ...args)).spike_times_ms).toEqual(builtin);
    // the cell gives no temperature: said on stderr; --param celsius is the import's temperature too
    expect(fails("run", "--model", nml, ...args).stderr).toMatch(/gives no temperature; the model runs at 6\.3 °C \(set --param celsius\)/);
    expect(fails("run", "--model", nml, "--param", "celsius=10", ...args).stderr).toBe("");
  });

  it("`spikelab model show FILE.nml` prints the imported model in spikelab's format, which runs to the same numbers", () => {
    const nml = fileURLToPath(new URL("./fixtures/neuroml/HayEtAl2011/Nap_Et2.channel.nml", import.meta.url));
    expect(fails("model", "show", nml).stderr).toMatch(/^spikelab: NeuroML documents have no <cell>/);
    const cell = fileURLToPath(new URL("./fixtures/neuroml/WangBuzsaki1996/WangBuzsaki.cell.nml", import.meta.url));
    const file = join(dir, "wb.json");
    writeFileSync(file, spikelab("model", "show", cell));
    expect(JSON.parse(spikelab("model", "show", cell, "--format", "json")).channels[0].gates[0].instantaneous).toBe(true);
    const args = ["--amplitude", "5", "--start-ms", "5", "--stop-ms", "95", "--duration-ms", "100", "--json"];
    const direct = JSON.parse(spikelab("run", "--model", cell, ...args)).spike_times_ms;
    expect(direct.length).toBeGreaterThan(3);
    expect(JSON.parse(spikelab("run", "--model", file, ...args)).spike_times_ms).toEqual(direct);
  });

  it("`spikelab model schema` prints a JSON Schema of the model file", () => {
    const schema = JSON.parse(spikelab("model", "schema"));
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(expect.arrayContaining(["name", "cm_uF_per_cm2", "v0_mV", "channels"]));
  });

  it("a bad model file exits 2 with one line naming the channel, gate and field", () => {
    const m = JSON.parse(spikelab("model", "show", "lab"));
    m.channels[0].gates[0].alpha = "0.32*(Vm+54)";
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(m));
    const r = fails("fi", "--model", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('channel Na, gate m, alpha: unknown name "Vm"');
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("an unknown model name or missing file names the built-ins", () => {
    const r = fails("run", "--model", "hh");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--model must be a built-in model (lab, hh1952, passive, traub-miles");
  });
});
