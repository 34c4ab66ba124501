import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../src/index.js";
import { nmodlToModel } from "../src/models/nmodl/index.js";

// The built CLI, as users run it (npm test builds it first).
const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/nmodl/${path}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "spikelab-nmodl-"));

describe("NMODL in the CLI", () => {
  it("`--model hh.mod` fires the built-in hh1952's spikes (the same numbers)", () => {
    const args = ["--amplitude", "10", "--start-ms", "10", "--stop-ms", "40", "--duration-ms", "50", "--json", "--record", "none"];
    const mod = JSON.parse(spikelab("run", "--model", fixture("nrn/hh.mod"), ...args));
    const builtin = JSON.parse(spikelab("run", "--model", "hh1952", ...args));
    expect(mod.spike_times_ms.length).toBeGreaterThan(1);
    expect(mod.spike_times_ms).toEqual(builtin.spike_times_ms);
  });

  it("`--param celsius` reaches the import where celsius is bound (Mainen's tadj on the conductance)", () => {
    const args = ["--model", fixture("published/mainen1996/na.mod"), "--amplitude", "20", "--json", "--record", "none"];
    const at37 = JSON.parse(spikelab("run", ...args, "--param", "celsius=37"));
    const model = nmodlToModel({ file: "na.mod", text: readFileSync(fixture("published/mainen1996/na.mod"), "utf8") }, { celsius: 37 });
    const lib = simulate({
      model,
      stimulus: { amplitude_uA_per_cm2: 20, start_ms: 10, stop_ms: 20 },
      duration_ms: 50,
      dt_ms: 0.025,
      record: { variables: [] },
    });
    expect(at37.spike_times_ms.length).toBeGreaterThan(0);
    expect(at37.spike_times_ms).toEqual(Array.from(lib.spikes.t_ms));
    expect(JSON.parse(spikelab("run", ...args)).spike_times_ms).toEqual([]); // NEURON's default 6.3 °C: tadj 0.33
  });

  it("`model show FILE.mod` prints the translated model, which loads back as a model file", () => {
    const shown = spikelab("model", "show", fixture("hay2011/NaTa_t.mod"));
    const m = JSON.parse(shown);
    expect(m.channels.map((c: { name: string }) => c.name)).toEqual(["NaTa_t", "pas"]);
    expect(m.source).toMatch(/singularity guards \(line 62, 70\)/);
    const file = join(dir, "NaTa_t.json");
    writeFileSync(file, shown);
    expect(spikelab("model", "check", file)).toMatch(/^NaTa_t: NMODL: NaTa_t \+ pas\nstate: V, m, h\n/);
  });

  it("a cell file of .mod mechanisms works as --model (backward Euler: forward Euler at dt 0.025 ms diverges with 2040 mS/cm² of Na)", () => {
    const out = JSON.parse(
      spikelab(
        "fi",
        "--model",
        fixture("hay2011/soma.cell.json"),
        "--from",
        "0",
        "--to",
        "4",
        "--steps",
        "3",
        "--json",
        "--duration-ms",
        "300",
        "--start-ms",
        "100",
        "--stop-ms",
        "300",
        "--method",
        "backward-euler",
      ),
    );
    expect(out.spike_counts[0]).toBe(0);
    expect(out.spike_counts[2]).toBeGreaterThan(5);
  });

  it("a cell file's .mod files must lie in its folder or below (as NeuroML includes)", () => {
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "Ih.mod"), readFileSync(fixture("hay2011/Ih.mod"), "utf8"));
    writeFileSync(join(dir, "sub", "cell.json"), JSON.stringify({ mechanisms: ["../Ih.mod"] }));
    const r = run("run", "--model", join(dir, "sub", "cell.json"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^spikelab: NMODL mechanism "\.\.\/Ih\.mod" in .*cell\.json must be a \.mod file in the folder of .*cell\.json or below it; got "\.\.\/Ih\.mod"\n$/,
    );
  });

  it.each([
    ["a VERBATIM block", "NEURON { SUFFIX x }\nVERBATIM\nreturn 0;\nENDVERBATIM\n", /^spikelab: bad\.mod:2: VERBATIM/],
    ["a POINT_PROCESS", "NEURON { POINT_PROCESS syn }\n", /^spikelab: bad\.mod:1: POINT_PROCESS is not supported/],
    ["a syntax error", "NEURON { SUFFIX x\n", /^spikelab: bad\.mod:2: expected a NEURON statement; got the end of the file/],
  ])("%s: one line naming file and line, exit 2", (_what, text, message) => {
    const file = join(dir, "bad.mod");
    writeFileSync(file, text);
    const r = run("run", "--model", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
