import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeSweep } from "../src/analysis/sweep.js";
import { abfEpochsOfSweep, readAbfHeader, readAbfSweep } from "../src/io/recordings/abf.js";
import { readNwbFile } from "../src/io/recordings/nwb.js";
import { openRecording } from "../src/io/recordings/open.js";
import { parseTextRecording } from "../src/io/recordings/text.js";
import { bytesSource } from "../src/io/recordings/types.js";

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

/** pyABF's header dump: `* name = \`value\`` lines. */
const dump = (name: string) => {
  const text = readFileSync(fixture(`abf/${name}.header.md`), "latin1");
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^\* (\w+) = `([^`]*)`/gm)) out[m[1] as string] ??= m[2] as string;
  return out;
};
const pyList = (s: string) => [...s.matchAll(/'([^']*)'/g)].map((m) => m[1]);
/** "array (1d) with values like: a, b, c, ..., x, y, z" → [[a, b, c], [x, y, z]] */
const likeValues = (s: string) => {
  const [head, tail] = (s.split(": ")[1] as string).split(", ..., ");
  return [head!.split(", ").map(Number), tail!.split(", ").map(Number)];
};

describe("ABF 1 and 2 headers and sweeps agree with pyABF's dumps of four real recordings", () => {
  it.each(["File_axon_5", "17o05027_ic_ramp", "190619B_0003", "File_axon_2"])("%s", (name) => {
    const d = dump(name);
    const src = bytesSource(new Uint8Array(readFileSync(fixture(`abf/${name}.abf`))));
    const h = readAbfHeader(src, name);
    expect(h.versionString).toBe(d.abfVersionString);
    expect(h.channelCount).toBe(Number(d.channelCount));
    expect(h.adcNames).toEqual(pyList(d.adcNames!));
    expect(h.adcUnits).toEqual(pyList(d.adcUnits!));
    expect(h.dacUnits[0]).toBe(pyList(d.dacUnits!)[0]);
    expect(h.sampleRate_Hz).toBe(Number(d.dataRate));
    expect(h.sweepCount).toBe(Number(d.sweepCount));
    expect(h.sweepPointCount).toBe(Number(d.sweepPointCount));
    expect(h.dataByteStart).toBe(Number(d.dataByteStart));
    expect(h.dataPointCount).toBe(Number(d.dataPointCount));
    expect(h.operationMode).toBe(Number(d.nOperationMode));
    expect(h.protocol).toBe(d.protocol);
    expect(h.creator).toBe(d.creator);
    // sweep 0 of channel 0: pyABF scales in float32 (5 decimals shown), spikelab in float64
    const s = readAbfSweep(src, h, 0, 0);
    const [first, last] = likeValues(d.sweepY!);
    first!.forEach((v, i) => {
      expect(Math.abs(s.y[i]! - v)).toBeLessThan(2e-5);
    });
    last!.forEach((v, i) => {
      expect(Math.abs(s.y[s.y.length - 3 + i]! - v)).toBeLessThan(2e-5);
    });
    const [x0, x1] = likeValues(d.sweepX!);
    expect(s.t_ms[1]).toBeCloseTo(x0![1]! * 1000, 9);
    expect(s.t_ms[s.t_ms.length - 1]).toBeCloseTo(x1![2]! * 1000, 6);
    // the epoch table of sweep 0 (pyABF: "Step -100.00 [4312:14312]"), without the pre- and post-epoch holding
    const epochs = [...d.sweepEpochs!.matchAll(/(\w+) (-?[\d.]+) \[(\d+):(\d+)\]/g)].map((m) => ({
      level: Number(m[2]),
      start: Number(m[3]),
      stop: Number(m[4]),
    }));
    const ours = abfEpochsOfSweep(h, 0).map((e) => ({ level: e.level, start: e.start, stop: e.stop }));
    expect(ours).toEqual(epochs.slice(1, 1 + ours.length));
  });

  it("File_axon_5's step grows by 50 pA a sweep from −100 pA on [215.6, 715.6) ms (pyABF: epoch B, 4312…14312 at 20 kHz)", async () => {
    const r = await openRecording(fixture("abf/File_axon_5.abf"));
    expect(r.sweeps.map((s) => s.stimulus?.amplitude)).toEqual([-100, -50, 0, 50, 100, 150, 200, 250, 300]);
    for (const s of r.sweeps) expect([s.stimulus?.start_ms, s.stimulus?.stop_ms, s.stimulus?.unit]).toEqual([215.6, 715.6, "pA"]);
  });

  it("a truncated or foreign file is one clear error", () => {
    const bytes = new Uint8Array(readFileSync(fixture("abf/File_axon_5.abf")));
    expect(() => readAbfHeader(bytesSource(bytes.subarray(0, 100000)), "cut.abf")).toThrow(
      /cut\.abf must be an Axon ABF file; its data .* run past the end of the file \(100000 bytes\): truncated\?/,
    );
    expect(() => readAbfHeader(bytesSource(new TextEncoder().encode("0 1\n".repeat(200))), "x.abf")).toThrow(
      /x\.abf must be an Axon ABF file; it starts with "0 1\\n", not "ABF " \(ABF 1\) or "ABF2"/,
    );
  });
});

describe("text and CSV recordings", () => {
  it("a header names the units; each further column is a sweep", () => {
    const r = parseTextRecording("time (s),V1 (V),V2 (V)\n0,-0.065,-0.070\n0.001,-0.064,-0.069\n0.002,-0.063,-0.068\n", "s.csv");
    expect(r.format).toBe("csv");
    expect(r.sweeps.map((s) => s.name)).toEqual(["V1 (V)", "V2 (V)"]);
    expect(Array.from(r.sweeps[0]!.t_ms)).toEqual([0, 1, 2]);
    expect(Array.from(r.sweeps[1]!.V_mV)).toEqual([-70, -69, -68]);
    const u = parseTextRecording("t_ms,V_mV\n0,-65\n0.1,-64\n0.2,-63\n", "u.csv");
    expect(Array.from(u.sweeps[0]!.V_mV)).toEqual([-65, -64, -63]);
  });

  it("eFEL's two-column text is read as ms and mV, and says so", () => {
    const r = parseTextRecording("0 -80\n0.1 -79\n0.2 -78\n", "e.txt");
    expect(r.notes[0]).toMatch(/no header: columns read as time \(ms\) and voltage \(mV\)/);
  });

  it.each([
    ["t,V\n0,1\n1,2\n2,3\n", /bad\.txt line 1: the time column "t" must be named with its unit/],
    ["t_ms,V\n0,1\n1,2\n2,3\n", /bad\.txt line 1: the voltage column "V" must be named with a voltage unit/],
    ["0 -65\n0.1 -64 3\n", /line 2: the number of columns must be 2 like the first row/],
    ["0 -65\n0.2 -64\n0.1 -63\n", /line 3: time must be non-decreasing \(the line before has 0\.2; is the first column time\?\); got 0\.1/],
    ["0 -65\n0.1 abc\n", /line 2: column 2 \(V\) must be a finite number; got "abc"/],
    ["-65\n-64\n-63\n", /the number of columns must be at least 2: time, then voltage/],
  ])("bad input is one line naming the problem: %j", (text, message) => {
    expect(() => parseTextRecording(text, "bad.txt")).toThrow(message);
  });
});

describe("NWB icephys (an NWB-shaped file written with h5wasm itself: no NWB recording is available here)", () => {
  it("reads each CurrentClampSeries as a sweep in mV, with its stimulus step from the matching CurrentClampStimulusSeries", async () => {
    const h5 = await import("h5wasm/node");
    await h5.ready;
    const path = join(mkdtempSync(join(tmpdir(), "spikelab-nwb-")), "icephys.nwb");
    const f = new h5.File(path, "w");
    f.create_attribute("nwb_version", "2.7.0");
    const acq = f.create_group("acquisition");
    const pres = f.create_group("stimulus").create_group("presentation");
    const n = 2000;
    const rate = 10000;
    for (let k = 0; k < 3; k++) {
      const series = (g: ReturnType<typeof acq.create_group>, type: string, data: Float32Array | Float64Array, unit: string) => {
        g.create_attribute("neurodata_type", type);
        g.create_attribute("sweep_number", k);
        g.create_dataset({ name: "data", data });
        const ds = g.get("data") as unknown as { create_attribute(n: string, v: unknown): void };
        ds.create_attribute("unit", unit);
        ds.create_attribute("conversion", 1);
        g.create_dataset({ name: "starting_time", data: 0.5 });
        (g.get("starting_time") as unknown as { create_attribute(n: string, v: unknown): void }).create_attribute("rate", rate);
      };
      series(
        acq.create_group(`CurrentClampSeries${k}`),
        "CurrentClampSeries",
        new Float32Array(n).map((_, i) => -0.07 + (i >= 500 && i < 1500 ? 0.005 * k : 0)),
        "volts",
      );
      series(
        pres.create_group(`CurrentClampStimulusSeries${k}`),
        "CurrentClampStimulusSeries",
        new Float64Array(n).map((_, i) => (i >= 500 && i < 1500 ? 5e-11 * (k + 1) : 0)),
        "amperes",
      );
    }
    f.close();
    const r = readNwbFile(h5, path, "icephys.nwb");
    expect(r.sweeps.map((s) => s.name)).toEqual(["CurrentClampSeries0", "CurrentClampSeries1", "CurrentClampSeries2"]);
    const s = r.sweeps[2]!;
    expect(s.t_ms[0]).toBe(500);
    expect(s.t_ms[1]).toBeCloseTo(500.1, 12);
    expect(s.V_mV[0]).toBeCloseTo(-70, 4);
    expect(s.V_mV[1000]).toBeCloseTo(-60, 4);
    expect([s.stimulus?.start_ms, s.stimulus?.stop_ms, s.stimulus?.unit]).toEqual([550, 650, "pA"]);
    expect(s.stimulus?.amplitude).toBeCloseTo(150, 9);
    const one = readNwbFile(h5, path, "icephys.nwb", 1);
    expect([one.sweep_numbers, one.sweep_count, one.sweeps.map((x) => x.name)]).toEqual([[1], 3, ["CurrentClampSeries1"]]);
    expect(() => readNwbFile(h5, path, "icephys.nwb", 3)).toThrow("--sweep must be a sweep of icephys.nwb (0…2); got 3");
    expect(() => readNwbFile(h5, fixture("abf/File_axon_5.abf"), "fake.nwb")).toThrow(/fake\.nwb must be an NWB \(HDF5\) file/);
  });
});

describe("recorded sweeps as they come", () => {
  it("a sweep without spikes is measured and says so", () => {
    const t = Float64Array.from({ length: 1000 }, (_, i) => i * 0.1);
    const a = analyzeSweep({ t_ms: t, V_mV: new Float64Array(1000).fill(-70), name: "flat" });
    expect(a.spikes).toEqual([]);
    expect(a.notes.join(" ")).toMatch(/no spikes: V stays below the detection threshold \(0 mV; max -70\.00 mV\)/);
  });

  it("unevenly sampled and repeated-time traces are measured on their own samples, and say so", () => {
    const { t_ms, V_mV } = parseTextRecording(readFileSync(fixture("efel/basic/mean_frequency_1.txt"), "utf8"), "mf1").sweeps[0]!;
    const a = analyzeSweep({ t_ms, V_mV, name: "mf1" }, { threshold_mV: -20, stim_start_ms: 500, stim_end_ms: 900 });
    expect(a.uneven).toBe(true);
    expect(a.notes.join(" ")).toMatch(/21999 repeated time stamps/);
    expect(a.spikes.length).toBe(5);
    for (const s of a.spikes) {
      expect(s.onset_mV).not.toBeNull();
      expect(Number.isFinite(s.half_width_ms)).toBe(true);
    }
  });
});

describe("a recording that starts inside a spike", () => {
  it("is measured from its first complete AP, and says so", () => {
    const { t_ms, V_mV } = parseTextRecording(readFileSync(fixture("efel/allfeatures/testdata.txt"), "utf8"), "td").sweeps[0]!;
    const whole = analyzeSweep({ t_ms, V_mV, name: "whole" }, { threshold_mV: -20 });
    const k = whole.spikes[0]!;
    // cut the trace at the first spike's peak: it starts above threshold
    const from = t_ms.findIndex((t) => t >= k.peak_ms);
    const cut = analyzeSweep({ t_ms: t_ms.subarray(from), V_mV: V_mV.subarray(from), name: "cut" }, { threshold_mV: -20 });
    expect(cut.notes.join(" ")).toMatch(/starts above the detection threshold \(-20 mV\): the spike it starts in is not measured/);
    expect(cut.spikes.length).toBe(whole.spikes.length - 1);
    expect(cut.spikes[0]).toEqual(whole.spikes[1]);
  });
});

describe("`spikelab analyze --trace`", () => {
  const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, "analyze", ...args], { encoding: "utf8" });

  it("File_axon_5.abf gives that cell's f–I curve, one point per sweep", () => {
    const r = run("--trace", fixture("abf/File_axon_5.abf"), "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.sweeps).toHaveLength(9);
    expect(j.fi.amplitudes).toEqual([-100, -50, 0, 50, 100, 150, 200, 250, 300]);
    expect(j.fi.unit).toBe("pA");
    // counted from the recording: no spike up to 150 pA, then 2, 2, 3 spikes in the 500 ms step
    expect(j.fi.spike_counts).toEqual([0, 0, 0, 0, 0, 0, 2, 2, 3]);
    expect(j.fi.rates_Hz).toEqual([0, 0, 0, 0, 0, 0, 4, 4, 6]);
    expect(j.fi.rheobase_estimate).toBe(200);
    expect(j.fi.sustained).toEqual(Array(9).fill(false));
  });

  it("--efel reports eFEL's features with eFEL's settings", () => {
    const r = run(
      "--trace",
      fixture("efel/allfeatures/testdata.txt"),
      "--stim-start-ms",
      "700",
      "--stim-end-ms",
      "2700",
      "--efel",
      "--json",
    );
    const j = JSON.parse(r.stdout);
    expect(j.efel_settings.Threshold).toBe(-20);
    const expected = JSON.parse(readFileSync(fixture("efel/allfeatures/expectedresults.json"), "utf8"));
    expect(j.sweeps[0].efel.AP_amplitude).toEqual(expected.AP_amplitude);
    expect(j.sweeps[0].efel.mean_frequency).toEqual(expected.mean_frequency);
  });

  it.each([
    [["--trace", "no-such-file.txt"], /--trace must be a readable file; got "no-such-file\.txt" \(ENOENT\)/],
    [["--trace", "BAD_COLUMNS"], /line 2: the number of columns must be 2/],
    [["--trace", "BAD_TIME"], /line 3: time must be non-decreasing/],
    [["--trace", "BAD_UNITS"], /u\.csv line 1: the time column "time" must be named with its unit/],
    [["--trace", "CORRUPT_ABF"], /must be an Axon ABF file/],
    [["--trace", "CORRUPT_NWB"], /must be an NWB \(HDF5\) file/],
    [["--trace", fixture("abf/File_axon_5.abf"), "--sweep", "9"], /--sweep must be a sweep of .* \(0…8\); got 9/],
    [
      ["--search-method", "rk5", "--no-refractory"],
      /^spikelab: --search-method must be one of euler, exp-euler, backward-euler, rk4, rk45; got "rk5"\n$/,
    ],
  ])("bad input %j: one line, exit 2", (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-bad-"));
    const files: Record<string, [string, string | Uint8Array]> = {
      BAD_COLUMNS: ["c.txt", "0 -65\n0.1 -64 1\n"],
      BAD_TIME: ["t.txt", "0 -65\n0.2 -64\n0.1 -63\n"],
      BAD_UNITS: ["u.csv", "time,voltage\n0,-65\n0.1,-64\n"],
      CORRUPT_ABF: ["x.abf", new Uint8Array(readFileSync(fixture("abf/File_axon_5.abf"))).subarray(0, 4096)],
      CORRUPT_NWB: ["x.nwb", Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(600)])],
    };
    const a = args.map((x) => {
      const f = files[x];
      if (!f) return x;
      writeFileSync(join(dir, f[0]), f[1]);
      return join(dir, f[0]);
    });
    const r = run(...a);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe("large files are not read whole", () => {
  it("opening an ABF reads its header, and --sweep reads that sweep's bytes alone", async () => {
    const { readAbf } = await import("../src/io/recordings/read.js");
    const bytes = new Uint8Array(readFileSync(fixture("abf/190619B_0003.abf")));
    let read = 0;
    const counting = {
      size: bytes.length,
      read: (o: number, n: number) => {
        read += Math.min(n, bytes.length - o);
        return bytes.subarray(o, o + n);
      },
    };
    const h = readAbfHeader(counting, "190619B_0003.abf");
    expect(read).toBeLessThan(8192);
    read = 0;
    const r = readAbf(counting, "190619B_0003.abf", { sweep: 7, channel: 1 });
    const sweepBytes = h.sweepPointCount * h.channelCount * 2;
    expect(read - sweepBytes).toBeLessThan(8192);
    expect(bytes.length / sweepBytes).toBeGreaterThan(9);
    expect(r.sweep_numbers).toEqual([7]);
    expect(r.sweep_count).toBe(10);
    // the same samples as when every sweep is read
    expect(Array.from(r.sweeps[0]!.V_mV.subarray(0, 5))).toEqual(
      Array.from(readAbf(bytesSource(bytes), "x", { channel: 1 }).sweeps[7]!.V_mV.subarray(0, 5)),
    );
  });
});

describe("the library's AP features on a CVode record", () => {
  it("repeated time stamps no longer make onsets, amplitudes and half-widths NaN or null", async () => {
    const { actionPotentials } = await import("../src/analysis/features.js");
    const { t_ms, V_mV } = parseTextRecording(readFileSync(fixture("efel/basic/mean_frequency_1.txt"), "utf8"), "mf1").sweeps[0]!;
    const aps = actionPotentials(t_ms, V_mV, { threshold_mV: -20 });
    expect(aps).toHaveLength(5);
    for (const a of aps) for (const x of [a.onset_mV, a.amplitude_mV, a.half_width_ms]) expect(Number.isFinite(x)).toBe(true);
  });
});
